"""The region browser: province → regency → district → village, searchable, scoped."""

from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView
from django_tables2 import RequestConfig

from percontohan.exports import ExportMixin
from percontohan.tables import KeysFirstPaginator
from percontohan.views_base import ScopedMixin
from regions import tables
from regions.forms import region_label, village_label, whole_province_label
from regions.models import District, Province, Regency, Village


def search_filter(queryset, query):
    """Match a name fragment or a code prefix (codes are typed with or without dots)."""
    query = query.strip()
    if not query:
        return queryset
    digits = query.replace(".", "")
    if digits.isdigit():
        return (
            queryset.filter(code__startswith=query)
            if "." in query
            else queryset.filter(Q(code__startswith=query) | Q(code__regex=_dotted_prefix_regex(digits)))
        )
    return queryset.filter(name__icontains=query)


def _dotted_prefix_regex(digits):
    # 63040320 → ^63\.04\.03\.20 : allow codes typed without dots.
    groups, sizes = [], (2, 2, 2, 4)
    position = 0
    for size in sizes:
        if position >= len(digits):
            break
        groups.append(digits[position : position + size])
        position += size
    return "^" + r"\.".join(groups)


class RegionPageMixin(ExportMixin):
    """A region page with a searchable, sortable, paginated and exportable table of its children."""

    table_class = None
    # Not `paginate_by`: ListView would paginate the index page's provinces by it too.
    per_page = 50

    def get_children(self):
        raise NotImplementedError

    def get_table_kwargs(self):
        return {}

    def get_export_filename(self, export_format):
        return f"wilayah-{getattr(self, 'object', None) and self.object.code or 'indonesia'}.{export_format}"

    def get_table(self, **kwargs):
        children = search_filter(self.get_children(), self.request.GET.get("q", ""))
        return self.configure_table(self.table_class(children))

    def configure_table(self, table):
        """Sort by the request; paginate, except for an export, which holds every row."""
        paginate = False if self.export_format else {"per_page": self.per_page, "paginator_class": KeysFirstPaginator}
        return RequestConfig(self.request, paginate=paginate).configure(table)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["table"] = self.get_table()
        context["q"] = self.request.GET.get("q", "")
        context["export_formats"] = self.export_formats
        return context


class RegionIndexView(RegionPageMixin, ListView):
    """/wilayah/: the provinces in the user's scope, and a search across every village."""

    template_name = "regions/region_index.html"

    def get_queryset(self):
        return Province.objects.visible_to(self.request.user)

    def get_children(self):
        return self.get_queryset().annotate(regency_count=Count("regencies")).order_by("code")

    def get_table(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        if not query:
            self.table_class = tables.ProvinceTable
            return super().get_table(**kwargs)
        villages = Village.objects.visible_to(self.request.user).select_related("district__regency__province")
        return self.configure_table(tables.VillageSearchTable(search_filter(villages, query)))


class RegionDetailView(ScopedMixin, RegionPageMixin, DetailView):
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "region"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ancestors, node = [], self.object.parent
        while node is not None:
            ancestors.insert(0, node)
            node = node.parent
        context["ancestors"] = ancestors
        context["region_level"] = getattr(self.object, "kind", None) or self.model._meta.verbose_name.capitalize()
        return context


class ProvinceView(RegionDetailView):
    model = Province
    table_class = tables.RegencyTable
    template_name = "regions/region_detail.html"
    children_label = _("Kabupaten/kota")

    def get_children(self):
        return (
            Regency.objects.visible_to(self.request.user)
            .filter(province=self.object)
            .annotate(district_count=Count("districts"))
            .order_by("code")
        )


class RegencyView(RegionDetailView):
    model = Regency
    table_class = tables.DistrictTable
    template_name = "regions/region_detail.html"
    children_label = _("Kecamatan")

    def get_queryset(self):
        return super().get_queryset().select_related("province")

    def get_children(self):
        return District.objects.filter(regency=self.object).annotate(village_count=Count("villages")).order_by("code")


class DistrictView(RegionDetailView):
    model = District
    table_class = tables.VillageTable
    template_name = "regions/region_detail.html"
    children_label = _("Desa/kelurahan")

    def get_queryset(self):
        return super().get_queryset().select_related("regency__province")

    def get_children(self):
        return Village.objects.filter(district=self.object)


# The village picker (regions.forms.VillagePicker) shows this many matches at a time.
VILLAGE_SEARCH_LIMIT = 20


@never_cache
@require_GET
def village_search(request):
    """/wilayah/cari/?q=…[&kabupaten=63.04…]: the village picker's search, as JSON.

    Up to VILLAGE_SEARCH_LIMIT current villages the user may see whose name contains `q` or whose code
    starts with it (typed with or without dots), optionally only in the regencies named by `kabupaten`.
    """
    query = request.GET.get("q", "").strip()
    regencies = [code for code in request.GET.getlist("kabupaten") if code]
    villages = Village.objects.none()
    if query:
        villages = Village.objects.visible_to(request.user).current().select_related("district")
        if regencies:
            villages = villages.filter(district__regency__in=regencies)
        by_code = query.replace(".", "").isdigit()
        villages = search_filter(villages, query).order_by(*(("code",) if by_code else ("name", "code")))
    results = [{"value": village.code, "text": village_label(village)} for village in villages[:VILLAGE_SEARCH_LIMIT]]
    return JsonResponse({"results": results})


# A region picker (regions.forms.RegionPicker) shows this many matches at a time: every regency of the
# largest province (Jawa Timur, 38) and most kecamatan of a regency.
REGION_SEARCH_LIMIT = 50
# The levels the region pickers search, by the word their URL uses; "provinsi-kabupaten" finds whole
# provinces and regencies (the agreement list's region filter).
SEARCH_LEVELS = {"provinsi": Province, "kabupaten": Regency, "kecamatan": District}
PROVINCE_OR_REGENCY = "provinsi-kabupaten"


@never_cache
@require_GET
def region_search(request, level):
    """/wilayah/cari/<provinsi|kabupaten|kecamatan|provinsi-kabupaten>/?q=…[&provinsi=63][&kabupaten=63.04]:
    a region picker's search, as JSON.

    Up to REGION_SEARCH_LIMIT current regions of the level that the user may see, whose name contains
    `q` or whose code starts with it (typed with or without dots) — the first ones by code when `q` is
    empty —, optionally only those in the province (`provinsi`) or regency (`kabupaten`) named.
    """
    if level == PROVINCE_OR_REGENCY:
        provinces = list(_regions_found(request, Province)[:REGION_SEARCH_LIMIT])
        regencies = _regions_found(request, Regency)[: REGION_SEARCH_LIMIT - len(provinces)]
        results = [{"value": p.code, "text": whole_province_label(p)} for p in provinces]
        results += [{"value": regency.code, "text": regency.name} for regency in regencies]
        return JsonResponse({"results": results})
    if level not in SEARCH_LEVELS:
        raise Http404
    regions = _regions_found(request, SEARCH_LEVELS[level])[:REGION_SEARCH_LIMIT]
    return JsonResponse({"results": [{"value": region.code, "text": region_label(region)} for region in regions]})


def _regions_found(request, model):
    """The current regions of one level in the user's scope that the search's parameters ask for, in order."""
    regions = model.objects.visible_to(request.user).current()
    province = request.GET.get("provinsi", "").strip()
    regency = request.GET.get("kabupaten", "").strip()
    if model is Regency and province:
        regions = regions.filter(province=province)
    elif model is District:
        regions = regions.select_related("regency")
        if regency:
            regions = regions.filter(regency=regency)
        elif province:
            regions = regions.filter(regency__province=province)
    query = request.GET.get("q", "").strip()
    by_code = not query or query.replace(".", "").isdigit()
    return search_filter(regions, query).order_by(*(("code",) if by_code else ("name", "code")))
