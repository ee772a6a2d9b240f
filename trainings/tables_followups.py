"""The follow-up worklist: who to contact, for which training, by when, and how late it is."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from percontohan.tables import DateColumn, PortalTable
from trainings.followups import STATE_BADGES, FollowUpState, days_late, state_of
from trainings.models import FollowUp

OVERDUE = FollowUpState.OVERDUE


class FollowUpTable(PortalTable):
    phone_columns = ("person", "due_on", "state", "action")

    person = tables.Column(
        verbose_name=_("Peserta"),
        accessor="enrolment__person__full_name",
        linkify=lambda record: record.get_absolute_url(),
        attrs={"td": {"class": "text-wrap"}},
    )
    village = tables.Column(verbose_name=_("Desa/kelurahan"), accessor="enrolment__person__village__name")
    phone = tables.Column(verbose_name=_("Telepon/WhatsApp"), accessor="enrolment__person__phone", default="—")
    batch = tables.Column(
        verbose_name=_("Angkatan"),
        accessor="enrolment__batch__name",
        order_by=("enrolment__batch__starts_on", "enrolment__batch__name"),
        attrs={"td": {"class": "text-wrap"}},
    )
    # The batch column names its programme too; the programme alone is a column of the export.
    programme = tables.Column(verbose_name=_("Program"), accessor="enrolment__batch__programme__title", visible=False)
    wave = tables.Column(verbose_name=_("Tahap"))
    due_on = DateColumn(verbose_name=_("Jadwal"))
    state = tables.Column(verbose_name=_("Keadaan"), empty_values=(), orderable=False)
    done_on = DateColumn(verbose_name=_("Dilaksanakan"), default="—")
    applied = tables.Column(verbose_name=_("Menerapkan"), default="—")
    action = tables.Column(verbose_name=_("Tindakan"), empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        model = FollowUp
        fields = ()
        sequence = (
            "person",
            "village",
            "phone",
            "batch",
            "programme",
            "wave",
            "due_on",
            "state",
            "done_on",
            "applied",
            "action",
        )
        order_by = ("due_on",)
        row_attrs = {"class": lambda table, record: "table-danger" if table.state_of(record) == OVERDUE else ""}
        empty_text = _("Tidak ada tindak lanjut yang cocok.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def state_of(self, record):
        return state_of(record, self.today)

    def render_batch(self, record):
        return str(record.enrolment.batch)

    def value_batch(self, value):
        return value

    def render_wave(self, record):
        return record.get_wave_display()

    def value_wave(self, record):
        return str(record.get_wave_display())

    def render_state(self, record):
        state = self.state_of(record)
        badge = format_html('<span class="badge text-nowrap {}">{}</span>', STATE_BADGES[state], state.label)
        late = days_late(record, self.today)
        if state != FollowUpState.OVERDUE:
            return badge
        text = ngettext("%(n)s hari", "%(n)s hari", late) % {"n": late}
        return format_html('{} <span class="d-block small text-nowrap">{}</span>', badge, text)

    def value_state(self, record):
        return str(self.state_of(record).label)

    def render_applied(self, record):
        if record.done_on is None:
            return "—"
        return record.get_applied_display() if record.reached else _("Tidak dapat dihubungi")

    def value_applied(self, record):
        return str(self.render_applied(record))

    def render_action(self, record):
        if not getattr(record, "can_edit", False):
            return format_html('<a href="{}">{}</a>', record.get_absolute_url(), _("Lihat"))
        label = _("Ubah") if record.done_on else _("Catat")
        return format_html(
            '<a class="btn btn-sm btn-primary" href="{}">{}</a>',
            reverse("trainings:followup_update", args=[record.pk]),
            label,
        )
