"""Site selection rounds: the round, its weighted criteria, candidates, stakeholders' scores, ranking and decision.

A round is loaded through `visible_to(request.user)`; its criteria, candidates
and scores only through the round. Every form loads the round through the write
rule (percontohan.scoping), and once the round is decided it is read-only.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, FormView, TemplateView, UpdateView

from percontohan.records import Prepared
from percontohan.views_base import (
    CanEditMixin,
    EditableObjectMixin,
    EditorRequiredMixin,
    HistoryMixin,
    PreparedObjectMixin,
    ScopedListView,
    VersionedFormMixin,
    saved_or_refused,
)
from villages.filters_programme import RoundFilter
from villages.forms_selection import (
    CandidateAddForm,
    CriterionFormSet,
    DecisionForm,
    ScoreSheetForm,
    SelectionRoundForm,
    StakeholderForm,
)
from villages.models import SelectionRound, SelectionScore
from villages.services import selection_check_weights, selection_decide, selection_ranking, selection_score
from villages.tables_programme import RoundTable

ROUND_LIST_LABEL = _("Seleksi lokasi")


def round_crumbs(round_=None):
    crumbs = [(ROUND_LIST_LABEL, reverse("villages:round_list"))]
    if round_ is not None:
        crumbs.append((round_.title, round_.get_absolute_url()))
    return crumbs


def round_queryset():
    return SelectionRound.objects.select_related("regency__province", "programme_area", "responsible_blm", "decided_by")


def ranking_context(round_):
    """The ranking with, per candidate, each stakeholder's weighted score in the stakeholders' order."""
    ranked, stakeholders = selection_ranking(round_)
    for entry in ranked:
        entry.contributions = [entry.by_stakeholder.get(stakeholder) for stakeholder in stakeholders]
    return {"ranked": ranked, "stakeholders": stakeholders}


def weights_problem(round_):
    """The service's message when the weights do not sum to 100 %, else None."""
    try:
        selection_check_weights(round_)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


class RoundListView(ScopedListView):
    model = SelectionRound
    table_class = RoundTable
    filterset_class = RoundFilter
    export_name = "seleksi-lokasi"
    template_name = "villages/round_list.html"
    extra_context = {"title": _("Seleksi lokasi desa percontohan")}

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("regency", "programme_area", "responsible_blm")
            .annotate(candidate_count=Count("candidates"))
            # Meta.ordering is not applied to GROUP BY queries.
            .order_by("-period_start", "title")
        )

    def list_query_state(self):
        return ()


# A round the user may see, its criteria prefetched once for the weights check, the ranking and the
# criteria table.
ROUND = Prepared(lambda codes, pk: round_queryset().prefetch_related("criteria").within(codes).filter(pk=pk))


class RoundDetailView(PreparedObjectMixin, HistoryMixin, CanEditMixin, DetailView):
    """The round's page: criteria, ranking by weighted score with each stakeholder's part, minutes, decision."""

    model = SelectionRound
    record_query = ROUND
    template_name = "villages/round_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_ = self.object
        context.update(ranking_context(round_))
        criteria = list(round_.criteria.all())
        context.update(
            breadcrumbs=round_crumbs(),
            criteria=criteria,
            weight_total=sum(c.weight for c in criteria),
            weights_problem=weights_problem(round_),
            pilots=round_.pilot_villages.select_related("village__district").order_by("village__name"),
        )
        return context


class RoundFormMixin:
    model = SelectionRound
    form_class = SelectionRoundForm
    template_name = "villages/round_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("breadcrumbs", round_crumbs(getattr(self, "object", None)))
        return super().get_context_data(**kwargs)


class RoundCreateView(EditorRequiredMixin, RoundFormMixin, VersionedFormMixin, CreateView):
    success_message = _("Putaran seleksi ditambahkan. Lanjutkan dengan kriteria dan calon desa.")


class OpenRoundMixin(EditableObjectMixin):
    """Load the round named in the URL through the write rule; a decided round is read-only,
    so its forms send the user back to its page."""

    editable_name = "round"

    def get_editable_queryset(self):
        return round_queryset()

    def closed_response(self, round_):
        if round_.is_open:
            return None
        messages.warning(self.request, _("Putaran ini sudah diputuskan; datanya tidak dapat diubah lagi."))
        return redirect(round_)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("breadcrumbs", round_crumbs(self.round))
        return super().get_context_data(round=self.round, **kwargs)


class RoundUpdateView(OpenRoundMixin, RoundFormMixin, VersionedFormMixin, UpdateView):
    pass


class RoundCriteriaView(OpenRoundMixin, TemplateView):
    """Edit the criteria and their weights; saved only when the weights sum to 100 %."""

    template_name = "villages/round_criteria.html"

    def formset(self, data=None):
        return CriterionFormSet(data, instance=self.round, queryset=self.round.criteria.all(), prefix="kriteria")

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(formset=self.formset()))

    def post(self, request, *args, **kwargs):
        formset = self.formset(request.POST)
        if formset.is_valid():
            try:
                with transaction.atomic():
                    formset.save()
                    selection_check_weights(self.round)
            except ValidationError as error:
                formset.add_non_form_error(error)
            else:
                messages.success(request, _("Kriteria dan bobot disimpan."))
                return redirect(self.round)
        return self.render_to_response(self.get_context_data(formset=formset))


class RoundCandidatesView(OpenRoundMixin, FormView):
    """Add villages of the round's regency as candidates, or remove one."""

    form_class = CandidateAddForm
    template_name = "villages/round_candidates.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "round_": self.round, "user": self.request.user}

    def get_context_data(self, **kwargs):
        candidates = self.round.candidates.select_related("village__district").annotate(score_count=Count("scores"))
        return super().get_context_data(candidates=candidates.order_by("village__name"), **kwargs)

    def post(self, request, *args, **kwargs):
        if "remove" in request.POST:
            return self.remove(request.POST["remove"])
        return super().post(request, *args, **kwargs)

    def remove(self, pk):
        candidate = get_object_or_404(self.round.candidates.select_related("village"), pk=pk if pk.isdigit() else 0)
        candidate.delete()
        messages.success(
            self.request, _("%(village)s dihapus dari daftar calon.") % {"village": candidate.village.name}
        )
        return redirect("villages:round_candidates", pk=self.round.pk)

    def form_valid(self, form):
        added = form.save()
        messages.success(self.request, _("%(count)d desa ditambahkan sebagai calon.") % {"count": len(added)})
        return redirect("villages:round_candidates", pk=self.round.pk)


class RoundScoresView(OpenRoundMixin, FormView):
    """Enter one stakeholder's scores (1–5) of every candidate on every criterion."""

    form_class = ScoreSheetForm
    template_name = "villages/round_scores.html"

    def get(self, request, *args, **kwargs):
        data = request.GET if "stakeholder" in request.GET else None
        self.stakeholder_form = StakeholderForm(data, user=request.user)
        self.stakeholder = self.chosen_stakeholder(self.stakeholder_form)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.stakeholder_form = StakeholderForm(request.POST, user=request.user)
        self.stakeholder = self.chosen_stakeholder(self.stakeholder_form)
        if self.stakeholder is None:
            return self.render_to_response(self.get_context_data())
        return super().post(request, *args, **kwargs)

    def chosen_stakeholder(self, form):
        """The organisation chosen in the form, else the user's own one when the user may see it."""
        if form.is_bound:
            return form.cleaned_data["stakeholder"] if form.is_valid() else None
        own = self.request.user.organisation_id
        stakeholder = form.fields["stakeholder"].queryset.filter(pk=own).first() if own else None
        if stakeholder is not None:
            form.initial["stakeholder"] = stakeholder
        return stakeholder

    def get_form(self, form_class=None):
        if self.stakeholder is None:
            return None
        self.criteria = list(self.round.criteria.all())
        self.candidates = list(self.round.candidates.select_related("village__district").order_by("village__name"))
        return super().get_form(form_class)

    def get_form_kwargs(self):
        existing = SelectionScore.objects.filter(candidate__round=self.round, stakeholder=self.stakeholder)
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "initial": {"stakeholder": self.stakeholder},
            "candidates": self.candidates,
            "criteria": self.criteria,
            "existing": {(c, k): v for c, k, v in existing.values_list("candidate_id", "criterion_id", "value")},
        }

    def get_context_data(self, **kwargs):
        progress = (
            SelectionScore.objects.filter(candidate__round=self.round)
            .values("stakeholder__name")
            .annotate(count=Count("pk"))
            .order_by("stakeholder__name")
        )
        return super().get_context_data(
            stakeholder=self.stakeholder,
            stakeholder_form=self.stakeholder_form,
            progress=progress,
            cell_count=self.round.candidates.count() * len(self.round.criteria.all()),
            **kwargs,
        )

    def form_valid(self, form):
        saved = []

        def save_scores():
            saved.extend(
                selection_score(
                    candidate=candidate,
                    criterion=criterion,
                    stakeholder=self.stakeholder,
                    value=value,
                    user=self.request.user,
                )
                for candidate, criterion, value in form.filled_scores()
            )
            return self.round

        if saved_or_refused(form, self.request.user, save_scores) is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(count)d nilai dari %(stakeholder)s disimpan.")
            % {"count": len(saved), "stakeholder": self.stakeholder},
        )
        return redirect(self.round)


class RoundDecideView(OpenRoundMixin, FormView):
    """Choose the pilot villages from the ranking; they are designated in one step and the round closes."""

    form_class = DecisionForm
    template_name = "villages/round_decide.html"

    @cached_property
    def ranking(self):
        return ranking_context(self.round)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "round_": self.round, "ranked": self.ranking["ranked"]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(weights_problem=weights_problem(self.round), **self.ranking, **kwargs)

    def form_valid(self, form):
        pilots = []

        def decide():
            pilots.extend(
                selection_decide(
                    round_=self.round,
                    chosen=form.cleaned_data["chosen"],
                    rationale=form.cleaned_data["rationale"],
                    user=self.request.user,
                )
            )
            return self.round

        if saved_or_refused(form, self.request.user, decide) is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Keputusan disimpan: %(count)d desa ditetapkan sebagai desa percontohan.") % {"count": len(pilots)},
        )
        return redirect(self.round)


urlpatterns = [
    path("seleksi/", RoundListView.as_view(), name="round_list"),
    path("seleksi/tambah/", RoundCreateView.as_view(), name="round_create"),
    path("seleksi/<int:pk>/", RoundDetailView.as_view(), name="round_detail"),
    path("seleksi/<int:pk>/ubah/", RoundUpdateView.as_view(), name="round_update"),
    path("seleksi/<int:pk>/kriteria/", RoundCriteriaView.as_view(), name="round_criteria"),
    path("seleksi/<int:pk>/calon/", RoundCandidatesView.as_view(), name="round_candidates"),
    path("seleksi/<int:pk>/nilai/", RoundScoresView.as_view(), name="round_scores"),
    path("seleksi/<int:pk>/keputusan/", RoundDecideView.as_view(), name="round_decide"),
]
