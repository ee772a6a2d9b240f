"""python manage.py import_index FILE --scheme idm [--year YEAR] — load village index scores."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from villages.index_import import IndexFileError, index_import, index_import_store, write_unmatched_csv
from villages.models import IndexImport, IndexScheme


class Command(BaseCommand):
    help = "Import a development index file (CSV or XLSX; ministry or lower-case column names). All-or-nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--scheme", default="idm", help="index scheme code (default idm)")
        parser.add_argument("--year", type=int, help="year to import (required when the file does not say)")
        parser.add_argument("--unmatched-csv", help="write the rows whose code matches no village to this CSV")

    def handle(self, *args, file, scheme, year, unmatched_csv, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        try:
            scheme_obj = IndexScheme.objects.get(code=scheme)
        except IndexScheme.DoesNotExist:
            codes = ", ".join(IndexScheme.objects.values_list("code", flat=True))
            raise CommandError(f"Skema indeks {scheme!r} tidak ada (tersedia: {codes}).") from None
        started = time.perf_counter()
        record = IndexImport.objects.create(scheme=scheme_obj, year=year, original_name=str(path)[-255:])
        try:
            result = index_import(
                data=path.read_bytes(), scheme=scheme_obj, year=year, record=record, source_import=record
            )
        except IndexFileError as error:
            record.delete()
            raise CommandError(f"{path}: {error} Tidak ada yang diubah.") from None
        elapsed = time.perf_counter() - started
        if not result.ok:
            record.delete()
            lines = [
                f"  baris {e['row']}: {e['message']}" if e["row"] else f"  {e['message']}" for e in result.errors[:20]
            ]
            more = f"\n  … {len(result.errors) - 20} kesalahan lain" if len(result.errors) > 20 else ""
            raise CommandError(
                f"{path}: {len(result.errors)} baris bermasalah; tidak ada yang diubah.\n" + "\n".join(lines) + more
            )
        index_import_store(record, result)
        self.stdout.write(
            f"{result.total_rows} baris dibaca dalam {elapsed:.1f} s: {result.created} ditambahkan, "
            f"{result.updated} diperbarui, {result.unchanged} tidak berubah, "
            f"{len(result.unmatched)} kode tidak cocok dengan desa mana pun, "
            f"{len(result.empty_rows)} baris tanpa nilai."
        )
        if result.unmatched:
            shown = ", ".join(row["code"] for row in result.unmatched[:10])
            more = " …" if len(result.unmatched) > 10 else ""
            self.stdout.write(f"Kode tidak cocok: {shown}{more}")
        if unmatched_csv and result.unmatched:
            with open(unmatched_csv, "w", newline="", encoding="utf-8") as handle:
                write_unmatched_csv(handle, result.unmatched)
            self.stdout.write(f"Daftar kode tidak cocok: {unmatched_csv}")
