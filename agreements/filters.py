"""Search and filters of the agreement list."""

from functools import cache, partial

import django_filters
from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementKind, AgreementParty, AgreementStatus
from partners.models import Organisation
from percontohan.filters import ScopedFilterSet
from percontohan.forms import RecordPicker
from percontohan.indexes import any_of
from regions.forms import RegionPicker, whole_province_label
from regions.models import Province, Regency


def region_choices(user):
    """Provinces and their regencies within the user's scope, grouped by province (two queries)."""
    regencies = {}
    for regency in Regency.objects.visible_to(user).current().order_by("code"):
        regencies.setdefault(regency.province_id, []).append((regency.code, regency.name))
    return [
        (
            province.name,
            [(province.code, whole_province_label(province)), *regencies[province.code]],
        )
        for province in Province.objects.visible_to(user).current().order_by("code")
        if province.code in regencies
    ]


class AgreementFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Jenis"), choices=AgreementKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AgreementStatus.choices)
    # Searchable pickers (percontohan.forms.RecordPicker): no list of every organisation on the page.
    party = django_filters.ModelChoiceFilter(
        label=_("Pihak"),
        queryset=Organisation.objects.order_by("name"),
        method="with_party",
        widget=RecordPicker(reverse_lazy("partners:organisation_search")),
    )
    # A searchable picker (regions.forms.RegionPicker): none of the 38 provinces and 514 regencies is on
    # the page until the user types.
    region = django_filters.ChoiceFilter(
        label=_("Wilayah"), method="in_region", widget=RegionPicker("provinsi-kabupaten")
    )
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
        # Read only when a region is sent (to validate it and show it chosen): an unused filter costs no query.
        self.filters["region"].extra["choices"] = cache(partial(region_choices, self.user))

    def query_state(self):
        # "Ending soon": within the days the setting says, from today.
        return (timezone.localdate(), settings.AGREEMENT_EXPIRY_WARNING_DAYS)

    def search(self, queryset, name, value):
        """Number, title, subject or a party's name or short name: each its own branch of a UNION of keys,
        so each reads its trigram index (see percontohan.indexes.any_of)."""
        value = value.strip()
        own = [
            Agreement.objects.filter(**{f"{field}__icontains": value}).values("pk")
            for field in ("number", "title", "subject")
        ]
        # The party's two names apart too: their OR reads every organisation rather than the two indexes.
        by_party = [
            AgreementParty.objects.filter(
                organisation__in=Organisation.objects.filter(**{f"{field}__icontains": value})
            ).values("agreement_id")
            for field in ("name", "short_name")
        ]
        return queryset.filter(pk__in=any_of(*own, *by_party))

    def with_party(self, queryset, name, value):
        return queryset.filter(pk__in=AgreementParty.objects.filter(organisation=value).values("agreement_id"))

    def in_region(self, queryset, name, value):
        """What the agreement covers there: the regency itself, or a village or area in it (a province:
        any of its regencies)."""
        codes = [value] if "." in value else Regency.objects.filter(province=value).values("code")
        return queryset.filter(queryset.scope_q(codes))

    def expiring_soon(self, queryset, name, value):
        return queryset.expiring_within(settings.AGREEMENT_EXPIRY_WARNING_DAYS) if value else queryset
