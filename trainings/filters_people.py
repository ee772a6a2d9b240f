"""Search and filters of the person list and of a batch's participants.

A NIK is searched only by its keyed hash (`nik_hash`), never by decrypting: the list's address carries
that hash (`?nik=…`), which tells nothing without NIK_HASH_KEY, and never the NIK itself.
"""

import re

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from percontohan.filters import ScopedFilterSet
from regions.forms import RegionPicker
from regions.models import Regency, Village
from trainings.forms_people import VillageSearchPicker
from trainings.models import Disability, Education, Enrolment, EnrolmentStatus, Person, SexChoice, VillageRole

HASH = re.compile(r"[0-9a-f]{64}")
WITHOUT_NIK, WITH_NIK = "tanpa", "ada"
ANY_DISABILITY = "ada"


class PersonFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cari nama"), method="search")
    # The keyed hash of a NIK searched with the NIK search (a POST), as the list's address carries it.
    nik = django_filters.CharFilter(method="by_nik_hash", widget=forms.HiddenInput)
    sex = django_filters.ChoiceFilter(label=_("Jenis kelamin"), choices=SexChoice.choices)
    regency = django_filters.ModelChoiceFilter(
        label=_("Kabupaten/kota"),
        field_name="village__district__regency",
        queryset=Regency.objects.all(),
        widget=RegionPicker("kabupaten"),
    )
    village = django_filters.ModelChoiceFilter(
        label=_("Desa/kelurahan"),
        queryset=Village.objects.all(),
        widget=VillageSearchPicker(within={"kabupaten": "regency"}),
    )
    education = django_filters.ChoiceFilter(label=_("Pendidikan"), choices=Education.choices)
    village_role = django_filters.ChoiceFilter(label=_("Peran di desa"), choices=VillageRole.choices)
    disability = django_filters.ChoiceFilter(
        label=_("Disabilitas"),
        choices=[(ANY_DISABILITY, _("Semua penyandang disabilitas")), *Disability.choices[1:]],
        method="by_disability",
    )
    nik_status = django_filters.ChoiceFilter(
        label=_("NIK"),
        choices=[(WITHOUT_NIK, _("Tanpa NIK")), (WITH_NIK, _("Dengan NIK"))],
        method="by_nik_status",
    )

    class Meta:
        model = Person
        fields = ["q", "nik", "sex", "regency", "village", "education", "village_role", "disability", "nik_status"]

    def query_state(self):
        return ()  # the request's values, and records by their keys

    def search(self, queryset, name, value):
        # The name's trigram index serves icontains (percontohan.indexes.name_search_index).
        return queryset.filter(full_name__icontains=value.strip())

    def by_nik_hash(self, queryset, name, value):
        return queryset.filter(nik_hash=value) if HASH.fullmatch(value) else queryset.none()

    def by_disability(self, queryset, name, value):
        if value == ANY_DISABILITY:
            return queryset.exclude(disability="")
        return queryset.filter(disability=value)

    def by_nik_status(self, queryset, name, value):
        return queryset.filter(nik_hash__isnull=value == WITHOUT_NIK)


class EnrolmentFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cari nama"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EnrolmentStatus.choices)

    class Meta:
        model = Enrolment
        fields = ["q", "status"]

    def query_state(self):
        return ()  # the request's values, and records by their keys

    def search(self, queryset, name, value):
        return queryset.filter(person__full_name__icontains=value.strip())
