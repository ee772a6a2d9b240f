"""python manage.py import_geo FILE — load village coordinates (CSV/XLSX) or boundaries (GeoJSON)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from villages.geo_import import GeoFileError, GeoLevelNotSupported, geo_import


class Command(BaseCommand):
    help = (
        "Load village centroids (CSV or XLSX with code, lat, lng) or village boundaries (GeoJSON features with "
        "properties.code). All-or-nothing; re-running updates in place. Kecamatan/kabupaten files are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        try:
            result = geo_import(data=path.read_bytes(), source=path.name)
        except GeoLevelNotSupported as error:
            # Not a failure: a folder of geo files can be loaded file by file without stopping here.
            self.stderr.write(f"{path}: dilewati. {error}")
            return
        except GeoFileError as error:
            raise CommandError(f"{path}: {error} Tidak ada yang diubah.") from None
        unit = "fitur" if result.kind == "geojson" else "baris"
        if not result.ok:
            lines = [
                f"  {unit} {e['row']}: {e['message']}" if e["row"] else f"  {e['message']}" for e in result.errors[:20]
            ]
            more = f"\n  … {len(result.errors) - 20} kesalahan lain" if len(result.errors) > 20 else ""
            raise CommandError(
                f"{path}: {len(result.errors)} {unit} bermasalah; tidak ada yang diubah.\n" + "\n".join(lines) + more
            )
        what = "batas wilayah" if result.kind == "geojson" else "titik koordinat"
        self.stdout.write(
            f"{path.name} ({what}): {result.total_rows} {unit} dibaca: {result.created} ditambahkan, "
            f"{result.updated} diperbarui, {result.unchanged} tidak berubah, "
            f"{len(result.unmatched)} kode tidak cocok dengan desa mana pun."
        )
        if result.unmatched:
            shown = ", ".join(row["code"] for row in result.unmatched[:20])
            more = " …" if len(result.unmatched) > 20 else ""
            self.stdout.write(f"Kode tidak cocok: {shown}{more}")
