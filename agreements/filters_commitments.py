"""Search and filters of the commitments list across all agreements."""

import django_filters
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementKind, Commitment, CommitmentStatus
from partners.models import Organisation
from percontohan.filters import ScopedFilterSet
from percontohan.forms import DATE_WIDGET, RecordPicker
from regions.forms import RegionPicker
from regions.models import Regency

OVERDUE = "terlambat"
# The statuses a person reads: "terlambat" is computed (not done and the due date has passed),
# and an overdue commitment is not also listed as open or in progress.
STATUS_CHOICES = [*CommitmentStatus.choices, (OVERDUE, _("Terlambat"))]


class CommitmentFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method="by_status")
    # Searchable pickers (percontohan.forms.RecordPicker): no list of every organisation or agreement on
    # the page; the fields still accept only those in the user's scope.
    organisation = django_filters.ModelChoiceFilter(
        label=_("Pihak yang bertanggung jawab"),
        field_name="party__organisation",
        queryset=Organisation.objects.filter(agreement_parties__isnull=False).distinct().order_by("name"),
        widget=RecordPicker(reverse_lazy("partners:organisation_search")),
    )
    agreement = django_filters.ModelChoiceFilter(
        label=_("Perjanjian"),
        queryset=Agreement.objects.order_by("-signed_on", "number"),
        widget=RecordPicker(reverse_lazy("agreements:agreement_search")),
    )
    kind = django_filters.ChoiceFilter(label=_("Jenis perjanjian"), field_name="agreement__kind", choices=AgreementKind)
    regency = django_filters.ModelChoiceFilter(
        label=_("Kabupaten/kota"),
        queryset=Regency.objects.order_by("code"),
        widget=RegionPicker("kabupaten"),
        method="in_regency",
    )
    due_after = django_filters.DateFilter(
        label=_("Tenggat sejak"), field_name="due_date", lookup_expr="gte", widget=DATE_WIDGET
    )
    due_before = django_filters.DateFilter(
        label=_("Tenggat sampai"), field_name="due_date", lookup_expr="lte", widget=DATE_WIDGET
    )

    class Meta:
        model = Commitment
        fields = ["q", "status", "organisation", "agreement", "kind", "regency", "due_after", "due_before"]

    def query_state(self):
        return (timezone.localdate(),)  # a commitment is overdue from the day after its due date

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(description__icontains=value)
            | Q(party__organisation__name__icontains=value)
            | Q(party__organisation__short_name__icontains=value)
            | Q(agreement__number__icontains=value)
            | Q(agreement__title__icontains=value)
        )

    def by_status(self, queryset, name, value):
        if value == OVERDUE:
            return queryset.overdue()
        if value == CommitmentStatus.DONE:
            return queryset.filter(status=value)
        return queryset.filter(status=value).exclude(due_date__lt=timezone.localdate())

    def in_regency(self, queryset, name, value):
        """Commitments of agreements covering the regency (named, or through a covered village or area)."""
        covering = Agreement.objects.filter(Agreement.objects.all().scope_q([value.code]))
        return queryset.filter(agreement__in=covering)
