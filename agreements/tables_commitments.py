"""The commitments table: who owes what under which agreement, by when, and whether it is late."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agreements.models import Commitment, CommitmentStatus
from percontohan.tables import DateColumn, PortalTable

STATUS_BADGES = {
    CommitmentStatus.OPEN: "text-bg-secondary",
    CommitmentStatus.IN_PROGRESS: "text-bg-info",
    CommitmentStatus.DONE: "text-bg-success",
}


def status_badge_class(commitment):
    return "text-bg-danger" if commitment.is_overdue else STATUS_BADGES[CommitmentStatus(commitment.status)]


class CommitmentTable(PortalTable):
    phone_columns = ("description", "due_date", "status")  # the status cell says how late on a phone

    # Long text wraps, so that the due date, status and lateness stay in sight on a laptop.
    description = tables.Column(verbose_name=_("Komitmen"), linkify=True, attrs={"td": {"class": "text-wrap"}})
    agreement = tables.Column(
        verbose_name=_("Perjanjian"),
        accessor="agreement__number",
        linkify=lambda record: record.agreement.get_absolute_url(),
    )
    agreement_title = tables.Column(verbose_name=_("Judul perjanjian"), accessor="agreement__title", visible=False)
    kind = tables.Column(verbose_name=_("Jenis perjanjian"), accessor="agreement__kind", visible=False)
    organisation = tables.Column(
        verbose_name=_("Pihak yang bertanggung jawab"),
        accessor="party__organisation__name",
        attrs={"td": {"class": "text-wrap"}},
    )
    role = tables.Column(
        verbose_name=_("Kedudukan"), accessor="party__position", order_by=("party__position",), visible=False
    )
    due_date = DateColumn(verbose_name=_("Tenggat"), default="—")
    recurrence = tables.Column(verbose_name=_("Pengulangan"), default="")
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "due_date"))
    days_late = tables.Column(verbose_name=_("Keterlambatan"), empty_values=(), orderable=False)
    completed_on = DateColumn(verbose_name=_("Tanggal selesai"), default="—")

    class Meta:
        model = Commitment
        fields = ()
        sequence = (
            "description",
            "agreement",
            "agreement_title",
            "kind",
            "organisation",
            "role",
            "due_date",
            "recurrence",
            "status",
            "days_late",
            "completed_on",
        )
        order_by = ("due_date",)
        row_attrs = {"class": lambda record: "table-danger" if record.is_overdue else ""}
        empty_text = _("Belum ada komitmen yang cocok.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_description(self, value):
        return value if len(value) <= 90 else f"{value[:89]}…"

    def value_description(self, value):
        return value

    def render_kind(self, record):
        return record.agreement.get_kind_display()

    def render_role(self, record):
        return record.party.role_label

    def render_recurrence(self, record):
        return record.get_recurrence_display() if record.recurrence else "—"

    def value_recurrence(self, record):
        return record.get_recurrence_display()

    def render_status(self, record):
        badge = format_html('<span class="badge {}">{}</span>', status_badge_class(record), record.display_status)
        if not self.days_late_of(record):
            return badge
        # A phone has no room for the lateness column: the status says how late (d-md-none: once only).
        return format_html(
            '{} <span class="d-block d-md-none small text-nowrap">{}</span>', badge, self.render_days_late(record)
        )

    def value_status(self, record):
        return str(record.display_status)

    def days_late_of(self, record):
        return (self.today - record.due_date).days if record.is_overdue else None

    def render_days_late(self, record):
        days = self.days_late_of(record)
        return ngettext("%(n)s hari", "%(n)s hari", days) % {"n": days} if days else "—"

    def value_days_late(self, record):
        return self.days_late_of(record) or ""
