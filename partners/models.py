"""Organisations taking part in the programme: ministries, BLM, district offices, partners."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from percontohan.history import VersionedModel, tracked
from percontohan.indexes import name_search_index
from percontohan.links import record_url
from percontohan.scoping import ScopedQuerySet, scope_keys


class OrganisationKind(models.TextChoices):
    MINISTRY = "kementerian", _("Kementerian/Lembaga")
    MINISTRY_UNIT = "unit_kementerian", _("Unit kementerian (eselon I/II)")
    BLM = "blm", _("Balai Latihan Masyarakat (BLM)")
    PROVINCE_GOV = "pemprov", _("Pemerintah provinsi")
    REGENCY_GOV = "pemkab", _("Pemerintah kabupaten/kota")
    DINAS = "dinas", _("Dinas/OPD")
    LEGISLATURE = "legislatif", _("DPR/DPRD")
    VILLAGE_GOV = "pemdes", _("Pemerintah desa")
    BUMDES = "bumdes", _("BUMDes/BUMDes Bersama")
    COMPANY = "swasta", _("Perusahaan (CSR)")
    UNIVERSITY = "perguruan_tinggi", _("Perguruan tinggi")
    NGO = "lsm", _("LSM/organisasi masyarakat sipil")
    COMMUNITY = "kelompok", _("Kelompok masyarakat")


# Organisations of the ministry and of a province: recorded and changed by Admin only, wherever they sit.
NATIONAL_OR_PROVINCIAL_KINDS = (
    OrganisationKind.MINISTRY,
    OrganisationKind.MINISTRY_UNIT,
    OrganisationKind.PROVINCE_GOV,
)


def organisations_serving(regency_codes):
    """The organisations (BLMs) whose working area holds one of the given regencies."""
    return Organisation.working_area.through.objects.filter(regency_id__in_array=regency_codes).values(
        "organisation_id"
    )


def organisations_serving_outside(regency_codes):
    """The organisations whose working area holds a regency outside the given ones."""
    return Organisation.working_area.through.objects.exclude(regency_id__in_array=regency_codes).values(
        "organisation_id"
    )


class OrganisationQuerySet(ScopedQuerySet):
    def scope_q(self, regency_codes):
        # National bodies are seen by everyone; a provincial body by anyone
        # working in that province; a BLM by anyone in its working area.
        provinces = sorted({code[:2] for code in regency_codes})
        return (
            models.Q(regency__in_array=regency_codes)
            | models.Q(regency__isnull=True, province__in_array=provinces)
            | models.Q(regency__isnull=True, province__isnull=True)
            | models.Q(pk__in=scope_keys(organisations_serving, regency_codes))
        )

    def edit_scope_q(self, regency_codes):
        # Seen is not changed: a regional editor changes an organisation of a regency in their
        # scope, not a national or provincial one, nor one serving regencies outside it.
        return (
            models.Q(regency__in_array=regency_codes)
            & ~models.Q(kind__in=NATIONAL_OR_PROVINCIAL_KINDS)
            & ~models.Q(pk__in=scope_keys(organisations_serving_outside, regency_codes))
        )


@tracked()
class Organisation(VersionedModel):
    """An organisation with its place in the hierarchy and, for a BLM, its working area."""

    name = models.CharField(_("nama"), max_length=255)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=OrganisationKind)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    province = models.ForeignKey(
        "regions.Province", verbose_name=_("provinsi"), on_delete=models.PROTECT, null=True, blank=True
    )
    regency = models.ForeignKey(
        "regions.Regency",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    working_area = models.ManyToManyField(
        "regions.Regency",
        verbose_name=_("wilayah kerja"),
        blank=True,
        related_name="serving_organisations",
        help_text=_("Untuk BLM: kabupaten/kota yang dilayani."),
    )
    head_name = models.CharField(_("nama pimpinan"), max_length=200, blank=True)
    head_position = models.CharField(
        _("jabatan pimpinan"), max_length=200, blank=True, help_text=_("Mis. Kepala Balai, Bupati, Kepala Dinas.")
    )
    description = models.TextField(
        _("profil"), blank=True, help_text=_("Apa yang dikerjakan instansi ini dalam program, dan sejak kapan.")
    )
    address = models.TextField(_("alamat"), blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    website = models.URLField(_("situs web"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("instansi/mitra")
        verbose_name_plural = pgettext_lazy("jamak", "instansi/mitra")
        ordering = ["name"]
        # The organisation search looks in both names (partners.filters).
        indexes = [
            name_search_index("name", "organisation_name_trgm"),
            name_search_index("short_name", "organisation_short_name_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "parent"],
                name="organisation_unique_name_per_parent",
                nulls_distinct=False,
                violation_error_message=_("Instansi dengan nama ini sudah ada di bawah induk yang sama."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url("partners:organisation_detail", self.pk)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.regency_id and self.province_id and self.regency.province_id != self.province_id:
            raise ValidationError({"regency": _("Kabupaten/kota ini tidak berada di provinsi yang dipilih.")})
        if self.regency_id and not self.province_id:
            self.province_id = self.regency.province_id
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Instansi tidak dapat menjadi induk dirinya sendiri.")})
