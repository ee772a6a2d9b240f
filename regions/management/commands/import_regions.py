"""python manage.py import_regions [PATH] [--confirm-retire] — load or update Indonesia's regions."""

import time

from django.core.management.base import BaseCommand

from percontohan.imports import command_errors
from regions.importer import DEFAULT_SOURCE, RETIRE_PERCENT, regions_import


class Command(BaseCommand):
    help = (
        "Import provinces, regencies, districts and villages from an idn-area-data release folder "
        "(provinces.csv, regencies.csv, districts.csv, villages.csv). Default: the vendored copy. "
        "All-or-nothing; every run is recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_SOURCE), help="release folder")
        parser.add_argument(
            "--confirm-retire",
            action="store_true",
            help=f"allow the release to retire more than {RETIRE_PERCENT} %% of a level's regions or a whole regency",
        )

    def handle(self, *args, path, confirm_retire, **options):
        started = time.perf_counter()
        with command_errors(path):
            result = regions_import(path, confirm_retire=confirm_retire)
        elapsed = time.perf_counter() - started
        if not result.changed:
            self.stdout.write(
                f"Tidak ada perubahan: {result.total_rows} wilayah sudah sesuai dengan {path} ({elapsed:.1f} s)."
            )
            return
        for action, label in (
            ("created", "ditambahkan"),
            ("renamed", "diubah"),
            ("retired", "tidak berlaku"),
            ("restored", "berlaku kembali"),
        ):
            counts = result.by_action[action]
            if sum(counts.values()):
                detail = ", ".join(f"{key} {count}" for key, count in counts.items() if count)
                self.stdout.write(f"{label}: {detail}")
        self.stdout.write(self.style.SUCCESS(f"Impor wilayah selesai dalam {elapsed:.1f} s."))
