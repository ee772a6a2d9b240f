"""Search and filters of the programme area, pilot village and selection round lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation, OrganisationKind
from percontohan.filters import ScopedFilterSet
from percontohan.indexes import any_of
from regions.forms import RegionPicker
from regions.models import Regency
from villages.models import AreaKind, PilotStatus, PilotVillage, ProgrammeArea, SelectionRound
from villages.models.selection import RoundStatus


class PeriodFilterMixin:
    def in_year(self, queryset, name, value):
        """Records whose period (start–end years) includes the year."""
        return queryset.filter(period_start__lte=value, period_end__gte=value)


class AreaFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Jenis kawasan"), choices=AreaKind.choices)
    regency = django_filters.ModelChoiceFilter(
        label=_("Kabupaten/kota"), queryset=Regency.objects.order_by("code"), widget=RegionPicker("kabupaten")
    )

    class Meta:
        model = ProgrammeArea
        fields = ["q", "kind", "regency"]

    def query_state(self):
        return ()  # the request's values, and records by their keys

    def search(self, queryset, name, value):
        """Name, legal basis or regency name: each its own branch of a UNION of keys, so each reads its index
        (see percontohan.indexes.any_of); the matching regencies (514 in all) are found first."""
        areas = ProgrammeArea.objects.all()
        return queryset.filter(
            pk__in=any_of(
                areas.filter(name__icontains=value).values("pk"),
                areas.filter(legal_basis__icontains=value).values("pk"),
                areas.filter(regency__in=Regency.objects.filter(name__icontains=value)).values("pk"),
            )
        )


class PilotFilter(PeriodFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cari desa"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PilotStatus.choices)
    responsible_blm = django_filters.ModelChoiceFilter(
        label=_("BLM"), queryset=Organisation.objects.filter(kind=OrganisationKind.BLM)
    )
    programme_area = django_filters.ModelChoiceFilter(label=_("Kawasan"), queryset=ProgrammeArea.objects.all())
    regency = django_filters.ModelChoiceFilter(
        label=_("Kabupaten/kota"),
        field_name="village__district__regency",
        queryset=Regency.objects.order_by("code"),
        widget=RegionPicker("kabupaten"),
    )
    year = django_filters.NumberFilter(label=_("Periode (tahun)"), method="in_year")

    class Meta:
        model = PilotVillage
        fields = ["q", "status", "responsible_blm", "programme_area", "regency", "year"]

    def query_state(self):
        return ()  # the request's values, and records by their keys

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(village__name__icontains=value) | Q(village__code__startswith=value))


class RoundFilter(PeriodFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RoundStatus.choices)
    regency = django_filters.ModelChoiceFilter(
        label=_("Kabupaten/kota"), queryset=Regency.objects.order_by("code"), widget=RegionPicker("kabupaten")
    )
    year = django_filters.NumberFilter(label=_("Periode (tahun)"), method="in_year")

    class Meta:
        model = SelectionRound
        fields = ["q", "status", "regency", "year"]

    def query_state(self):
        return ()  # the request's values, and records by their keys

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(programme_area__name__icontains=value))
