"""Commitments: the list across all agreements (what is late and who owes it), a commitment's page
with its evidence, its forms and the status and evidence steps (loaded through the write rule:
a commitment is changed by those who may change its agreement)."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import CreateView, UpdateView

from agreements.commitments import allowed_statuses, commitment_add_evidence, commitment_save, commitment_set_status
from agreements.filters_commitments import CommitmentFilter
from agreements.forms_documents import CommitmentForm, CommitmentStatusForm, EvidenceForm
from agreements.models import Commitment, CommitmentEvidence, CommitmentStatus
from agreements.tables_commitments import CommitmentTable, status_badge_class
from agreements.views_agreements import AgreementLoadMixin, agreement_crumbs
from percontohan.history import history_of
from percontohan.scoping import can_edit, get_editable_or_404, get_visible_or_404
from percontohan.views_base import (
    EditableObjectMixin,
    ScopedListView,
    VersionedFormMixin,
    posted_version,
    saved_or_refused,
)


class CommitmentListView(ScopedListView):
    """/perjanjian/komitmen/: every commitment the user may see, soonest due first, late ones marked."""

    model = Commitment
    table_class = CommitmentTable
    filterset_class = CommitmentFilter
    export_name = "komitmen"
    template_name = "agreements/commitment_list.html"
    extra_context = {"title": _("Komitmen perjanjian")}

    def get_queryset(self):
        return super().get_queryset().select_related("agreement", "party__organisation")

    def list_query_state(self):
        return ()


# --- Create and edit -------------------------------------------------------------


class CommitmentFormMixin(VersionedFormMixin):
    """The commitment form, saved through `commitment_save` (a refusal is shown on the form, nothing saved)."""

    model = Commitment
    form_class = CommitmentForm
    template_name = "agreements/commitment_form.html"

    def save(self, form):
        return commitment_save(
            agreement=self.agreement,
            commitment=form.instance if form.instance.pk else None,
            **form.cleaned_data,
        )

    def get_context_data(self, **kwargs):
        crumbs = agreement_crumbs(self.agreement)
        if self.object is not None:
            crumbs.append((str(self.object), self.object.get_absolute_url()))
        return super().get_context_data(agreement=self.agreement, breadcrumbs=crumbs, **kwargs)


class CommitmentCreateView(AgreementLoadMixin, CommitmentFormMixin, CreateView):
    """/perjanjian/<pk>/komitmen/tambah/: a new commitment of one of the agreement's parties."""

    success_message = _("Komitmen ditambahkan.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Commitment(agreement=self.agreement)}


class CommitmentUpdateView(EditableObjectMixin, CommitmentFormMixin, UpdateView):
    """/perjanjian/komitmen/<pk>/ubah/: change a commitment (not its status: see commitment_status)."""

    def get_editable_queryset(self):
        return Commitment.objects.select_related("agreement")

    @property
    def agreement(self):
        return self.editable.agreement


# --- A commitment's page, its status and its evidence ------------------------------


def commitment_queryset():
    evidence = CommitmentEvidence.objects.select_related("uploaded_by").order_by("-for_due_date", "-uploaded_at")
    return Commitment.objects.select_related("agreement", "party__organisation").prefetch_related(
        Prefetch("evidence", queryset=evidence)
    )


def render_commitment(request, commitment, *, status_form=None, evidence_form=None):
    """The commitment's page; the forms are given back bound (with their errors) after a refused step."""
    editable = can_edit(request.user, commitment)
    if editable:
        if status_form is None and allowed_statuses(commitment):
            status_form = CommitmentStatusForm(commitment=commitment)
        evidence_form = evidence_form or EvidenceForm()
    return render(
        request,
        "agreements/commitment_detail.html",
        {
            "commitment": commitment,
            "agreement": commitment.agreement,
            "evidence": commitment.evidence.all(),
            "badge_class": status_badge_class(commitment),
            "can_edit": editable,
            "status_form": status_form if editable else None,
            "evidence_form": evidence_form if editable else None,
            "history": history_of(commitment),
            "title": _("Komitmen"),
            "breadcrumbs": agreement_crumbs(commitment.agreement),
        },
    )


@require_GET
def commitment_detail(request, pk):
    """/perjanjian/komitmen/<pk>/: what was promised, by whom, the status and every evidence."""
    commitment = get_visible_or_404(commitment_queryset(), request.user, pk=pk)
    return render_commitment(request, commitment)


@require_POST
def commitment_status(request, pk):
    """/perjanjian/komitmen/<pk>/status/: move the commitment along; done needs evidence."""
    commitment = get_editable_or_404(commitment_queryset(), request.user, pk=pk)
    form = CommitmentStatusForm(request.POST, request.FILES, commitment=commitment)
    commitment.version = posted_version(request.POST)
    if form.is_valid():
        period = commitment.due_date
        data = form.cleaned_data

        def set_status():
            commitment_set_status(
                commitment=commitment,
                status=data["status"],
                completed_on=data["completed_on"],
                note=data["note"],
                upload=data["file"],
                user=request.user,
            )
            return commitment

        if saved_or_refused(form, request.user, set_status) is not None:
            if data["status"] == CommitmentStatus.DONE and commitment.status != CommitmentStatus.DONE:
                messages.success(
                    request,
                    _("Periode dengan tenggat %(period)s dicatat selesai; tenggat berikutnya %(next)s.")
                    % {"period": date_format(period), "next": date_format(commitment.due_date)},
                )
            else:
                messages.success(
                    request, _("Status komitmen diubah menjadi “%(status)s”.") % {"status": commitment.display_status}
                )
            return redirect(commitment)
    commitment = get_visible_or_404(commitment_queryset(), request.user, pk=pk)
    return render_commitment(request, commitment, status_form=form)


@require_POST
def commitment_evidence_add(request, pk):
    """/perjanjian/komitmen/<pk>/bukti/: add evidence (a note and/or a file) for the current period."""
    commitment = get_editable_or_404(commitment_queryset(), request.user, pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        evidence = saved_or_refused(
            form,
            request.user,
            lambda: commitment_add_evidence(
                commitment=commitment,
                note=form.cleaned_data["note"],
                upload=form.cleaned_data["file"],
                user=request.user,
            ),
        )
        if evidence is not None:
            messages.success(request, _("Bukti dicatat."))
            return redirect(commitment)
    return render_commitment(request, commitment, evidence_form=form)


urlpatterns = [
    path("komitmen/", CommitmentListView.as_view(), name="commitment_list"),
    path("<int:pk>/komitmen/tambah/", CommitmentCreateView.as_view(), name="commitment_create"),
    path("komitmen/<int:pk>/", commitment_detail, name="commitment_detail"),
    path("komitmen/<int:pk>/ubah/", CommitmentUpdateView.as_view(), name="commitment_update"),
    path("komitmen/<int:pk>/status/", commitment_status, name="commitment_status"),
    path("komitmen/<int:pk>/bukti/", commitment_evidence_add, name="commitment_evidence_add"),
]
