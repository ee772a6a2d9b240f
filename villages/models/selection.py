"""Site selection: a round with weighted criteria, candidate villages and stakeholders' scores."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from percontohan.history import VersionedModel, tracked
from percontohan.links import record_url
from percontohan.records import PortalModel
from percontohan.scoping import ScopedQuerySet

SCORE_MIN, SCORE_MAX = 1, 5


class SelectionRoundQuerySet(ScopedQuerySet):
    scope_lookup = "regency"


class RoundStatus(models.TextChoices):
    OPEN = "terbuka", _("Penilaian berjalan")
    DECIDED = "diputuskan", _("Sudah diputuskan")


@tracked()
class SelectionRound(VersionedModel):
    """A site selection round for a regency (and optionally a programme area) and period."""

    title = models.CharField(_("judul"), max_length=255)
    regency = models.ForeignKey(
        "regions.Regency", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="selection_rounds"
    )
    programme_area = models.ForeignKey(
        "villages.ProgrammeArea",
        verbose_name=_("kawasan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="selection_rounds",
    )
    responsible_blm = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("BLM penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="selection_rounds",
        limit_choices_to={"kind": "blm"},
    )
    period_start = models.PositiveSmallIntegerField(_("periode mulai (tahun)"))
    period_end = models.PositiveSmallIntegerField(_("periode selesai (tahun)"))
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus, default=RoundStatus.OPEN)
    minutes = models.TextField(
        _("notulen konsultasi"),
        blank=True,
        help_text=_("Ringkasan rapat koordinasi para pihak, peserta dan kesepakatan."),
    )
    decision_rationale = models.TextField(_("alasan keputusan"), blank=True)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SelectionRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("putaran seleksi lokasi")
        verbose_name_plural = pgettext_lazy("jamak", "putaran seleksi lokasi")
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="selectionround_period_ordered",
                violation_error_message=_("Tahun selesai tidak boleh sebelum tahun mulai."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return record_url("villages:round_detail", self.pk)

    @property
    def is_open(self):
        return self.status == RoundStatus.OPEN


class SelectionChildQuerySet(ScopedQuerySet):
    scope_lookup = "round__regency"


@tracked()
class SelectionCriterion(PortalModel):
    """A criterion and its weight in percent; a round's weights sum to 100."""

    round = models.ForeignKey(
        SelectionRound, verbose_name=_("putaran"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("kriteria"), max_length=120)
    description = models.CharField(_("uraian"), max_length=255, blank=True)
    weight = models.DecimalField(
        _("bobot (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    objects = SelectionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("kriteria seleksi")
        verbose_name_plural = pgettext_lazy("jamak", "kriteria seleksi")
        ordering = ["round_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "name"],
                name="selectioncriterion_unique_name",
                violation_error_message=_("Kriteria dengan nama ini sudah ada di putaran ini."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.weight:g}%)"


@tracked()
class SelectionCandidate(PortalModel):
    """A village proposed in a round."""

    round = models.ForeignKey(
        SelectionRound, verbose_name=_("putaran"), on_delete=models.CASCADE, related_name="candidates"
    )
    village = models.ForeignKey(
        "regions.Village", verbose_name=_("desa"), on_delete=models.PROTECT, related_name="selection_candidacies"
    )
    proposal_note = models.CharField(_("catatan usulan"), max_length=255, blank=True)
    chosen = models.BooleanField(_("terpilih"), default=False)

    objects = SelectionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("calon lokasi")
        verbose_name_plural = pgettext_lazy("jamak", "calon lokasi")
        ordering = ["round_id", "village_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "village"],
                name="selectioncandidate_unique_village",
                violation_error_message=_("Desa ini sudah menjadi calon di putaran ini."),
            )
        ]

    def __str__(self):
        return str(self.village)


class SelectionScoreQuerySet(ScopedQuerySet):
    scope_lookup = "candidate__round__regency"


@tracked()
class SelectionScore(PortalModel):
    """One stakeholder's score (1–5) of one candidate on one criterion."""

    candidate = models.ForeignKey(
        SelectionCandidate, verbose_name=_("calon"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        SelectionCriterion, verbose_name=_("kriteria"), on_delete=models.CASCADE, related_name="scores"
    )
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penilai"), on_delete=models.PROTECT, related_name="+"
    )
    stakeholder = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("pemangku kepentingan"),
        on_delete=models.PROTECT,
        related_name="selection_scores",
    )
    value = models.PositiveSmallIntegerField(
        _("nilai"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    objects = SelectionScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("nilai seleksi")
        verbose_name_plural = pgettext_lazy("jamak", "nilai seleksi")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "criterion", "stakeholder"],
                name="selectionscore_one_per_stakeholder",
                violation_error_message=_("Pemangku kepentingan ini sudah memberi nilai untuk kriteria tersebut."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=SCORE_MIN, value__lte=SCORE_MAX),
                name="selectionscore_value_range",
                violation_error_message=_("Nilai harus antara 1 dan 5."),
            ),
        ]

    def __str__(self):
        return f"{self.candidate} / {self.criterion.name}: {self.value}"
