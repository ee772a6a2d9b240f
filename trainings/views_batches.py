"""Batches (angkatan) and their sessions: the list, a batch's page with its lifecycle step and its
schedule, and the forms. Every change loads the batch through the write rule (percontohan.scoping);
nothing of a closed or cancelled batch changes any more.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import CreateView, TemplateView, UpdateView

from agreements.models import Agreement, Commitment
from percontohan.history import StaleRecordError, history_of
from percontohan.scoping import can_edit, get_editable_or_404, get_visible_or_404
from percontohan.views_base import (
    EditableObjectMixin,
    EditorRequiredMixin,
    ScopedListView,
    VersionedFormMixin,
    posted_version,
    saved_or_refused,
)
from trainings import services
from trainings.filters import BatchFilter
from trainings.forms_catalogue import BatchForm, BatchStatusForm, SessionForm
from trainings.models import Batch, BatchStatus, EnrolmentStatus, Session, Trainer
from trainings.tables import BatchTable, batch_badge_class, venue_label

# A batch in one of these states is history: its data and schedule are no longer changed.
FINISHED = (BatchStatus.CLOSED, BatchStatus.CANCELLED)


def batch_crumbs():
    return [(_("Angkatan pelatihan"), reverse("trainings:batch_list"))]


def batch_queryset():
    return Batch.objects.select_related(
        "programme", "blm", "venue_village__district__regency", "area__regency", "agreement", "commitment__agreement"
    )


class BatchListView(ScopedListView):
    """/pelatihan/angkatan/: the batches the user may see, with their places taken and waiting."""

    model = Batch
    table_class = BatchTable
    filterset_class = BatchFilter
    export_name = "angkatan-pelatihan"
    template_name = "trainings/batch_list.html"
    extra_context = {"title": _("Angkatan pelatihan")}

    def get_queryset(self):
        return super().get_queryset().select_related("programme", "blm", "venue_village__district")

    def list_query_state(self):
        return ()


# --- A batch's page and its lifecycle ------------------------------------------------------------------


def visible_or_none(model, user, pk):
    """The related record when the user may see it (its link is shown), else None (its name is not)."""
    if pk is None:
        return None
    return model.objects.visible_to(user).filter(pk=pk).first()


def render_batch(request, batch, *, status_form=None):
    """The batch's page; the status form is given back bound (with its errors) after a refused step."""
    editable = can_edit(request.user, batch)
    allowed = services.allowed_batch_statuses(batch)
    if editable and status_form is None and allowed:
        status_form = BatchStatusForm(allowed=allowed)
    sessions = list(batch.sessions.prefetch_related(Prefetch("trainers", queryset=Trainer.objects.order_by("name"))))
    counts = services.batch_counts([batch]).get(batch.pk, {})
    results = batch.enrolments.aggregate(
        completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        not_completed=Count("pk", filter=Q(status=EnrolmentStatus.NOT_COMPLETED)),
    )
    return render(
        request,
        "trainings/batch_detail.html",
        {
            "batch": batch,
            "title": str(batch),
            "badge_class": batch_badge_class(batch),
            "venue": venue_label(batch),
            "places": counts.get("places", 0),
            "waiting": counts.get("waiting", 0),
            "results": results,
            "targets": batch.target_villages.select_related("district").order_by("code"),
            "agreement": visible_or_none(Agreement, request.user, batch.agreement_id),
            "commitment": visible_or_none(Commitment, request.user, batch.commitment_id),
            "sessions": sessions,
            "session_hours": sum((session.hours_jp for session in sessions), start=0),
            "can_edit": editable,
            "is_open": batch.status not in FINISHED,
            "status_form": status_form if editable and allowed else None,
            "closing_offered": BatchStatus.CLOSED in allowed,
            "history": history_of(batch),
            "breadcrumbs": batch_crumbs(),
        },
    )


@require_GET
def batch_detail(request, pk):
    """/pelatihan/angkatan/<pk>/: the batch, its places, target villages, lifecycle and sessions."""
    return render_batch(request, get_visible_or_404(batch_queryset(), request.user, pk=pk))


@require_POST
def batch_status(request, pk):
    """/pelatihan/angkatan/<pk>/status/: move the batch along its lifecycle (services.batch_set_status);
    a refusal — a step not allowed, a cancellation without reason, closing without sessions — is shown
    on the batch's page and changes nothing."""
    batch = get_editable_or_404(batch_queryset(), request.user, pk=pk)
    form = BatchStatusForm(request.POST, allowed=services.allowed_batch_statuses(batch))
    batch.version = posted_version(request.POST)
    if form.is_valid():
        data = form.cleaned_data

        def set_status():
            return services.batch_set_status(batch=batch, status=data["status"], reason=data["reason"])

        if saved_or_refused(form, request.user, set_status) is not None:
            messages.success(
                request, _("Status angkatan diubah menjadi “%(status)s”.") % {"status": batch.get_status_display()}
            )
            if batch.status == BatchStatus.CLOSED:
                outcome = batch.enrolments.aggregate(
                    completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
                    not_completed=Count("pk", filter=Q(status=EnrolmentStatus.NOT_COMPLETED)),
                )
                messages.info(
                    request,
                    _("Hasil peserta ditetapkan: %(completed)s lulus, %(not_completed)s tidak lulus.") % outcome,
                )
            return redirect(batch)
    return render_batch(request, get_visible_or_404(batch_queryset(), request.user, pk=pk), status_form=form)


# --- Create and edit a batch ------------------------------------------------------------------------------


class OpenBatchMixin:
    """Refuse every change of a closed or cancelled batch, or of its sessions, with a message on its page."""

    def closed_response(self, record):
        batch = record if isinstance(record, Batch) else record.batch
        if batch.status not in FINISHED:
            return None
        messages.error(
            self.request,
            _("Angkatan ini berstatus “%(status)s”: data dan jadwalnya tidak dapat diubah lagi.")
            % {"status": batch.get_status_display()},
        )
        return redirect(batch)


class BatchFormMixin(VersionedFormMixin):
    model = Batch
    form_class = BatchForm
    template_name = "trainings/batch_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        crumbs = batch_crumbs()
        if self.object is not None:
            crumbs.append((str(self.object), self.object.get_absolute_url()))
        return super().get_context_data(breadcrumbs=crumbs, **kwargs)


class BatchCreateView(EditorRequiredMixin, BatchFormMixin, CreateView):
    """/pelatihan/angkatan/tambah/: a new batch, planned."""

    success_message = _("Angkatan ditambahkan. Tambahkan jadwal sesinya, lalu buka pendaftaran.")

    def get_initial(self):
        # "Angkatan baru untuk program ini" from a programme's page.
        programme = self.request.GET.get("program", "")
        return {**super().get_initial(), **({"programme": programme} if programme.isdigit() else {})}


class BatchUpdateView(OpenBatchMixin, EditableObjectMixin, BatchFormMixin, UpdateView):
    """/pelatihan/angkatan/<pk>/ubah/: change a batch (not its status: see batch_status)."""

    editable_name = "batch"

    def get_editable_queryset(self):
        return batch_queryset()


# --- Sessions ---------------------------------------------------------------------------------------------


class SessionFormMixin(VersionedFormMixin):
    model = Session
    form_class = SessionForm
    template_name = "trainings/session_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "batch": self.batch}

    def get_success_url(self):
        return f"{self.batch.get_absolute_url()}#sesi"

    def get_context_data(self, **kwargs):
        crumbs = [*batch_crumbs(), (str(self.batch), self.batch.get_absolute_url())]
        return super().get_context_data(batch=self.batch, breadcrumbs=crumbs, **kwargs)


class SessionCreateView(OpenBatchMixin, EditableObjectMixin, SessionFormMixin, CreateView):
    """/pelatihan/angkatan/<pk>/sesi/tambah/: add a session to the batch's schedule."""

    editable_model = Batch
    editable_name = "batch"
    success_message = _("Sesi ditambahkan.")

    def get_editable_queryset(self):
        return Batch.objects.select_related("programme", "blm")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if kwargs.get("instance") is None:
            kwargs["instance"] = Session(batch=self.batch)
        return kwargs

    def get_initial(self):
        # The day after the last session (while it is a day of the batch), else the first day.
        last = self.batch.sessions.order_by("-date").values_list("date", flat=True).first()
        day = self.batch.starts_on if last is None else min(last + datetime.timedelta(days=1), self.batch.ends_on)
        return {**super().get_initial(), "date": day}


class SessionUpdateView(OpenBatchMixin, EditableObjectMixin, SessionFormMixin, UpdateView):
    """/pelatihan/sesi/<pk>/ubah/: change a session."""

    editable_name = "session"

    def get_editable_queryset(self):
        return Session.objects.select_related("batch__programme", "batch__blm")

    @property
    def batch(self):
        return self.session.batch


class SessionDeleteView(OpenBatchMixin, EditableObjectMixin, TemplateView):
    """/pelatihan/sesi/<pk>/hapus/: remove a session from the schedule (asked first). A session with
    attendance recorded is kept: its marks count towards participants' results."""

    editable_model = Session
    editable_name = "session"
    template_name = "trainings/session_delete.html"

    def get_editable_queryset(self):
        return Session.objects.select_related("batch__programme", "batch__blm")

    def get_context_data(self, **kwargs):
        batch = self.session.batch
        crumbs = [*batch_crumbs(), (str(batch), batch.get_absolute_url())]
        return super().get_context_data(session=self.session, batch=batch, breadcrumbs=crumbs, **kwargs)

    def post(self, request, *args, **kwargs):
        session, version = self.session, posted_version(request.POST)
        try:
            with transaction.atomic():
                current = Session.objects.select_for_update().filter(pk=session.pk).values_list("version", flat=True)
                if current.first() != version:
                    raise StaleRecordError(StaleRecordError.message)
                if session.attendance.exists():
                    raise ValidationError(
                        _("Sesi ini sudah memiliki catatan kehadiran peserta, sehingga tidak dapat dihapus.")
                    )
                session.delete()
        except StaleRecordError as error:
            return self.render_to_response(self.get_context_data(error=error.args[0]))
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(error=error.messages[0]))
        messages.success(request, _("Sesi dihapus dari jadwal."))
        return redirect(f"{session.batch.get_absolute_url()}#sesi")


urlpatterns = [
    path("angkatan/", BatchListView.as_view(), name="batch_list"),
    path("angkatan/tambah/", BatchCreateView.as_view(), name="batch_create"),
    path("angkatan/<int:pk>/", batch_detail, name="batch_detail"),
    path("angkatan/<int:pk>/ubah/", BatchUpdateView.as_view(), name="batch_update"),
    path("angkatan/<int:pk>/status/", batch_status, name="batch_status"),
    path("angkatan/<int:pk>/sesi/tambah/", SessionCreateView.as_view(), name="session_create"),
    path("sesi/<int:pk>/ubah/", SessionUpdateView.as_view(), name="session_update"),
    path("sesi/<int:pk>/hapus/", SessionDeleteView.as_view(), name="session_delete"),
]
