"""Search and filters of the training lists: programmes, trainers and batches."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation, OrganisationKind
from percontohan.filters import ScopedFilterSet
from regions.forms import RegionPicker
from regions.models import Regency
from trainings.models import Batch, BatchMode, BatchStatus, Programme, ProgrammeField, Trainer

BLMS = Organisation.objects.filter(kind=OrganisationKind.BLM).order_by("name")


class ProgrammeFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cari judul atau kode"), method="search")
    field = django_filters.ChoiceFilter(label=_("Bidang"), choices=ProgrammeField.choices)
    blm = django_filters.ModelChoiceFilter(label=_("BLM penyelenggara"), queryset=BLMS)
    active = django_filters.ChoiceFilter(
        label=_("Masih ditawarkan"), choices=(("ya", _("Ya")), ("tidak", _("Tidak"))), method="by_active"
    )

    class Meta:
        model = Programme
        fields = ["q", "field", "blm", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The catalogue is everyone's, and so are the names of the BLMs keeping it.
        self.filters["blm"].queryset = BLMS

    def query_state(self):
        return ()  # the request's values, and records by their keys

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(code__icontains=value))

    def by_active(self, queryset, name, value):
        return queryset.filter(active=value == "ya")


class TrainerFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cari nama atau keahlian"), method="search")
    blm = django_filters.ModelChoiceFilter(label=_("BLM"), queryset=BLMS)

    class Meta:
        model = Trainer
        fields = ["q", "blm"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["blm"].queryset = BLMS

    def query_state(self):
        return ()  # the request's values, and records by their keys

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value) | Q(expertise__icontains=value) | Q(organisation__name__icontains=value)
        )


class BatchFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cari angkatan atau program"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=BatchStatus.choices)
    mode = django_filters.ChoiceFilter(label=_("Moda"), choices=BatchMode.choices)
    programme = django_filters.ModelChoiceFilter(label=_("Program"), queryset=Programme.objects.order_by("title"))
    blm = django_filters.ModelChoiceFilter(label=_("BLM penyelenggara"), queryset=BLMS)
    year = django_filters.ChoiceFilter(label=_("Tahun mulai"), choices=[], field_name="starts_on", lookup_expr="year")
    # Loaded as the user types (regions.forms.RegionPicker): no list of 514 regencies on the page.
    regency = django_filters.ModelChoiceFilter(
        label=_("Kabupaten/kota"),
        queryset=Regency.objects.order_by("code"),
        widget=RegionPicker("kabupaten"),
        method="in_regency",
    )

    class Meta:
        model = Batch
        fields = ["q", "status", "mode", "programme", "blm", "year", "regency"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        years = Batch.objects.visible_to(user).dates("starts_on", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(str(day.year), str(day.year)) for day in years]

    def query_state(self):
        return ()  # the request's values, and records by their keys

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value) | Q(programme__title__icontains=value) | Q(programme__code__icontains=value)
        )

    def in_regency(self, queryset, name, value):
        """Batches held in the regency or aimed at it (a target village or the area), as the scope reads them."""
        return queryset.filter(pk__in=Batch.objects.filter(Batch.objects.none().scope_q([value.code])).values("pk"))
