"""A village's page, the village list and the map of pilot villages — all loaded through visible_to."""

import re

from django.conf import settings
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from percontohan.records import Prepared
from percontohan.views_base import PreparedObjectMixin, ScopedListView
from regions.models import Village
from villages import insights, map_context
from villages.filters_village import VillageFilter
from villages.tables_village import VillageListTable

# A village the user may see, with its kecamatan, regency and province.
VILLAGE = Prepared(
    lambda codes, code: Village.objects.within(codes).select_related("district__regency__province").filter(code=code)
)


class VillageView(PreparedObjectMixin, DetailView):
    """/wilayah/desa/<code>/: identity, programme areas, pilot designations, index trend and map."""

    model = Village
    record_query = VILLAGE
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "region"
    template_name = "villages/village_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        village, user = self.object, self.request.user
        district = village.district
        trends = insights.village_index_trends(village)
        main = next((t for t in trends if t.scheme.code == insights.DEFAULT_SCHEME_CODE), trends[0] if trends else None)
        color = main.latest.status.color if main else None
        context.update(
            ancestors=[district.regency.province, district.regency, district],
            memberships=insights.village_memberships(village, user),
            # A list: the page shows the newest one at the top and all of them below (one query, not two).
            pilots=insights.village_pilots(village),
            trends=trends,
            main_trend=main,
            map_data=insights.village_map_data(village, insights.village_geo(village), color),
        )
        return context


class VillageListView(ScopedListView):
    """/desa/: every village in scope with its pilot status and index of the chosen year."""

    model = Village
    table_class = VillageListTable
    filterset_class = VillageFilter
    export_name = "desa"
    template_name = "villages/village_list.html"
    extra_context = {"title": _("Daftar desa")}

    def get_queryset(self):
        # The regions' names as subqueries, not select_related() (three more instances per row) nor
        # annotations through the relation: a COUNT keeps the joins such an annotation made (38 ms
        # against 10 for the national list), where it leaves out subqueries it does not need.
        return super().get_queryset().with_region_names().annotate(pilot_status=insights.latest_pilot_status())

    def get_table_kwargs(self):
        return {"scheme": self.filterset.scheme, "year": self.filterset.year}

    def list_query_state(self):
        return ()  # the rows in scope, their designations and scores: nothing else

    def get_export_filename(self, export_format):
        year = f"-{self.filterset.year}" if self.filterset.year else ""
        return f"{self.export_name}{year}.{export_format}"


class MapView(TemplateView):
    """/peta/: the pilot and candidate villages in scope, coloured by their latest index status."""

    template_name = "villages/map.html"
    extra_context = {"title": _("Peta desa percontohan")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scheme = insights.default_scheme()
        entries = insights.pilot_map_villages(self.request.user, scheme)
        context.update(
            scheme=scheme,
            legend=map_context.legend(scheme),
            entries=entries,
            located=sum(1 for e in entries if e.geo is not None),
            map_config={
                "dataUrl": reverse("villages:map_data"),
                "contextUrl": reverse("villages:map_context"),
                "tileUrl": settings.MAP_TILE_URL,
            },
        )
        return context


def map_data(request):
    """/peta/desa.geojson: the map page's villages as GeoJSON (points and boundaries)."""
    scheme = insights.default_scheme()
    entries = insights.pilot_map_villages(request.user, scheme)
    return JsonResponse(insights.pilot_map_geojson(entries, scheme), content_type="application/geo+json")


REGENCY_CODE = re.compile(r"\d{2}\.\d{2}")


def map_context_data(request):
    """/peta/konteks.geojson[?kabupaten=63.04]: the kecamatan and every located village of the regencies
    named (else those of the pilot villages in scope), drawn around the villages a map is about."""
    asked = [code.strip() for value in request.GET.getlist("kabupaten") for code in value.split(",") if code.strip()]
    codes = [code for code in asked if REGENCY_CODE.fullmatch(code)][: map_context.MAX_REGENCIES]
    if asked and not codes:
        # Only malformed codes: nothing to draw, rather than the default regencies.
        return JsonResponse({"type": "FeatureCollection", "features": []}, content_type="application/geo+json")
    regencies = map_context.context_regencies(request.user, codes)
    collection = map_context.context_geojson(request.user, regencies, insights.default_scheme())
    return JsonResponse(collection, content_type="application/geo+json")


urlpatterns = [
    path("wilayah/desa/<str:code>/", VillageView.as_view(), name="village"),
    path("desa/", VillageListView.as_view(), name="village_list"),
    path("peta/", MapView.as_view(), name="map"),
    path("peta/desa.geojson", map_data, name="map_data"),
    path("peta/konteks.geojson", map_context_data, name="map_context"),
]
