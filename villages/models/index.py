"""Village development indices.

A scheme (IDM of Permendesa 2/2016, the Indeks Desa of Permendesa 9/2024, …)
is data, not code: its components, how they combine into the index value, the
column names of the ministry's files and the status thresholds are rows an
admin edits in Django admin.
"""

from decimal import Decimal

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from percontohan.history import VersionedModel, tracked
from percontohan.imports import ImportRecord
from percontohan.imports import ImportStatus as ImportStatus  # re-exported: the index pages know it from here
from percontohan.links import record_url
from percontohan.records import PortalModel
from percontohan.scoping import ScopedQuerySet


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Rata-rata komponen")
    PUBLISHED = "published", _("Nilai indeks dari berkas sumber")


@tracked()
class IndexScheme(VersionedModel):
    """An index and its rules (IDM, Indeks Desa, …)."""

    code = models.SlugField(_("kode"), max_length=30, unique=True, help_text=_("mis. idm, indeks-desa"))
    name = models.CharField(_("nama"), max_length=120)
    regulation = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    aggregation = models.CharField(
        _("cara menghitung nilai"), max_length=12, choices=Aggregation, default=Aggregation.MEAN
    )
    value_min = models.DecimalField(_("nilai minimum"), max_digits=7, decimal_places=4, default=Decimal("0"))
    value_max = models.DecimalField(_("nilai maksimum"), max_digits=7, decimal_places=4, default=Decimal("1"))
    value_columns = models.CharField(
        _("kolom nilai di berkas"),
        max_length=200,
        help_text=_("Nama kolom nilai indeks, dipisah koma; akhiran _TAHUN diterima (mis. idm,nilai_idm)."),
    )
    status_columns = models.CharField(
        _("kolom status di berkas"), max_length=200, help_text=_("mis. status,status_idm")
    )

    class Meta:
        verbose_name = _("skema indeks")
        verbose_name_plural = pgettext_lazy("jamak", "skema indeks")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def status_for(self, value, statuses=None):
        """The status whose band holds the value (thresholds are upper bounds, inclusive)."""
        if value is None:
            return None
        statuses = statuses if statuses is not None else list(self.statuses.all())
        for status in statuses:
            if status.upper_bound is None or value <= status.upper_bound:
                return status
        return statuses[-1] if statuses else None

    def next_status(self, status, statuses=None):
        statuses = statuses if statuses is not None else list(self.statuses.all())
        later = [s for s in statuses if s.order > status.order]
        return later[0] if later else None


@tracked()
class IndexComponent(PortalModel):
    """A component (IKS, IKE, IKL; or an Indeks Desa dimension) with its file column name."""

    scheme = models.ForeignKey(
        IndexScheme, verbose_name=_("skema"), on_delete=models.CASCADE, related_name="components"
    )
    code = models.SlugField(_("kode / nama kolom"), max_length=40, help_text=_("mis. iks; kolom IKS_2024 juga cocok"))
    name = models.CharField(_("nama"), max_length=120)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("komponen indeks")
        verbose_name_plural = pgettext_lazy("jamak", "komponen indeks")
        ordering = ["scheme_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="indexcomponent_unique_code",
                violation_error_message=_("Kode komponen ini sudah ada dalam skema."),
            )
        ]

    def __str__(self):
        return f"{self.code.upper()} — {self.name}"


@tracked()
class IndexStatus(PortalModel):
    """A status band: values up to `upper_bound` (inclusive); the top band has none."""

    scheme = models.ForeignKey(IndexScheme, verbose_name=_("skema"), on_delete=models.CASCADE, related_name="statuses")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=60, help_text=_("Seperti tertulis di berkas, mis. SANGAT TERTINGGAL"))
    upper_bound = models.DecimalField(_("batas atas"), max_digits=7, decimal_places=4, null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), help_text=_("1 = terendah"))
    color = models.CharField(_("warna peta"), max_length=7, default="#6c757d")

    class Meta:
        verbose_name = _("status indeks")
        verbose_name_plural = pgettext_lazy("jamak", "status indeks")
        ordering = ["scheme_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="indexstatus_unique_code"),
            models.UniqueConstraint(fields=["scheme", "order"], name="indexstatus_unique_order"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return self.name.title()


class IndexScoreQuerySet(ScopedQuerySet):
    scope_lookup = "village__district__regency"


# Scores arrive by the tens of thousands from the ministry's files: each import
# run (IndexImport: who, when, which file) records their creation, and the
# triggers record every later change and deletion row by row.
@pghistory.track(
    pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=["source_import"])), pghistory.DeleteEvent()
)
class IndexScore(PortalModel):
    """One village's score in one scheme and year, with the status computed from the thresholds
    and the status as published kept beside it."""

    village = models.ForeignKey(
        "regions.Village", verbose_name=_("desa"), on_delete=models.PROTECT, related_name="index_scores"
    )
    scheme = models.ForeignKey(IndexScheme, verbose_name=_("skema"), on_delete=models.PROTECT, related_name="scores")
    year = models.PositiveSmallIntegerField(_("tahun"))
    value = models.DecimalField(_("nilai"), max_digits=7, decimal_places=4)
    components = models.JSONField(_("nilai komponen"), default=dict)
    status = models.ForeignKey(
        IndexStatus, verbose_name=_("status (dihitung)"), on_delete=models.PROTECT, related_name="scores"
    )
    published_status = models.CharField(_("status (terbit)"), max_length=60, blank=True)
    status_disagrees = models.BooleanField(
        _("status berbeda"), default=False, help_text=_("Status yang diterbitkan tidak sesuai ambang batas.")
    )
    source_import = models.ForeignKey(
        "villages.IndexImport",
        verbose_name=_("impor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = IndexScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("nilai indeks desa")
        verbose_name_plural = pgettext_lazy("jamak", "nilai indeks desa")
        ordering = ["village_id", "scheme_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "scheme", "year"],
                name="indexscore_one_per_year",
                violation_error_message=_("Desa ini sudah memiliki nilai untuk skema dan tahun tersebut."),
            )
        ]
        indexes = [models.Index(fields=["scheme", "year", "status"])]

    def __str__(self):
        return f"{self.village_id} {self.scheme.code} {self.year}: {self.value}"


class IndexImportQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Imports are seen by admins and national users, and by the person who started them."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self if user.sees_everything else self.filter(started_by=user)


# Progress and heartbeat writes while an import runs are not history.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=["processed_rows", "heartbeat_at"])),
    pghistory.DeleteEvent(),
)
class IndexImport(ImportRecord):
    """One import of an index file (an upload, or `manage.py import_index`): its progress, its row-level
    errors, the rows whose code matches no current village and those of other years than the one named."""

    scheme = models.ForeignKey(IndexScheme, verbose_name=_("skema"), on_delete=models.PROTECT, related_name="imports")
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    file = models.FileField(_("berkas"), upload_to="imports/index/%Y/%m/", blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    created_count = models.PositiveIntegerField(_("ditambahkan"), default=0)
    updated_count = models.PositiveIntegerField(_("diperbarui"), default=0)
    unchanged_count = models.PositiveIntegerField(_("tidak berubah"), default=0)
    empty_rows = models.JSONField(_("baris tanpa nilai"), default=list)
    unmatched = models.JSONField(_("kode tidak cocok"), default=list)
    out_of_scope = models.JSONField(_("di luar wilayah kerja"), default=list)
    other_year_rows = models.PositiveIntegerField(_("baris tahun lain"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diunggah oleh"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    objects = IndexImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("impor indeks")
        verbose_name_plural = pgettext_lazy("jamak", "impor indeks")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return record_url("villages:index_import_detail", self.pk)

    def apply_result(self, result):
        self.created_count, self.updated_count, self.unchanged_count = result.created, result.updated, result.unchanged
        self.unmatched, self.empty_rows, self.out_of_scope = result.unmatched, result.empty_rows, result.out_of_scope
        self.other_year_rows = result.other_year_rows
