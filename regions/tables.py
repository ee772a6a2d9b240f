import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from percontohan.tables import PortalTable
from regions.models import District, Province, Regency, Village


class RegionTable(PortalTable):
    code = tables.Column(verbose_name=_("Kode"), linkify=True)
    name = tables.Column(verbose_name=_("Nama"), linkify=True)

    def render_name(self, record, value):
        if record.retired_on:
            return format_html('{} <span class="badge text-bg-warning">{}</span>', value, _("tidak berlaku"))
        return value

    class Meta:
        fields = ("code", "name")
        sequence = ("code", "name", "...")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("Tidak ada wilayah yang cocok.")


class ProvinceTable(RegionTable):
    regency_count = tables.Column(verbose_name=_("Kabupaten/kota"), orderable=True)

    class Meta(RegionTable.Meta):
        model = Province
        sequence = ("code", "name", "regency_count")


class RegencyTable(RegionTable):
    kind = tables.Column(verbose_name=_("Jenis"), orderable=False)
    district_count = tables.Column(verbose_name=_("Kecamatan"))

    class Meta(RegionTable.Meta):
        model = Regency
        sequence = ("code", "name", "kind", "district_count")


class DistrictTable(RegionTable):
    village_count = tables.Column(verbose_name=_("Desa/kelurahan"))

    class Meta(RegionTable.Meta):
        model = District
        sequence = ("code", "name", "village_count")


class VillageTable(RegionTable):
    kind = tables.Column(verbose_name=_("Jenis"), orderable=False, accessor="kind__label", default="—")

    class Meta(RegionTable.Meta):
        model = Village
        sequence = ("code", "name", "kind")


class VillageSearchTable(VillageTable):
    phone_columns = ("code", "name", "district")

    district = tables.Column(verbose_name=_("Kecamatan"), accessor="district__name")
    regency = tables.Column(verbose_name=_("Kabupaten/kota"), accessor="district__regency__name")
    province = tables.Column(verbose_name=_("Provinsi"), accessor="district__regency__province__name")

    class Meta(VillageTable.Meta):
        sequence = ("code", "name", "kind", "district", "regency", "province")
