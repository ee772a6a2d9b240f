"""Filters of the village list (/desa/): region, kind, area, pilot status, and the index of one year."""

import django_filters
from django.db.models import Exists, OuterRef
from django.db.models.functions import Substr
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from percontohan.filters import ScopedFilterSet
from regions.forms import RegionPicker
from regions.models import District, Province, Regency, VillageKind
from regions.views import search_filter
from villages.insights import default_scheme, scheme_years, with_index
from villages.models import AreaMembership, PilotStatus, PilotVillage, ProgrammeArea

# The choice that selects rows without a value (no designation, no score).
NONE = "-"
# Without JavaScript a region picker holds only the chosen region; the search box also finds villages by
# a code prefix.
CODE_SEARCH_HINT = _("Tanpa JavaScript: ketik kode wilayah (mis. 63.04) di kotak pencarian.")


class VillageFilter(ScopedFilterSet):
    """Every choice list holds only what the user may see; the index year defaults to the latest."""

    q = django_filters.CharFilter(label=_("Cari nama atau kode"), method="search")
    # Searchable pickers that load their options on demand (regions.forms.RegionPicker): none of the
    # 514 regencies or 7,285 kecamatan is on the page until the user types.
    province = django_filters.ModelChoiceFilter(
        label=_("Provinsi"),
        field_name="district__regency__province",
        queryset=Province.objects.all(),
        widget=RegionPicker("provinsi", hint=CODE_SEARCH_HINT),
    )
    regency = django_filters.ModelChoiceFilter(
        label=_("Kabupaten/kota"),
        field_name="district__regency",
        queryset=Regency.objects.all(),
        widget=RegionPicker("kabupaten", within={"provinsi": "province"}, hint=CODE_SEARCH_HINT),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"),
        queryset=District.objects.all(),
        widget=RegionPicker(
            "kecamatan", within={"provinsi": "province", "kabupaten": "regency"}, hint=CODE_SEARCH_HINT
        ),
    )
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=VillageKind.choices, method="filter_kind")
    area = django_filters.ModelChoiceFilter(
        label=_("Kawasan"), queryset=ProgrammeArea.objects.none(), method="filter_area"
    )
    pilot_status = django_filters.ChoiceFilter(
        label=_("Status percontohan"),
        choices=[*PilotStatus.choices, (NONE, _("Bukan desa percontohan"))],
        method="filter_pilot_status",
    )
    # The year picks which scores the rows show (and the status filter reads); it filters no row itself.
    year = django_filters.ChoiceFilter(label=_("Tahun indeks"), choices=[], empty_label=None, method="keep")
    index_status = django_filters.ChoiceFilter(label=_("Status indeks"), choices=[], method="filter_index_status")

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        self.scheme = default_scheme()
        self.years = scheme_years(self.scheme)
        data = _with_consistent_regions(data.copy() if data is not None else QueryDict(mutable=True))
        if not data.get("year") and self.years:
            data["year"] = str(self.years[0])
        self.year = _chosen_year(data.get("year"), self.years)
        # The rows carry the chosen year's index even when the filters are invalid (and the list empty).
        super().__init__(data, with_index(queryset, self.scheme, self.year), user=user, **kwargs)
        self.statuses = list(self.scheme.statuses.all()) if self.scheme else []
        self._set_choices(user)

    def _set_choices(self, user):
        # The region filters are scoped by ScopedFilterSet; their options load on demand.
        self.filters["area"].queryset = ProgrammeArea.objects.visible_to(user).order_by("name")
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in self.years]
        self.filters["index_status"].extra["choices"] = [
            *((status.code, status.label) for status in self.statuses),
            (NONE, _("Belum ada nilai")),
        ]
        if self.scheme is not None:
            self.filters["index_status"].label = _("Status %(index)s") % {"index": self.scheme.code.upper()}
            self.filters["year"].label = _("Tahun %(index)s") % {"index": self.scheme.code.upper()}

    def query_state(self):
        # The scheme and year whose scores the rows show (the latest year when none is asked for), and the
        # statuses the status filter turns into keys.
        scheme = self.scheme.pk if self.scheme else None
        return (scheme, self.year, tuple((status.code, status.pk) for status in self.statuses))

    def search(self, queryset, name, value):
        return search_filter(queryset, value)

    def filter_kind(self, queryset, name, value):
        # The first of a village code's last four digits (dd.dd.dd.Xddd, the import checks the form) gives
        # its kind: one character read, not a regular expression run over 83,762 codes (79 ms to count).
        return queryset.alias(kind_digit=Substr("code", 10, 1)).filter(kind_digit=value)

    def filter_area(self, queryset, name, value):
        """Villages that belong, or belonged, to the area."""
        return queryset.filter(Exists(AreaMembership.objects.filter(area=value, village=OuterRef("pk"))))

    def filter_pilot_status(self, queryset, name, value):
        # Said through the few designated villages: the latest status, a subquery per village, is
        # read only for them, not for all 83,762 (340 ms for a national user).
        designated = PilotVillage.objects.values("village_id")
        if value == NONE:
            return queryset.exclude(pk__in=designated)
        return queryset.filter(pk__in=designated, pilot_status=value)

    def filter_index_status(self, queryset, name, value):
        if value == NONE:
            return queryset.filter(index_value__isnull=True)
        status = next((s for s in self.statuses if s.code == value), None)
        return queryset.filter(index_status_id=status.pk) if status else queryset.none()

    def keep(self, queryset, name, value):
        return queryset


def _with_consistent_regions(data):
    """Drop a regency outside the chosen province and a kecamatan outside the chosen regency
    (what is left after the user changes a higher level)."""
    province, regency, district = data.get("province"), data.get("regency"), data.get("district")
    if province and regency and not regency.startswith(f"{province}."):
        data.pop("regency")
        regency = None
    if district and (
        (regency and not district.startswith(f"{regency}.")) or (province and not district.startswith(f"{province}."))
    ):
        data.pop("district")
    return data


def _chosen_year(raw, years):
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return years[0] if years else None
    return year if year in years else None
