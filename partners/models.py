"""Organisations taking part in the programme: ministries, BLM, district offices, partners."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from percontohan.history import VersionedModel, tracked
from percontohan.scoping import ScopedQuerySet


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


class OrganisationQuerySet(ScopedQuerySet):
    def scope_q(self, regency_codes):
        # National bodies are seen by everyone; a provincial body by anyone
        # working in that province; a BLM by anyone in its working area.
        provinces = {code[:2] for code in regency_codes}
        serving = Organisation.working_area.through.objects.filter(regency_id__in=regency_codes)
        return (
            models.Q(regency__in=regency_codes)
            | models.Q(regency__isnull=True, province__in=provinces)
            | models.Q(regency__isnull=True, province__isnull=True)
            | models.Q(pk__in=serving.values("organisation_id"))
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
        "villages.Province", verbose_name=_("provinsi"), on_delete=models.PROTECT, null=True, blank=True
    )
    regency = models.ForeignKey(
        "villages.Regency",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    working_area = models.ManyToManyField(
        "villages.Regency",
        verbose_name=_("wilayah kerja"),
        blank=True,
        related_name="serving_organisations",
        help_text=_("Untuk BLM: kabupaten/kota yang dilayani."),
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
        return reverse("partners:organisation_detail", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.regency_id and self.province_id and self.regency.province_id != self.province_id:
            raise ValidationError({"regency": _("Kabupaten/kota ini tidak berada di provinsi yang dipilih.")})
        if self.regency_id and not self.province_id:
            self.province_id = self.regency.province_id
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Instansi tidak dapat menjadi induk dirinya sendiri.")})
