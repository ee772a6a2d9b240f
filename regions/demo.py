"""The regions' part of the demo: nothing to create (the regions are imported, never typed), only a check."""

from django.utils.translation import gettext as _

from percontohan.demo import DemoNotReady
from regions.models import Regency


def load():
    if not Regency.objects.exists():
        raise DemoNotReady(_("Wilayah belum dimuat: jalankan dulu `python manage.py import_regions`."))
