"""Follow-ups (Kirkpatrick levels 3–4): the worklist of what is due and late in the user's scope, a
follow-up's page with its evidence and history, the short form that records it, and its evidence files.

Everything is loaded through `followups_visible_to(user)` (a batch the user sees, a participant the user
sees); the form and the upload load it through the write rule (percontohan.scoping: 403 for a role
that only reads, before any lookup; 404 outside the editor's regions) and write through
trainings.followups.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import UpdateView

from agreements.documents import download_name
from agreements.views_documents import private_file_response
from percontohan.history import history_of
from percontohan.scoping import can_edit, editable_scope_state, get_editable_or_404, get_visible_or_404
from percontohan.views_base import EditableObjectMixin, ScopedListView, VersionedFormMixin, saved_or_refused
from trainings.filters_followups import FollowUpFilter
from trainings.followups import (
    OVERDUE_AFTER_DAYS,
    STATE_BADGES,
    days_late,
    followup_add_evidence,
    followup_record,
    followups_visible_to,
    state_of,
    with_people_visible_to,
)
from trainings.forms_followups import EvidenceForm, FollowUpForm
from trainings.models import FollowUp, FollowUpEvidence
from trainings.tables_followups import FollowUpTable

LIST_CRUMB = (_("Tindak lanjut"), reverse_lazy("trainings:followup_list"))


class FollowUpListView(ScopedListView):
    """/pelatihan/tindak-lanjut/: what is due and late first (soonest due first, late ones marked)."""

    model = FollowUp
    table_class = FollowUpTable
    filterset_class = FollowUpFilter
    export_name = "tindak-lanjut"
    template_name = "trainings/followup_list.html"
    extra_context = {"title": _("Tindak lanjut pelatihan"), "overdue_after_days": OVERDUE_AFTER_DAYS}

    def get_queryset(self):
        user = self.request.user
        return (
            followups_visible_to(user)
            .with_can_edit(user)
            .select_related("enrolment__person__village", "enrolment__batch__programme")
        )

    def list_query_state(self):
        return editable_scope_state(self.request.user)  # which rows the user may change (with_can_edit)


def followup_queryset(user):
    evidence = FollowUpEvidence.objects.select_related("uploaded_by").order_by("-uploaded_at")
    return (
        followups_visible_to(user)
        .select_related(
            "enrolment__person__village__district__regency",
            "enrolment__batch__programme",
            "enrolment__batch__blm",
            "recorded_by",
        )
        .prefetch_related(Prefetch("evidence", queryset=evidence))
    )


def render_followup(request, follow_up, *, evidence_form=None, status=200):
    """A follow-up's page; the upload form is given back bound (with its errors) after a refusal."""
    editable = can_edit(request.user, follow_up)
    state = state_of(follow_up)
    income_change = None
    if follow_up.income_before is not None and follow_up.income_after is not None:
        income_change = follow_up.income_after - follow_up.income_before
    return render(
        request,
        "trainings/followup_detail.html",
        {
            "follow_up": follow_up,
            "person": follow_up.enrolment.person,
            "batch": follow_up.enrolment.batch,
            "state": state,
            "state_badge": STATE_BADGES[state],
            "days_late": days_late(follow_up),
            "income_change": income_change,
            "evidence": follow_up.evidence.all(),
            "can_edit": editable,
            "evidence_form": (evidence_form or EvidenceForm()) if editable else None,
            "history": history_of(follow_up),
            "title": str(follow_up),
            "breadcrumbs": [LIST_CRUMB],
        },
        status=status,
    )


@require_GET
def followup_detail(request, pk):
    """/pelatihan/tindak-lanjut/<pk>/: who, which training, when, what was found, evidence, history."""
    return render_followup(request, get_visible_or_404(followup_queryset(request.user), request.user, pk=pk))


class FollowUpUpdateView(EditableObjectMixin, VersionedFormMixin, UpdateView):
    """/pelatihan/tindak-lanjut/<pk>/catat/: record (or correct) what the follow-up found."""

    form_class = FollowUpForm
    template_name = "trainings/followup_form.html"
    success_message = _("Tindak lanjut dicatat.")

    def get_editable_queryset(self):
        return followups_visible_to(self.request.user).select_related(
            "enrolment__person__village", "enrolment__batch__programme"
        )

    def save(self, form):
        return followup_record(follow_up=form.instance, user=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        follow_up = self.editable
        return super().get_context_data(
            person=follow_up.enrolment.person,
            batch=follow_up.enrolment.batch,
            title=_("Catat tindak lanjut"),
            breadcrumbs=[LIST_CRUMB, (str(follow_up), follow_up.get_absolute_url())],
            **kwargs,
        )


@require_POST
def followup_evidence_add(request, pk):
    """/pelatihan/tindak-lanjut/<pk>/bukti/: add a photo or document (content-checked, stored privately)."""
    follow_up = get_editable_or_404(followup_queryset(request.user), request.user, pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        evidence = saved_or_refused(
            form,
            request.user,
            lambda: followup_add_evidence(follow_up=follow_up, upload=form.cleaned_data["file"], user=request.user),
        )
        if evidence is not None:
            messages.success(request, _("Bukti “%(name)s” diunggah.") % {"name": evidence.original_name})
            return redirect(follow_up)
    return render_followup(request, follow_up, evidence_form=form)


@require_GET
def followup_evidence_download(request, pk):
    """/pelatihan/tindak-lanjut/bukti/<pk>/unduh/: an evidence file, for users who may see its follow-up."""
    evidence_files = with_people_visible_to(
        FollowUpEvidence.objects.all(), request.user, "follow_up__enrolment__person"
    )
    evidence = get_visible_or_404(evidence_files, request.user, pk=pk)
    return private_file_response(
        evidence.file,
        filename=download_name(evidence.original_name, evidence.content_type),
        content_type=evidence.content_type,
    )


urlpatterns = [
    path("tindak-lanjut/", FollowUpListView.as_view(), name="followup_list"),
    path("tindak-lanjut/<int:pk>/", followup_detail, name="followup_detail"),
    path("tindak-lanjut/<int:pk>/catat/", FollowUpUpdateView.as_view(), name="followup_update"),
    path("tindak-lanjut/<int:pk>/bukti/", followup_evidence_add, name="followup_evidence_add"),
    path("tindak-lanjut/bukti/<int:pk>/unduh/", followup_evidence_download, name="followup_evidence_download"),
]
