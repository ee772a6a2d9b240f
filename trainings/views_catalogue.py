"""The training catalogue: programmes (with their completion rule) and trainers — lists, pages, forms.

Everyone reads the catalogue; a programme or trainer is changed by the staff of the BLM that keeps it
(CatalogueQuerySet in trainings.models) and by Admin.
"""

from django.urls import NoReverseMatch, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, UpdateView

from percontohan.views_base import (
    CanEditMixin,
    EditableObjectMixin,
    EditorRequiredMixin,
    HistoryMixin,
    ScopedListView,
    ScopedMixin,
    VersionedFormMixin,
)
from trainings import services
from trainings.filters import ProgrammeFilter, TrainerFilter
from trainings.forms_catalogue import ProgrammeForm, TrainerForm
from trainings.models import Batch, Programme, Session, Trainer
from trainings.tables import ProgrammeTable, TrainerTable, batch_badge_class

# The latest sessions a trainer's page lists.
TRAINER_SESSIONS_SHOWN = 50


def results_url(programme):
    """The results page of the programme (issue 10 §7), when the portal has one."""
    try:
        return f"{reverse('trainings:results')}?{urlencode({'programme': programme.pk})}"
    except NoReverseMatch:
        return ""


def with_counts(batches):
    """The batches, each with `places` and `waiting` (one query for all: services.batch_counts) and the
    class of its status badge."""
    batches = list(batches)
    counts = services.batch_counts(batches)
    for batch in batches:
        row = counts.get(batch.pk, {})
        batch.places, batch.waiting = row.get("places", 0), row.get("waiting", 0)
        batch.badge_class = batch_badge_class(batch)
    return batches


# --- Programmes ---------------------------------------------------------------------------------------


class ProgrammeListView(ScopedListView):
    """/pelatihan/program/: the catalogue, searchable by title or code."""

    model = Programme
    table_class = ProgrammeTable
    filterset_class = ProgrammeFilter
    export_name = "program-pelatihan"
    template_name = "trainings/programme_list.html"
    extra_context = {"title": _("Program pelatihan")}

    def get_queryset(self):
        return super().get_queryset().select_related("blm")

    def list_query_state(self):
        return ()


class ProgrammeDetailView(ScopedMixin, HistoryMixin, CanEditMixin, DetailView):
    """/pelatihan/program/<pk>/: what the programme teaches, its completion rule in words and its batches."""

    model = Programme
    template_name = "trainings/programme_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("blm")

    def get_context_data(self, **kwargs):
        batches = (
            Batch.objects.visible_to(self.request.user)
            .filter(programme=self.object)
            .select_related("blm", "venue_village__district")
            .order_by("-starts_on", "pk")
        )
        return super().get_context_data(
            batches=with_counts(batches),
            results_url=results_url(self.object),
            breadcrumbs=[(_("Program pelatihan"), reverse("trainings:programme_list"))],
            **kwargs,
        )


class ProgrammeFormMixin(VersionedFormMixin):
    model = Programme
    form_class = ProgrammeForm
    template_name = "trainings/programme_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class ProgrammeCreateView(EditorRequiredMixin, ProgrammeFormMixin, CreateView):
    success_message = _("Program pelatihan ditambahkan.")


class ProgrammeUpdateView(EditableObjectMixin, ProgrammeFormMixin, UpdateView):
    pass


# --- Trainers ----------------------------------------------------------------------------------------------


class TrainerListView(ScopedListView):
    """/pelatihan/pelatih/: the trainers of every BLM, searchable by name, expertise or organisation."""

    model = Trainer
    table_class = TrainerTable
    filterset_class = TrainerFilter
    export_name = "pelatih"
    template_name = "trainings/trainer_list.html"
    extra_context = {"title": _("Pelatih")}

    def get_queryset(self):
        return super().get_queryset().select_related("blm", "organisation")

    def list_query_state(self):
        return ()


class TrainerDetailView(ScopedMixin, HistoryMixin, CanEditMixin, DetailView):
    """/pelatihan/pelatih/<pk>/: the trainer and the latest sessions they gave (of batches the user sees)."""

    model = Trainer
    template_name = "trainings/trainer_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("blm", "organisation")

    def get_context_data(self, **kwargs):
        sessions = (
            Session.objects.visible_to(self.request.user)
            .filter(trainers=self.object)
            .select_related("batch__programme")
            .order_by("-date", "-starts_at", "-pk")[:TRAINER_SESSIONS_SHOWN]
        )
        return super().get_context_data(
            sessions=sessions,
            sessions_shown=TRAINER_SESSIONS_SHOWN,
            breadcrumbs=[(_("Pelatih"), reverse("trainings:trainer_list"))],
            **kwargs,
        )


class TrainerFormMixin(VersionedFormMixin):
    model = Trainer
    form_class = TrainerForm
    template_name = "trainings/trainer_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class TrainerCreateView(EditorRequiredMixin, TrainerFormMixin, CreateView):
    success_message = _("Pelatih ditambahkan.")


class TrainerUpdateView(EditableObjectMixin, TrainerFormMixin, UpdateView):
    pass


urlpatterns = [
    path("program/", ProgrammeListView.as_view(), name="programme_list"),
    path("program/tambah/", ProgrammeCreateView.as_view(), name="programme_create"),
    path("program/<int:pk>/", ProgrammeDetailView.as_view(), name="programme_detail"),
    path("program/<int:pk>/ubah/", ProgrammeUpdateView.as_view(), name="programme_update"),
    path("pelatih/", TrainerListView.as_view(), name="trainer_list"),
    path("pelatih/tambah/", TrainerCreateView.as_view(), name="trainer_create"),
    path("pelatih/<int:pk>/", TrainerDetailView.as_view(), name="trainer_detail"),
    path("pelatih/<int:pk>/ubah/", TrainerUpdateView.as_view(), name="trainer_update"),
]
