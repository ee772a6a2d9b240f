"""python manage.py import_regions [PATH] — load or update Indonesia's regions."""

import time

from django.core.management.base import BaseCommand, CommandError

from villages.regions_import import DEFAULT_SOURCE, RegionFileError, regions_import


class Command(BaseCommand):
    help = (
        "Import provinces, regencies, districts and villages from an idn-area-data release folder "
        "(provinces.csv, regencies.csv, districts.csv, villages.csv). Default: the vendored copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_SOURCE), help="release folder")

    def handle(self, *args, path, **options):
        started = time.perf_counter()
        try:
            summary = regions_import(path)
        except RegionFileError as error:
            raise CommandError(f"{error} — tidak ada yang diubah.") from None
        elapsed = time.perf_counter() - started
        if not summary.changed:
            total = sum(summary.unchanged.values())
            self.stdout.write(f"Tidak ada perubahan: {total} wilayah sudah sesuai dengan {path} ({elapsed:.1f} s).")
            return
        for label, counts in (
            ("ditambahkan", summary.created),
            ("diubah", summary.renamed),
            ("tidak berlaku", summary.retired),
            ("berlaku kembali", summary.restored),
        ):
            if sum(counts.values()):
                detail = ", ".join(f"{key} {count}" for key, count in counts.items() if count)
                self.stdout.write(f"{label}: {detail}")
        self.stdout.write(self.style.SUCCESS(f"Impor wilayah selesai dalam {elapsed:.1f} s."))
