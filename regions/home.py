"""The regions' part of the home page: how many regions the user's scope holds, and which regencies
(see percontohan.registry)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from percontohan.records import Prepared
from percontohan.registry import HomeSection, HomeStat
from percontohan.scoping import read_scope
from regions.models import District, Regency, Village

# Built and compiled once per process (percontohan.records.Prepared), for a scope.
REGENCIES = Prepared(lambda codes: Regency.objects.within(codes).current().values("pk"))
DISTRICTS = Prepared(lambda codes: District.objects.within(codes).current().values("pk"))
SCOPE_REGENCIES = Prepared(
    lambda codes: (
        Regency.objects.within(codes)
        .current()
        .select_related("province")
        .annotate(village_count=Count("districts__villages"))
        .order_by("province__name", "name")
    )
)


def home(request):
    user = request.user
    codes = read_scope(user)
    return [
        HomeStat(10, _("Kabupaten/kota"), REGENCIES.sql(codes)),
        HomeStat(20, _("Kecamatan"), DISTRICTS.sql(codes)),
        # A village's scope is also said as the span of codes it lies in (regions.models.VillageQuerySet),
        # which a prepared query cannot take as a key: built and compiled here.
        HomeStat(30, _("Desa/kelurahan"), Village.objects.visible_to(user).current()),
        HomeSection(
            90, "regions/home_scope.html", {"scope_regencies": None if codes is None else SCOPE_REGENCIES(codes)}
        ),
    ]
