"""Filters of the follow-up worklist: where a follow-up stands, its wave, batch, programme, and the
regency where the participant lives (found as the user types)."""

import django_filters
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from percontohan.filters import ScopedFilterSet
from regions.forms import RegionPicker
from regions.models import Regency
from trainings.followups import FollowUpState, state_q, to_do_q
from trainings.models import Batch, BatchStatus, FollowUp, FollowUpWave, Programme

ALL = "semua"
STATE_CHOICES = [*FollowUpState.choices, (ALL, _("Semua"))]


class FollowUpFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cari peserta"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("Keadaan"),
        choices=STATE_CHOICES,
        empty_label=_("Perlu dikerjakan (jatuh tempo dan terlambat)"),
        method="in_state",
    )
    wave = django_filters.ChoiceFilter(label=_("Tahap"), choices=FollowUpWave.choices)
    batch = django_filters.ModelChoiceFilter(
        label=_("Angkatan"),
        field_name="enrolment__batch",
        # Follow-ups are planned when a batch closes: only closed batches have any.
        queryset=Batch.objects.filter(status=BatchStatus.CLOSED).select_related("programme").order_by("-starts_on"),
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Program"),
        field_name="enrolment__batch__programme",
        queryset=Programme.objects.filter(batches__status=BatchStatus.CLOSED).distinct().order_by("title"),
    )
    regency = django_filters.ModelChoiceFilter(
        label=_("Kabupaten/kota domisili peserta"),
        field_name="enrolment__person__village__district__regency",
        queryset=Regency.objects.order_by("code"),
        widget=RegionPicker("kabupaten"),
    )

    class Meta:
        model = FollowUp
        fields = ["q", "state", "wave", "batch", "programme", "regency"]

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so that the worklist's default (what is due and late) applies to a bare URL too.
        super().__init__(QueryDict() if data is None else data, *args, **kwargs)

    def query_state(self):
        return (timezone.localdate(),)  # what is due and late is counted from today

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(enrolment__person__full_name__icontains=value) | Q(enrolment__person__village__name__icontains=value)
        )

    def in_state(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(state_q(value))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # No state chosen: the worklist, what is due or late.
        if not self.form.cleaned_data.get("state"):
            queryset = queryset.filter(to_do_q())
        return queryset
