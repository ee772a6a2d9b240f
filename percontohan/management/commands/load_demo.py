"""python manage.py load_demo — the Barito Kuala programme and one demo user per role."""

from django.core.management.base import BaseCommand, CommandError

from percontohan.demo import DemoNotReady, demo_load
from percontohan.indexes import analyze_unanalyzed_tables


class Command(BaseCommand):
    help = "Load (or refresh) the demo programme data and demo users. Needs the regions (import_regions) first."

    def handle(self, *args, **options):
        try:
            logins = demo_load()
        except DemoNotReady as error:
            raise CommandError(str(error)) from None
        # The demo's small tables are below autovacuum's threshold: statistics now, or plans for empty tables.
        analyze_unanalyzed_tables()
        self.stdout.write(self.style.SUCCESS("Data demo dimuat. Akun demo:"))
        for username, password, role in logins:
            self.stdout.write(f"  {role:<15} {username:<20} kata sandi: {password}")
