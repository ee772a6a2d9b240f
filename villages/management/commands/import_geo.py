"""python manage.py import_geo FILE — load village coordinates (CSV/XLSX) or boundaries (GeoJSON)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from percontohan.imports import command_errors, read_bytes, report_notes
from villages.geo_import import GeoLevelNotSupported, geo_import


class Command(BaseCommand):
    help = (
        "Load village centroids (CSV or XLSX with code, lat, lng) or village boundaries (GeoJSON features with "
        "properties.code). All-or-nothing; re-running updates in place. Kecamatan/kabupaten files are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        with command_errors(path):
            try:
                result = geo_import(data=read_bytes(path), source=path.name)
            except GeoLevelNotSupported as error:
                # Not a failure: a folder of geo files can be loaded file by file without stopping here.
                self.stderr.write(f"{path}: dilewati. {error.message}")
                return
        report_notes(self, result)
        unit = "fitur" if result.kind == "geojson" else "baris"
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
