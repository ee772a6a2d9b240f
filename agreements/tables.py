"""The agreement list (sortable, paginated, exportable)."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementStatus
from percontohan.tables import PortalTable, shown_date

STATUS_BADGES = {
    AgreementStatus.DRAFT: "text-bg-secondary",
    AgreementStatus.SIGNED: "text-bg-info",
    AgreementStatus.ACTIVE: "text-bg-success",
    AgreementStatus.EXPIRED: "text-bg-light border",
    AgreementStatus.TERMINATED: "text-bg-danger",
}


class AgreementTable(PortalTable):
    """Parties and covered regencies come prefetched (see the list view): two queries for any page."""

    phone_columns = ("number", "title", "status")

    number = tables.Column(linkify=True)
    # Long text wraps (the portal's tables do not wrap by default).
    title = tables.Column(attrs={"td": {"class": "text-wrap"}})
    parties = tables.Column(
        verbose_name=_("Para pihak"), empty_values=(), orderable=False, attrs={"td": {"class": "text-wrap"}}
    )
    regencies = tables.Column(
        verbose_name=_("Wilayah"), empty_values=(), orderable=False, attrs={"td": {"class": "text-wrap"}}
    )
    signed_on = tables.Column(default="—")
    effective_to = tables.Column(verbose_name=_("Berlaku sampai"), empty_values=())

    class Meta:
        model = Agreement
        fields = ("number", "kind", "title", "parties", "regencies", "signed_on", "effective_to", "status")
        sequence = fields
        empty_text = _("Belum ada perjanjian yang cocok.")

    def render_parties(self, record):
        return format_html_join(
            "", "<div>{}</div>", ((p.organisation.short_name or p.organisation.name,) for p in record.parties.all())
        )

    def value_parties(self, record):
        return "; ".join(f"{p.role_label}: {p.organisation.name}" for p in record.parties.all())

    def render_regencies(self, record):
        return ", ".join(r.name for r in record.regencies.all()) or "—"

    def value_regencies(self, record):
        return ", ".join(r.name for r in record.regencies.all())

    # Dates in lists are short (10 Mar 2020), as in every list table (SHORT_DATE_FORMAT).
    def render_signed_on(self, value):
        return shown_date(value, "SHORT_DATE_FORMAT")

    def value_signed_on(self, value):
        return value  # exported as a date (percontohan.exports keeps dates typed)

    def render_effective_to(self, record):
        if record.effective_to is None:
            return _("tidak dibatasi waktu")
        return shown_date(record.effective_to, "SHORT_DATE_FORMAT")

    def value_effective_to(self, record):
        return record.effective_to

    def render_status(self, record):
        return format_html(
            '<span class="badge {}">{}</span>', STATUS_BADGES.get(record.status, ""), record.get_status_display()
        )

    def value_status(self, record):
        return record.get_status_display()
