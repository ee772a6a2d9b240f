import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation
from percontohan.tables import PortalTable


class OrganisationTable(PortalTable):
    phone_columns = ("name", "kind")

    name = tables.Column(linkify=True)
    parent = tables.Column(verbose_name=_("Induk"), accessor="parent__name", default="—")
    regency = tables.Column(verbose_name=_("Kabupaten/kota"), accessor="regency__name", default="—")
    province = tables.Column(verbose_name=_("Provinsi"), accessor="province__name", default="—")

    class Meta:
        model = Organisation
        fields = ("name", "short_name", "kind", "parent", "regency", "province")
        empty_text = _("Belum ada instansi yang cocok.")
