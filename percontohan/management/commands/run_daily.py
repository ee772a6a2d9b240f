"""python manage.py run_daily — every app's daily upkeep (today: agreement statuses by date, then reminders).

Run it once a day from cron or a systemd timer (see README, "Tugas harian"). By default it
enqueues the task for the worker (`manage.py db_worker`); --now runs it here and now.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from percontohan.tasks import daily_upkeep


class Command(BaseCommand):
    help = "Enqueue (or with --now run) every app's daily upkeep: agreement statuses by date, then reminders."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run here and now instead of enqueueing.")
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = options["date"]
        if today:
            try:
                datetime.date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        if options["now"]:
            summary = daily_upkeep.call(today)
            self.stdout.write(self.style.SUCCESS(f"Tugas harian selesai: {summary}"))
            return
        result = daily_upkeep.enqueue(today)
        self.stdout.write(self.style.SUCCESS(f"Tugas harian dimasukkan ke antrean ({result.id})."))
