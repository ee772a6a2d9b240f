import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation, OrganisationKind
from percontohan.filters import ScopedFilterSet
from regions.models import Province


class OrganisationFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=OrganisationKind.choices)
    province = django_filters.ModelChoiceFilter(label=_("Provinsi"), queryset=Province.objects.all())

    class Meta:
        model = Organisation
        fields = ["q", "kind", "province"]

    def query_state(self):
        return ()  # the request's values, and records by their keys

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))
