"""Where villages and kecamatan are: a point and, when known, a boundary (GeoJSON, WGS84)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from percontohan.history import tracked
from percontohan.records import PortalModel
from percontohan.scoping import ScopedQuerySet


class VillageGeoQuerySet(ScopedQuerySet):
    scope_lookup = "village__district__regency"


@tracked()
class VillageGeo(PortalModel):
    """A village's centroid and boundary, loaded by `import_geo`."""

    village = models.OneToOneField(
        "regions.Village", verbose_name=_("desa"), on_delete=models.CASCADE, primary_key=True, related_name="geo"
    )
    lat = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    boundary = models.JSONField(_("batas wilayah (GeoJSON)"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=255, blank=True)

    objects = VillageGeoQuerySet.as_manager()

    class Meta:
        verbose_name = _("lokasi desa")
        verbose_name_plural = pgettext_lazy("jamak", "lokasi desa")

    def __str__(self):
        return f"{self.village_id} ({self.lat}, {self.lng})"


class DistrictGeoQuerySet(ScopedQuerySet):
    scope_lookup = "district__regency"


@tracked()
class DistrictGeo(PortalModel):
    """A kecamatan's boundary and the point its name is written at, drawn around the villages on the maps."""

    district = models.OneToOneField(
        "regions.District", verbose_name=_("kecamatan"), on_delete=models.CASCADE, primary_key=True, related_name="geo"
    )
    lat = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    boundary = models.JSONField(_("batas wilayah (GeoJSON)"))
    source = models.CharField(_("sumber"), max_length=255, blank=True)

    objects = DistrictGeoQuerySet.as_manager()

    class Meta:
        verbose_name = _("batas kecamatan")
        verbose_name_plural = pgettext_lazy("jamak", "batas kecamatan")

    def __str__(self):
        return str(self.district_id)
