"""The person list and a batch's participants: a NIK appears masked (`nik_masked`) or as "tanpa NIK",
on the page and in the exports alike — the column never reads the encrypted NIK."""

import django_tables2 as tables
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from percontohan.tables import DateColumn, DateTimeColumn, PortalTable
from trainings import services
from trainings.models import Enrolment, EnrolmentStatus, Person

STATUS_BADGES = {
    EnrolmentStatus.REGISTERED: "text-bg-secondary",
    EnrolmentStatus.WAITING: "text-bg-warning",
    EnrolmentStatus.CONFIRMED: "text-bg-primary",
    EnrolmentStatus.WITHDRAWN: "text-bg-light border",
    EnrolmentStatus.COMPLETED: "text-bg-success",
    EnrolmentStatus.NOT_COMPLETED: "text-bg-danger",
}


def status_badge(enrolment):
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_BADGES[EnrolmentStatus(enrolment.status)],
        enrolment.get_status_display(),
    )


def nik_cell(masked):
    """A NIK as lists show it: masked, or flagged when the person was registered without one."""
    if masked:
        return format_html('<span class="font-monospace text-nowrap">{}</span>', masked)
    return format_html('<span class="badge text-bg-warning">{}</span>', _("tanpa NIK"))


class PersonTable(PortalTable):
    phone_columns = ("full_name", "nik_masked", "village")

    full_name = tables.Column(verbose_name=_("Nama"), linkify=True)
    nik_masked = tables.Column(verbose_name=_("NIK (tersamar)"), empty_values=(), order_by=("nik_masked", "pk"))
    sex = tables.Column(verbose_name=_("Jenis kelamin"))
    birth_date = DateColumn(verbose_name=_("Tanggal lahir"))
    village = tables.Column(verbose_name=_("Desa/kelurahan"), accessor="village__name")
    district = tables.Column(verbose_name=_("Kecamatan"), accessor="village__district__name")
    regency = tables.Column(verbose_name=_("Kabupaten/kota"), accessor="village__district__regency__name")
    education = tables.Column(verbose_name=_("Pendidikan"), default="—")
    village_role = tables.Column(verbose_name=_("Peran di desa"), default="—")
    disability = tables.Column(verbose_name=_("Disabilitas"), default="—", visible=False)
    occupation = tables.Column(verbose_name=_("Pekerjaan"), default="—", visible=False)
    # Sorted by the key, which follows the order people were recorded in (and is indexed).
    created_at = DateColumn(verbose_name=_("Dicatat"), order_by=("pk",))

    class Meta:
        model = Person
        fields = ()
        sequence = (
            "full_name",
            "nik_masked",
            "sex",
            "birth_date",
            "village",
            "district",
            "regency",
            "education",
            "village_role",
            "disability",
            "occupation",
            "created_at",
        )
        # The latest recorded first: a name search among half a million people finds its first page in
        # the key's index, where sorting every "Siti" by name would read most of the table.
        order_by = ("-created_at",)
        empty_text = _("Belum ada peserta yang cocok.")

    def render_nik_masked(self, value):
        return nik_cell(value)

    def value_nik_masked(self, value):
        return value or _("tanpa NIK")

    def sql_nik_masked(self):
        return Coalesce(NullIf("nik_masked", Value("")), Value(str(_("tanpa NIK"))))


def with_waiting_position(enrolments):
    """Enrolments annotated with `waiting_position`: a waiting one's turn (1 = next to get a place)."""
    earlier = (
        Enrolment.objects.filter(batch=OuterRef("batch"), status=EnrolmentStatus.WAITING)
        .filter(
            Q(registered_at__lt=OuterRef("registered_at"))
            | Q(registered_at=OuterRef("registered_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("batch")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return enrolments.annotate(
        waiting_position=Case(
            When(status=EnrolmentStatus.WAITING, then=Coalesce(Subquery(earlier), 0) + 1),
            default=None,
        )
    )


class EnrolmentTable(PortalTable):
    """A batch's participants; the status step is offered to those who may change the batch."""

    phone_columns = ("person", "status", "actions")

    person = tables.Column(
        verbose_name=_("Nama"),
        accessor="person__full_name",
        linkify=lambda record: record.person.get_absolute_url(),
    )
    nik = tables.Column(
        verbose_name=_("NIK (tersamar)"),
        accessor="person__nik_masked",
        empty_values=(),
        order_by=("person__nik_masked",),
    )
    sex = tables.Column(verbose_name=_("Jenis kelamin"), accessor="person__sex")
    village = tables.Column(verbose_name=_("Desa/kelurahan"), accessor="person__village__name")
    district = tables.Column(verbose_name=_("Kecamatan"), accessor="person__village__district__name", visible=False)
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "registered_at"))
    waiting_position = tables.Column(
        verbose_name=_("Urutan daftar tunggu"),
        default="—",
        attrs={"td": {"class": "text-end"}},
    )
    note = tables.Column(
        verbose_name=_("Keterangan"), empty_values=(), orderable=False, attrs={"td": {"class": "text-wrap"}}
    )
    registered_at = DateTimeColumn(verbose_name=_("Mendaftar"))
    actions = tables.Column(verbose_name=_("Aksi"), empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        model = Enrolment
        fields = ()
        sequence = (
            "person",
            "nik",
            "sex",
            "village",
            "district",
            "status",
            "waiting_position",
            "note",
            "registered_at",
            "actions",
        )
        empty_text = _("Belum ada peserta terdaftar.")

    def __init__(self, *args, can_edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_edit = can_edit
        if not can_edit:
            self.columns.hide("actions")

    def order_waiting_position(self, queryset, is_descending):
        # Those not waiting come last whichever way the turn is sorted.
        position = F("waiting_position")
        position = position.desc(nulls_last=True) if is_descending else position.asc(nulls_last=True)
        return queryset.order_by(position, "registered_at", "pk"), True

    def render_nik(self, value):
        return nik_cell(value)

    def value_nik(self, value):
        return value or _("tanpa NIK")

    def render_status(self, record):
        return status_badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def render_note(self, record):
        return record.withdrawn_reason or record.result_reason or "—"

    def value_note(self, record):
        return record.withdrawn_reason or record.result_reason

    def render_actions(self, record):
        if not services.ENROLMENT_TRANSITIONS[EnrolmentStatus(record.status)]:
            return "—"
        return format_html(
            '<a class="btn btn-sm btn-outline-primary text-nowrap" href="{}">{}</a>',
            reverse("trainings:enrolment_status", args=[record.pk]),
            _("Ubah status"),
        )
