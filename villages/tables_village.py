import django_tables2 as tables
from django.db.models import F
from django.db.models.functions import Left, Right
from django.utils.formats import get_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from percontohan.exports import ChoiceLabel, InitCap
from percontohan.tables import PortalTable, choice_labels, decimal_text, escaped
from regions.models import Village, VillageKind
from villages.models import PilotStatus


class VillageListTable(PortalTable):
    """The village list; the index columns show the scheme and year chosen in the filters."""

    phone_columns = ("name", "pilot_status", "index_value", "index_status")

    code = tables.Column(verbose_name=_("Kode"), linkify=True, attrs={"td": {"class": "font-monospace"}})
    name = tables.Column(verbose_name=_("Nama"), linkify=True)
    kind = tables.Column(verbose_name=_("Jenis"), orderable=False, accessor="kind", default="—")
    # The names a row shows are read by subqueries (VillageQuerySet.with_region_names); sorted, and
    # exported (sql_<name>), through the relation.
    district = tables.Column(verbose_name=_("Kecamatan"), accessor="district_name", order_by=("district__name",))
    regency = tables.Column(
        verbose_name=_("Kabupaten/kota"), accessor="regency_name", order_by=("district__regency__name",)
    )
    province = tables.Column(
        verbose_name=_("Provinsi"), accessor="province_name", order_by=("district__regency__province__name",)
    )
    pilot_status = tables.Column(verbose_name=_("Status percontohan"), default="—")
    index_value = tables.Column(verbose_name=_("Nilai indeks"), default="—", attrs={"td": {"class": "text-end"}})
    index_status = tables.Column(
        verbose_name=_("Status indeks"), accessor="index_status_name", order_by=("index_order",), default="—"
    )

    class Meta:
        model = Village
        fields = ()
        sequence = (
            "code",
            "name",
            "kind",
            "district",
            "regency",
            "province",
            "pilot_status",
            "index_value",
            "index_status",
        )
        empty_text = _("Tidak ada desa yang cocok.")
        attrs = {"class": "table table-sm table-hover align-middle village-table"}

    def __init__(self, *args, scheme=None, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once for the page's language, not once per row.
        self.kind_labels, self.pilot_labels = choice_labels(VillageKind), choice_labels(PilotStatus)
        self.decimal_separator = get_format("DECIMAL_SEPARATOR")
        if scheme is not None and year is not None:
            index = scheme.code.upper()
            self.columns["index_value"].column.verbose_name = f"{index} {year}"
            self.columns["index_status"].column.verbose_name = _("Status %(index)s %(year)s") % {
                "index": index,
                "year": year,
            }

    def sql_district(self):
        return F("district__name")

    def sql_regency(self):
        return F("district__regency__name")

    def sql_province(self):
        return F("district__regency__province__name")

    def render_kind(self, value):
        return self.kind_labels[value]

    def sql_kind(self):
        # Village.kind: the code's fourth digit from the end.
        return ChoiceLabel(Left(Right("code", 4), 1), VillageKind.choices, others=False)

    # Villages without a score come last whichever way the index is sorted.
    def order_index_value(self, queryset, is_descending):
        return queryset.order_by(_nulls_last("index_value", is_descending), "code"), True

    def order_index_status(self, queryset, is_descending):
        return queryset.order_by(
            _nulls_last("index_order", is_descending), _nulls_last("index_value", is_descending), "code"
        ), True

    def render_pilot_status(self, value):
        return self.pilot_labels[value]

    def value_pilot_status(self, value):
        return self.pilot_labels[value] if value else ""

    def sql_pilot_status(self):
        return ChoiceLabel(F("pilot_status"), PilotStatus.choices, others=False)

    def render_index_value(self, value):
        return decimal_text(value, 4, self.decimal_separator)

    def value_index_value(self, value):
        return value

    def sql_index_value(self):
        return F("index_value")

    def render_index_status(self, value, record):
        return SafeString(  # the colour and the name escaped
            '<svg class="status-dot" width="10" height="10" aria-hidden="true">'
            f'<circle cx="5" cy="5" r="5" fill="{escaped(record.index_status_color)}"/></svg> {escaped(value.title())}'
        )

    def value_index_status(self, value):
        return value.title() if value else ""

    def sql_index_status(self):
        return InitCap(F("index_status_name"))


def _nulls_last(name, descending):
    return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
