"""The tables of the training lists: programmes, trainers and batches (with their places taken)."""

import django_tables2 as tables
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from percontohan.tables import DateColumn, PortalTable
from trainings import services
from trainings.models import Batch, BatchStatus, Programme, Trainer

STATUS_BADGES = {
    BatchStatus.PLANNED: "text-bg-secondary",
    BatchStatus.REGISTRATION: "text-bg-primary",
    BatchStatus.RUNNING: "text-bg-info",
    BatchStatus.CLOSED: "text-bg-success",
    BatchStatus.CANCELLED: "text-bg-danger",
}


def batch_badge_class(batch):
    return STATUS_BADGES[BatchStatus(batch.status)]


def venue_label(batch):
    """Where the batch is held: its village (with the kecamatan), else the BLM."""
    if batch.venue_village_id:
        village = batch.venue_village
        return f"{village.name}, Kec. {village.district.name}"
    return batch.blm.short_name or batch.blm.name


class ProgrammeTable(PortalTable):
    phone_columns = ("title", "hours_jp")

    code = tables.Column(verbose_name=_("Kode"), attrs={"td": {"class": "font-monospace"}})
    title = tables.Column(verbose_name=_("Judul"), linkify=True, attrs={"td": {"class": "text-wrap"}})
    field = tables.Column(verbose_name=_("Bidang"))
    blm = tables.Column(verbose_name=_("BLM penyelenggara"), accessor="blm__name", order_by=("blm__name",))
    hours_jp = tables.Column(verbose_name=_("JP"), attrs={"cell": {"class": "text-end"}})
    min_attendance_pct = tables.Column(verbose_name=_("Kehadiran minimal (%)"), attrs={"cell": {"class": "text-end"}})
    min_post_test = tables.Column(
        verbose_name=_("Post-test minimal"), default="—", attrs={"cell": {"class": "text-end"}}
    )
    min_practical = tables.Column(verbose_name=_("Praktik minimal"), default="—", attrs={"cell": {"class": "text-end"}})
    gives_certificate = tables.BooleanColumn(verbose_name=_("Sertifikat"), yesno=(_("Ya"), _("Tidak")))
    active = tables.BooleanColumn(verbose_name=_("Masih ditawarkan"), yesno=(_("Ya"), _("Tidak")))

    class Meta:
        model = Programme
        fields = ()
        sequence = (
            "code",
            "title",
            "field",
            "blm",
            "hours_jp",
            "min_attendance_pct",
            "min_post_test",
            "min_practical",
            "gives_certificate",
            "active",
        )
        order_by = ("title",)
        empty_text = _("Belum ada program pelatihan yang cocok.")

    def render_blm(self, record):
        return record.blm.short_name or record.blm.name

    def value_blm(self, record):
        return record.blm.name


class TrainerTable(PortalTable):
    phone_columns = ("name", "expertise")

    name = tables.Column(verbose_name=_("Nama"), linkify=True)
    blm = tables.Column(verbose_name=_("BLM"), accessor="blm__name", order_by=("blm__name",))
    organisation = tables.Column(
        verbose_name=_("Instansi asal"),
        accessor="organisation__name",
        default="—",
        attrs={"td": {"class": "text-wrap"}},
    )
    expertise = tables.Column(verbose_name=_("Keahlian"), default="—", attrs={"td": {"class": "text-wrap"}})
    phone = tables.Column(verbose_name=_("Telepon"), default="—", visible=False)
    email = tables.Column(verbose_name=_("Surel"), default="—", visible=False)

    class Meta:
        model = Trainer
        fields = ()
        sequence = ("name", "blm", "organisation", "expertise", "phone", "email")
        order_by = ("name",)
        empty_text = _("Belum ada pelatih yang cocok.")

    def render_blm(self, record):
        return record.blm.short_name or record.blm.name

    def value_blm(self, record):
        return record.blm.name


class BatchTable(PortalTable):
    """Batches with their places: taken and waiting are counted for the rows shown, in one query
    (services.batch_counts), never one per row."""

    phone_columns = ("name", "starts_on", "status")

    name = tables.Column(verbose_name=_("Angkatan"), linkify=True)
    programme = tables.Column(
        verbose_name=_("Program"),
        accessor="programme__title",
        linkify=lambda record: record.programme.get_absolute_url(),
        attrs={"td": {"class": "text-wrap"}},
    )
    blm = tables.Column(verbose_name=_("BLM"), accessor="blm__name", order_by=("blm__name",))
    mode = tables.Column(verbose_name=_("Moda"))
    starts_on = DateColumn(verbose_name=_("Mulai"))
    ends_on = DateColumn(verbose_name=_("Selesai"))
    venue = tables.Column(
        verbose_name=_("Tempat"), empty_values=(), orderable=False, attrs={"td": {"class": "text-wrap"}}
    )
    quota = tables.Column(verbose_name=_("Kuota"), attrs={"cell": {"class": "text-end"}})
    taken = tables.Column(
        verbose_name=_("Terisi"), empty_values=(), orderable=False, attrs={"cell": {"class": "text-end"}}
    )
    waiting = tables.Column(
        verbose_name=_("Daftar tunggu"), empty_values=(), orderable=False, attrs={"cell": {"class": "text-end"}}
    )
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "-starts_on"))

    class Meta:
        model = Batch
        fields = ()
        sequence = (
            "name",
            "programme",
            "blm",
            "mode",
            "starts_on",
            "ends_on",
            "venue",
            "quota",
            "taken",
            "waiting",
            "status",
        )
        order_by = ("-starts_on",)
        empty_text = _("Belum ada angkatan pelatihan yang cocok.")

    @cached_property
    def counts(self):
        """{batch id: places and waiting} for the page shown, or for every row of an export."""
        page = getattr(self, "page", None)
        batches = list(page.object_list.data) if page is not None else self.data.data
        return services.batch_counts(batches)

    def render_blm(self, record):
        return record.blm.short_name or record.blm.name

    def value_blm(self, record):
        return record.blm.name

    def render_venue(self, record):
        return venue_label(record)

    def render_taken(self, record):
        return self.counts.get(record.pk, {}).get("places", 0)

    def render_waiting(self, record):
        return self.counts.get(record.pk, {}).get("waiting", 0)

    def render_status(self, record):
        return format_html('<span class="badge {}">{}</span>', batch_badge_class(record), record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()
