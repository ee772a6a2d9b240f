"""Programme areas (kawasan) and pilot villages (desa percontohan) with their lifecycle."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from percontohan.history import VersionedModel, tracked
from percontohan.indexes import name_search_index
from percontohan.links import record_url
from percontohan.records import PortalModel
from percontohan.scoping import ScopedQuerySet


class AreaKind(models.TextChoices):
    RURAL = "perdesaan", _("Kawasan perdesaan")
    TRANSMIGRATION = "transmigrasi", _("Kawasan transmigrasi")
    KTM = "ktm", _("Kota Terpadu Mandiri (KTM)")


class ProgrammeAreaQuerySet(ScopedQuerySet):
    scope_lookup = "regency"


@tracked()
class ProgrammeArea(VersionedModel):
    """A rural or transmigration area (kawasan) whose villages the programme develops together."""

    name = models.CharField(_("nama kawasan"), max_length=200)
    kind = models.CharField(_("jenis kawasan"), max_length=20, choices=AreaKind)
    regency = models.ForeignKey(
        "regions.Regency", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="programme_areas"
    )
    description = models.TextField(_("uraian"), blank=True)
    established_on = models.DateField(_("tanggal penetapan"), null=True, blank=True)
    legal_basis = models.CharField(_("dasar penetapan"), max_length=255, blank=True)

    objects = ProgrammeAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("kawasan")
        verbose_name_plural = pgettext_lazy("jamak", "kawasan")
        ordering = ["regency_id", "name"]
        indexes = [
            name_search_index("name", "programmearea_name_trgm"),
            name_search_index("legal_basis", "programmearea_legal_basis_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["regency", "name"],
                name="programmearea_unique_name_per_regency",
                violation_error_message=_("Kawasan dengan nama ini sudah ada di kabupaten/kota tersebut."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url("villages:area_detail", self.pk)

    def members_on(self, day=None):
        """Memberships valid on a day (today by default)."""
        return self.memberships.current(day)


class AreaMembershipQuerySet(ScopedQuerySet):
    scope_lookup = "area__regency"

    def current(self, day=None):
        """Memberships valid on a day (today by default)."""
        return self.filter(AreaMembership.valid_on_q(day))


@tracked()
class AreaMembership(PortalModel):
    """A village's membership of an area for a period; a village may belong to several areas over time."""

    area = models.ForeignKey(
        ProgrammeArea, verbose_name=_("kawasan"), on_delete=models.CASCADE, related_name="memberships"
    )
    village = models.ForeignKey(
        "regions.Village", verbose_name=_("desa"), on_delete=models.PROTECT, related_name="area_memberships"
    )
    valid_from = models.DateField(_("berlaku mulai"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)

    objects = AreaMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("keanggotaan kawasan")
        verbose_name_plural = pgettext_lazy("jamak", "keanggotaan kawasan")
        ordering = ["area_id", "village_id", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="areamembership_period_ordered",
                violation_error_message=_("Tanggal akhir tidak boleh sebelum tanggal mulai."),
            ),
            models.UniqueConstraint(
                fields=["area", "village", "valid_from"],
                name="areamembership_unique_start",
                violation_error_message=_("Desa ini sudah tercatat masuk kawasan pada tanggal yang sama."),
            ),
        ]

    def __str__(self):
        return f"{self.village} — {self.area}"

    @staticmethod
    def valid_on_q(day=None, prefix=""):
        """The filter for memberships valid on a day (today by default): started by then, not ended before.

        `prefix` reaches memberships from another model, e.g. "memberships__" from an area.
        """
        day = day or timezone.localdate()
        return Q(**{f"{prefix}valid_from__lte": day}) & (
            Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
        )

    def is_valid_on(self, day=None):
        """Whether this membership is valid on a day (today by default); the rule of `valid_on_q`."""
        day = day or timezone.localdate()
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def clean(self):
        if self.area_id and self.village_id:
            overlapping = AreaMembership.objects.filter(area_id=self.area_id, village_id=self.village_id).exclude(
                pk=self.pk
            )
            if self.valid_to:
                overlapping = overlapping.filter(valid_from__lte=self.valid_to)
            overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
            if overlapping.exists():
                raise ValidationError(_("Desa ini sudah menjadi anggota kawasan pada periode yang tumpang tindih."))


class PilotStatus(models.TextChoices):
    CANDIDATE = "calon", _("Calon")
    ASSESSED = "dinilai", _("Sudah dinilai")
    DESIGNATED = "ditetapkan", _("Ditetapkan")
    GRADUATED = "lulus", _("Lulus (mandiri)")
    DROPPED = "batal", _("Dibatalkan")


# Which status may follow which (anything else is refused).
PILOT_TRANSITIONS = {
    PilotStatus.CANDIDATE: {PilotStatus.ASSESSED, PilotStatus.DROPPED},
    PilotStatus.ASSESSED: {PilotStatus.DESIGNATED, PilotStatus.DROPPED},
    PilotStatus.DESIGNATED: {PilotStatus.GRADUATED, PilotStatus.DROPPED},
    PilotStatus.GRADUATED: set(),
    PilotStatus.DROPPED: set(),
}


class PilotVillageQuerySet(ScopedQuerySet):
    scope_lookup = "village__district__regency"

    def active(self):
        return self.exclude(status=PilotStatus.DROPPED)


@tracked()
class PilotVillage(VersionedModel):
    """A village's designation in the pilot programme, with its lifecycle and the BLM responsible."""

    village = models.ForeignKey(
        "regions.Village", verbose_name=_("desa"), on_delete=models.PROTECT, related_name="pilot_designations"
    )
    status = models.CharField(_("status"), max_length=12, choices=PilotStatus, default=PilotStatus.CANDIDATE)
    responsible_blm = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("BLM penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="pilot_villages",
        limit_choices_to={"kind": "blm"},
    )
    programme_area = models.ForeignKey(
        ProgrammeArea,
        verbose_name=_("kawasan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pilot_villages",
    )
    period_start = models.PositiveSmallIntegerField(_("periode mulai (tahun)"))
    period_end = models.PositiveSmallIntegerField(_("periode selesai (tahun)"))
    selection_round = models.ForeignKey(
        "villages.SelectionRound",
        verbose_name=_("putaran seleksi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pilot_villages",
    )
    notes = models.TextField(_("catatan"), blank=True)

    objects = PilotVillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("desa percontohan")
        verbose_name_plural = pgettext_lazy("jamak", "desa percontohan")
        ordering = ["village_id", "-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="pilotvillage_period_ordered",
                violation_error_message=_("Tahun selesai tidak boleh sebelum tahun mulai."),
            ),
            models.UniqueConstraint(
                fields=["village", "period_start"],
                name="pilotvillage_unique_per_period",
                violation_error_message=_("Desa ini sudah tercatat sebagai desa percontohan untuk periode tersebut."),
            ),
        ]

    def __str__(self):
        return f"{self.village.name} ({self.period_start}–{self.period_end})"

    def get_absolute_url(self):
        return record_url("villages:village", self.village_id)

    def allowed_transitions(self):
        return sorted(PILOT_TRANSITIONS[PilotStatus(self.status)], key=list(PilotStatus).index)


@tracked()
class PilotTransition(PortalModel):
    """One step of a pilot village's lifecycle: who moved it, when and why."""

    pilot = models.ForeignKey(
        PilotVillage, verbose_name=_("desa percontohan"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("dari status"), max_length=12, choices=PilotStatus, blank=True)
    to_status = models.CharField(_("ke status"), max_length=12, choices=PilotStatus)
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField(_("alasan"))

    class Meta:
        verbose_name = _("perubahan status desa percontohan")
        verbose_name_plural = pgettext_lazy("jamak", "perubahan status desa percontohan")
        ordering = ["pilot_id", "at", "pk"]

    def __str__(self):
        return f"{self.pilot}: {self.from_status or '—'} → {self.to_status}"
