"""python manage.py import_index FILE --scheme idm [--year YEAR] — load village index scores."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from percontohan.imports import command_errors, import_run, read_bytes, report_notes
from villages.index_import import index_import, write_unmatched_csv
from villages.models import IndexImport, IndexScheme


class Command(BaseCommand):
    help = (
        "Import a development index file (CSV or XLSX; ministry or lower-case column names). All-or-nothing; "
        "every run is recorded as an index import, a failed one too."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--scheme", default="idm", help="index scheme code (default idm)")
        parser.add_argument("--year", type=int, help="year to import (required when the file does not say)")
        parser.add_argument("--unmatched-csv", help="write the rows whose code matches no village to this CSV")

    def handle(self, *args, file, scheme, year, unmatched_csv, **options):
        path = Path(file)
        try:
            scheme_obj = IndexScheme.objects.get(code=scheme)
        except IndexScheme.DoesNotExist:
            codes = ", ".join(IndexScheme.objects.values_list("code", flat=True))
            raise CommandError(f"Skema indeks {scheme!r} tidak ada (tersedia: {codes}).") from None
        started = time.perf_counter()
        record = IndexImport.objects.create(scheme=scheme_obj, year=year, original_name=str(path)[-255:])
        with command_errors(path):
            result = import_run(
                record,
                lambda: index_import(data=read_bytes(path), scheme=scheme_obj, year=year, record=record),
                history={"index_import": record.pk},
            )
        elapsed = time.perf_counter() - started
        report_notes(self, result)
        self.stdout.write(
            f"{result.total_rows} baris dibaca dalam {elapsed:.1f} s: {result.created} ditambahkan, "
            f"{result.updated} diperbarui, {result.unchanged} tidak berubah, "
            f"{len(result.unmatched)} kode tidak cocok dengan desa mana pun, "
            f"{len(result.empty_rows)} baris tanpa nilai."
        )
        if result.other_year_rows:
            years = ", ".join(str(y) for y in sorted(result.other_years))
            self.stdout.write(f"{result.other_year_rows} baris tahun lain ({years}) tidak diimpor (--year {year}).")
        if result.unmatched:
            shown = ", ".join(row["code"] for row in result.unmatched[:10])
            more = " …" if len(result.unmatched) > 10 else ""
            self.stdout.write(f"Kode tidak cocok: {shown}{more}")
        if unmatched_csv and result.unmatched:
            with open(unmatched_csv, "w", newline="", encoding="utf-8") as handle:
                write_unmatched_csv(handle, result.unmatched)
            self.stdout.write(f"Daftar kode tidak cocok: {unmatched_csv}")
