"""Search and filters of the agreement list."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementKind, AgreementParty, AgreementStatus
from partners.models import Organisation
from percontohan.filters import ScopedFilterSet
from regions.models import Province, Regency


def region_choices(user):
    """Provinces and their regencies within the user's scope, grouped by province (two queries)."""
    regencies = {}
    for regency in Regency.objects.visible_to(user).current().order_by("code"):
        regencies.setdefault(regency.province_id, []).append((regency.code, regency.name))
    return [
        (
            province.name,
            [(province.code, _("Seluruh %(province)s") % {"province": province.name}), *regencies[province.code]],
        )
        for province in Province.objects.visible_to(user).current().order_by("code")
        if province.code in regencies
    ]


class AgreementFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=AgreementKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AgreementStatus.choices)
    party = django_filters.ModelChoiceFilter(
        label=_("Pihak"), queryset=Organisation.objects.order_by("name"), method="with_party"
    )
    region = django_filters.ChoiceFilter(label=_("Wilayah"), method="in_region")
    year = django_filters.NumberFilter(label=_("Tahun"), field_name="signed_on", lookup_expr="year")
    expiring = django_filters.BooleanFilter(
        label=_("Segera berakhir"), method="expiring_soon", widget=forms.CheckboxInput
    )

    class Meta:
        model = Agreement
        fields = ["q", "kind", "status", "party", "region", "year", "expiring"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["expiring"].label = _("Berakhir dalam %(days)s hari") % {
            "days": settings.AGREEMENT_EXPIRY_WARNING_DAYS
        }
        self.filters["region"].extra["choices"] = region_choices(self.user)

    def search(self, queryset, name, value):
        value = value.strip()
        parties = AgreementParty.objects.filter(
            Q(organisation__name__icontains=value) | Q(organisation__short_name__icontains=value)
        )
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(subject__icontains=value)
            | Q(pk__in=parties.values("agreement_id"))
        )

    def with_party(self, queryset, name, value):
        return queryset.filter(pk__in=AgreementParty.objects.filter(organisation=value).values("agreement_id"))

    def in_region(self, queryset, name, value):
        """What the agreement covers there: the regency itself, or a village or area in it (a province:
        any of its regencies)."""
        codes = [value] if "." in value else Regency.objects.filter(province=value).values("code")
        return queryset.filter(queryset.scope_q(codes))

    def expiring_soon(self, queryset, name, value):
        return queryset.expiring_within(settings.AGREEMENT_EXPIRY_WARNING_DAYS) if value else queryset
