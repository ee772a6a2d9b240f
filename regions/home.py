"""The regions' part of the home page: how many regions the user's scope holds, and which regencies
(see percontohan.registry)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from percontohan.registry import HomeSection, HomeStat
from regions.models import District, Regency, Village


def home(request):
    user = request.user
    regencies = Regency.objects.visible_to(user).current()
    scope = None
    if not user.sees_everything:
        scope = (
            regencies.select_related("province")
            .annotate(village_count=Count("districts__villages"))
            .order_by("province__name", "name")
        )
    return [
        HomeStat(10, _("Kabupaten/kota"), regencies),
        HomeStat(20, _("Kecamatan"), District.objects.visible_to(user).current()),
        HomeStat(30, _("Desa/kelurahan"), Village.objects.visible_to(user).current()),
        HomeSection(90, "regions/home_scope.html", {"scope_regencies": scope}),
    ]
