"""Indonesian regions (Kemendagri codes), loaded from idn-area-data.

Province → Regency (kabupaten/kota) → District (kecamatan) → Village
(desa/kelurahan/desa adat). Each is keyed by its official dotted code; a code
that a newer release drops is marked retired, never deleted, because other
records may point to it.
"""

import re

import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from percontohan.imports import ImportRecord
from percontohan.indexes import name_search_index
from percontohan.links import record_url
from percontohan.records import PortalModel
from percontohan.scoping import ScopedQuerySet

# Regions are reference data: their creation is recorded by the import run
# (RegionImport), so only changes and deletions are tracked row by row —
# 91,599 insert events on the first import would double its time.
tracked_region = pghistory.track(pghistory.UpdateEvent(), pghistory.DeleteEvent())


REGENCY_CODE = re.compile(r"\d{2}\.\d{2}")


class RegionQuerySet(ScopedQuerySet):
    def edit_scope_q(self, regency_codes):
        # Reference data, imported from Kemendagri's codes: changed by Admin only.
        return models.Q(pk__in=[])

    def current(self):
        return self.filter(retired_on__isnull=True)


class ProvinceQuerySet(RegionQuerySet):
    def scope_q(self, regency_codes):
        return models.Q(code__in_array=sorted({code[:2] for code in regency_codes}))


class RegencyQuerySet(RegionQuerySet):
    scope_lookup = "code"


class DistrictQuerySet(RegionQuerySet):
    scope_lookup = "regency"


class VillageQuerySet(RegionQuerySet):
    scope_lookup = "district__regency"

    def scope_q(self, regency_codes):
        """The villages of the regencies, said also as the span of codes they lie in.

        A village's code begins with its regency's (the import refuses any other), so every village of the
        scope lies between the first regency's code and the code after the last one's — in any collation,
        as the codes' digits sort in order. Told that span, PostgreSQL reads the village list (ordered by
        code) from where the scope begins: without it, it expects the scope's villages spread evenly over
        the index and read the 58,000 villages of Sumatra and Java (45 ms) before BLM Banjarmasin's first.
        """
        scope = super().scope_q(regency_codes)
        if not isinstance(regency_codes, list | tuple | set | frozenset) or not regency_codes:
            return scope  # a subquery of codes
        first, last = min(regency_codes), max(regency_codes)
        if not (REGENCY_CODE.fullmatch(first) and REGENCY_CODE.fullmatch(last)):
            return scope
        after_last = int(last.replace(".", "")) + 1
        if after_last > 9999:
            return scope & models.Q(code__gte=first)
        return scope & models.Q(code__gte=first, code__lt=f"{after_last // 100:02}.{after_last % 100:02}")

    def with_region_names(self):
        """Each village's kecamatan, regency and province names (`district_name`, `regency_name`,
        `province_name`), each read by a subquery of the kecamatan's key.

        A list that shows the names reads them so rather than through select_related(): a page of 100
        villages then makes 100 instances, not 400 (the ORM's populating of the related instances was
        most of the cost of reading the page), and a COUNT of the list leaves the subqueries out, where
        it keeps the joins that a name annotated through the relation would make.
        """
        district = District.objects.filter(code=models.OuterRef("district_id")).order_by()
        return self.annotate(
            district_name=models.Subquery(district.values("name")[:1]),
            regency_name=models.Subquery(district.values("regency__name")[:1]),
            province_name=models.Subquery(district.values("regency__province__name")[:1]),
        )


class Region(PortalModel):
    """Fields every level shares."""

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=255, db_index=True)
    retired_on = models.DateField(
        _("tidak berlaku sejak"),
        null=True,
        blank=True,
        help_text=_("Kode tidak lagi ada dalam rilis data wilayah terbaru."),
    )

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def is_current(self):
        return self.retired_on is None


@tracked_region
class Province(Region):
    """Provinsi."""

    objects = ProvinceQuerySet.as_manager()

    class Meta(Region.Meta):
        verbose_name = _("provinsi")
        verbose_name_plural = pgettext_lazy("jamak", "provinsi")

    def get_absolute_url(self):
        return record_url("regions:province", self.code)

    @property
    def parent(self):
        return None


@tracked_region
class Regency(Region):
    """Kabupaten or kota; the name says which ("Kabupaten Barito Kuala", "Kota Banjarmasin")."""

    province = models.ForeignKey(
        Province, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="regencies"
    )

    objects = RegencyQuerySet.as_manager()

    class Meta(Region.Meta):
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = pgettext_lazy("jamak", "kabupaten/kota")

    def get_absolute_url(self):
        return record_url("regions:regency", self.code)

    @property
    def parent(self):
        return self.province

    @property
    def kind(self):
        return _("Kota") if self.name.startswith("Kota ") else _("Kabupaten")


@tracked_region
class District(Region):
    """Kecamatan (called district in the code)."""

    regency = models.ForeignKey(
        Regency, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="districts"
    )

    objects = DistrictQuerySet.as_manager()

    class Meta(Region.Meta):
        verbose_name = _("kecamatan")
        verbose_name_plural = pgettext_lazy("jamak", "kecamatan")
        # The kecamatan picker searches all 7,285 of them for a national user.
        indexes = [name_search_index("name", "district_name_trgm")]

    def get_absolute_url(self):
        return record_url("regions:district", self.code)

    @property
    def parent(self):
        return self.regency


class VillageKind(models.TextChoices):
    """The first digit of a village code's last four digits."""

    KELURAHAN = "1", _("Kelurahan")
    DESA = "2", _("Desa")
    DESA_ADAT = "3", _("Desa adat")


@tracked_region
class Village(Region):
    """Desa, kelurahan or desa adat; the kind follows from the code."""

    district = models.ForeignKey(
        District, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="villages"
    )

    objects = VillageQuerySet.as_manager()

    class Meta(Region.Meta):
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = pgettext_lazy("jamak", "desa/kelurahan")
        # The village search (regions.views.search_filter: /desa/, /wilayah/, the village picker) runs
        # on all 83,762 villages. The 514 regencies are read whole faster than through an index.
        indexes = [name_search_index("name", "village_name_trgm")]

    def get_absolute_url(self):
        return record_url("villages:village", self.code)

    @property
    def parent(self):
        return self.district

    @property
    def kind(self):
        # By the enum's own lookup: VillageKind.values builds its list anew (a tenth of a village row).
        try:
            return VillageKind(self.code[-4])
        except ValueError:
            return None


LEVELS = (Province, Regency, District, Village)


class RegionImport(ImportRecord):
    """One run of the region import: what release, when, what changed — or why it failed."""

    started_at = models.DateTimeField(_("mulai"), auto_now_add=True)
    source = models.CharField(_("sumber"), max_length=500)
    checksum = models.CharField(_("checksum"), max_length=64, blank=True)
    created = models.JSONField(_("ditambahkan"), default=dict)
    renamed = models.JSONField(_("diubah"), default=dict)
    retired = models.JSONField(_("tidak berlaku"), default=dict)
    restored = models.JSONField(_("berlaku kembali"), default=dict)

    class Meta:
        verbose_name = _("impor wilayah")
        verbose_name_plural = pgettext_lazy("jamak", "impor wilayah")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.source} ({self.started_at:%Y-%m-%d %H:%M})"

    def apply_result(self, result):
        self.checksum = result.checksum
        self.created, self.renamed = result.by_action["created"], result.by_action["renamed"]
        self.retired, self.restored = result.by_action["retired"], result.by_action["restored"]
