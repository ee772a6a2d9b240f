"""python manage.py load_demo — the Barito Kuala programme and one demo user per role."""

from django.core.management.base import BaseCommand, CommandError

from percontohan.demo import demo_load
from villages.models import Regency


class Command(BaseCommand):
    help = "Load (or refresh) the demo programme data and demo users. Needs the regions (import_regions) first."

    def handle(self, *args, **options):
        if not Regency.objects.exists():
            raise CommandError("Wilayah belum dimuat: jalankan dulu `python manage.py import_regions`.")
        logins = demo_load()
        self.stdout.write(self.style.SUCCESS("Data demo dimuat. Akun demo:"))
        for username, password, role in logins:
            self.stdout.write(f"  {role:<15} {username:<20} kata sandi: {password}")
