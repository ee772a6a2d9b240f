"""Tables of programme areas, pilot villages and selection rounds (sortable, paginated, exportable)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from percontohan.tables import DateColumn, PortalTable
from villages.models import PilotVillage, ProgrammeArea, SelectionRound


class PeriodColumn(tables.Column):
    """Start–end years, written as plain numbers (no thousands separator in a year)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("Periode"))
        kwargs.setdefault("order_by", ("period_start", "period_end"))
        super().__init__(empty_values=(), **kwargs)

    def render(self, record):
        return f"{record.period_start}–{record.period_end}"

    def value(self, record):
        return self.render(record)


class AreaTable(PortalTable):
    phone_columns = ("name", "kind", "member_count")

    name = tables.Column(linkify=True)
    regency = tables.Column(verbose_name=_("Kabupaten/kota"), accessor="regency__name")
    member_count = tables.Column(verbose_name=_("Desa anggota"), attrs={"td": {"class": "text-end"}})
    established_on = DateColumn(default="—")

    class Meta:
        model = ProgrammeArea
        fields = ("name", "kind", "regency", "member_count", "established_on", "legal_basis")
        empty_text = _("Belum ada kawasan yang cocok.")


class PilotTable(PortalTable):
    phone_columns = ("village", "status", "period", "actions")

    village = tables.Column(
        verbose_name=_("Desa"), accessor="village__name", linkify=lambda record: record.village.get_absolute_url()
    )
    code = tables.Column(verbose_name=_("Kode"), accessor="village__code")
    district = tables.Column(verbose_name=_("Kecamatan"), accessor="village__district__name")
    regency = tables.Column(verbose_name=_("Kabupaten/kota"), accessor="village__district__regency__name")
    responsible_blm = tables.Column(verbose_name=_("BLM"), accessor="responsible_blm__name")
    programme_area = tables.Column(
        verbose_name=_("Kawasan"),
        accessor="programme_area__name",
        default="—",
        linkify=lambda record: record.programme_area.get_absolute_url() if record.programme_area_id else None,
    )
    period = PeriodColumn()
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        model = PilotVillage
        fields = ("village", "code", "district", "regency", "status", "responsible_blm", "programme_area", "period")
        sequence = ("village", "code", "district", "regency", "status", "...")
        empty_text = _("Belum ada desa percontohan yang cocok.")

    def __init__(self, *args, show_actions=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_actions:
            self.columns.hide("actions")

    def render_actions(self, record):
        # Rows come annotated by the write rule (PilotVillage.objects.with_can_edit).
        if not record.can_edit:
            return ""
        url = reverse("villages:pilot_transition", args=[record.pk])
        return format_html('<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>', url, _("Ubah status"))


class RoundTable(PortalTable):
    phone_columns = ("title", "status", "decided_at")

    title = tables.Column(linkify=True)
    regency = tables.Column(verbose_name=_("Kabupaten/kota"), accessor="regency__name")
    programme_area = tables.Column(verbose_name=_("Kawasan"), accessor="programme_area__name", default="—")
    responsible_blm = tables.Column(verbose_name=_("BLM"), accessor="responsible_blm__name")
    period = PeriodColumn()
    candidate_count = tables.Column(verbose_name=_("Calon"), attrs={"td": {"class": "text-end"}})
    decided_at = DateColumn(default="—")

    class Meta:
        model = SelectionRound
        fields = (
            "title",
            "regency",
            "programme_area",
            "responsible_blm",
            "period",
            "status",
            "candidate_count",
            "decided_at",
        )
        sequence = fields
        empty_text = _("Belum ada putaran seleksi yang cocok.")
