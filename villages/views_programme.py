"""Programme areas (kawasan) with their member villages and map, and pilot villages with their lifecycle.

Every record is loaded through `visible_to(request.user)`; memberships are
loaded through their area. Forms load and save through the write rule
(percontohan.scoping): editors only, and only records inside their scope.
"""

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, FormView, UpdateView

from percontohan.records import Prepared
from percontohan.scoping import editable_scope_state, is_editor
from percontohan.text import has_forbidden_characters
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
from regions.forms import regency_choices
from villages import map_context
from villages.filters_programme import AreaFilter, PilotFilter
from villages.forms_programme import (
    AreaMemberForm,
    MembershipEndForm,
    PilotProposeForm,
    PilotRegencyForm,
    PilotTransitionForm,
    ProgrammeAreaForm,
)
from villages.models import AreaMembership, PilotStatus, PilotTransition, PilotVillage, ProgrammeArea, VillageGeo
from villages.services import area_add_village, pilot_propose, pilot_transition
from villages.tables_programme import AreaTable, PilotTable

AREA_LIST_LABEL = _("Kawasan")
PILOT_LIST_LABEL = _("Desa percontohan")


def area_crumbs(area=None):
    crumbs = [(AREA_LIST_LABEL, reverse("villages:area_list"))]
    if area is not None:
        crumbs.append((area.name, area.get_absolute_url()))
    return crumbs


# --- Programme areas ---------------------------------------------------------


class AreaListView(ScopedListView):
    model = ProgrammeArea
    table_class = AreaTable
    filterset_class = AreaFilter
    export_name = "kawasan"
    template_name = "villages/area_list.html"
    extra_context = {"title": _("Kawasan perdesaan dan transmigrasi")}

    def get_queryset(self):
        current = AreaMembership.valid_on_q(timezone.localdate(), prefix="memberships__")
        return (
            super()
            .get_queryset()
            .select_related("regency")
            .annotate(member_count=Count("memberships", filter=current))
            # Meta.ordering is not applied to GROUP BY queries.
            .order_by("regency_id", "name")
        )

    def list_query_state(self):
        return (timezone.localdate(),)  # the members counted are today's


# An area the user may see, with its regency and province.
AREA = Prepared(lambda codes, pk: ProgrammeArea.objects.within(codes).select_related("regency__province").filter(pk=pk))


class AreaDetailView(PreparedObjectMixin, HistoryMixin, CanEditMixin, DetailView):
    """An area with its member villages (current and past), their pilot status and a map."""

    model = ProgrammeArea
    record_query = AREA
    template_name = "villages/area_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area, today = self.object, timezone.localdate()
        memberships = list(area.memberships.select_related("village__district").order_by("village__name", "valid_from"))
        village_codes = {m.village_id for m in memberships}
        pilots = {}
        # This area's designation first, then the latest period.
        designations = PilotVillage.objects.visible_to(self.request.user).filter(village__in=village_codes)
        for pilot in designations.order_by("-period_start"):
            known = pilots.get(pilot.village_id)
            if known is None or (known.programme_area_id != area.pk and pilot.programme_area_id == area.pk):
                pilots[pilot.village_id] = pilot
        for membership in memberships:
            membership.is_current = membership.is_valid_on(today)
            membership.pilot = pilots.get(membership.village_id)
        legend = map_context.legend()
        context.update(
            breadcrumbs=area_crumbs(),
            memberships=memberships,
            current_count=sum(m.is_current for m in memberships),
            map_data=self.map_data([m for m in memberships if m.is_current], legend["scheme"]),
            rounds=area.selection_rounds.order_by("-period_start", "title"),
            legend=legend,
        )
        return context

    def map_data(self, memberships, scheme):
        """Points and boundaries of the current member villages, coloured by their latest index status,
        for static/js/area_map.js; the regency's kecamatan and other villages come from `context_url`."""
        codes = [m.village_id for m in memberships]
        geos = VillageGeo.objects.visible_to(self.request.user).filter(village__in=codes).in_bulk()
        scores = map_context.latest_scores(self.request.user, [code for code in codes if code in geos], scheme)
        features = []
        for membership in memberships:
            geo = geos.get(membership.village_id)
            if geo is None:
                continue
            pilot, score = membership.pilot, scores.get(membership.village_id)
            features.append(
                {
                    "code": membership.village_id,
                    "name": membership.village.name,
                    "url": membership.village.get_absolute_url(),
                    "status": pilot.status if pilot else "",
                    "status_label": str(pilot.get_status_display()) if pilot else "",
                    "lat": float(geo.lat) if geo.lat is not None else None,
                    "lng": float(geo.lng) if geo.lng is not None else None,
                    "boundary": geo.boundary,
                    "color": score.status.color if score else map_context.NO_SCORE_COLOR,
                    "index_status": f"{score.status.label} ({scheme.code.upper()} {score.year})"
                    if score
                    else str(_("Belum ada nilai")),
                }
            )
        if not features:
            return None
        around = f"{reverse('villages:map_context')}?kabupaten={self.object.regency_id}"
        return {"villages": features, "tile_url": settings.MAP_TILE_URL, "context_url": around}


class AreaFormMixin:
    model = ProgrammeArea
    form_class = ProgrammeAreaForm
    template_name = "villages/area_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        area = getattr(self, "object", None)
        return super().get_context_data(breadcrumbs=area_crumbs(area), **kwargs)


class AreaCreateView(EditorRequiredMixin, AreaFormMixin, VersionedFormMixin, CreateView):
    success_message = _("Kawasan ditambahkan.")


class AreaUpdateView(EditableObjectMixin, AreaFormMixin, VersionedFormMixin, UpdateView):
    pass


class AreaChildMixin(EditableObjectMixin):
    """Change the members of the area named in the URL (loaded through the write rule)."""

    editable_name = "area"

    def get_editable_queryset(self):
        return ProgrammeArea.objects.select_related("regency")

    def get_context_data(self, **kwargs):
        return super().get_context_data(area=self.area, breadcrumbs=area_crumbs(self.area), **kwargs)


class AreaMemberAddView(AreaChildMixin, FormView):
    """Add a village of the area's regency (and the user's scope) to the area."""

    form_class = AreaMemberForm
    template_name = "villages/area_member_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "area": self.area, "user": self.request.user}

    def form_valid(self, form):
        membership = saved_or_refused(
            form, self.request.user, lambda: area_add_village(area=self.area, **form.cleaned_data)
        )
        if membership is None:
            return self.form_invalid(form)
        messages.success(self.request, _("%(village)s ditambahkan ke kawasan.") % {"village": membership.village.name})
        return redirect(self.area)


class AreaMemberEndView(AreaChildMixin, UpdateView):
    """Set the end date of a village's membership of an area (loaded through the area)."""

    form_class = MembershipEndForm
    template_name = "villages/area_member_end.html"
    context_object_name = "membership"

    def get_object(self, queryset=None):
        memberships = self.area.memberships.select_related("village__district")
        return get_object_or_404(memberships, pk=self.kwargs["membership_pk"])

    def form_valid(self, form):
        membership = saved_or_refused(form, self.request.user, form.save)
        if membership is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Keanggotaan %(village)s di kawasan ini berlaku sampai %(date)s.")
            % {"village": membership.village.name, "date": date_format(membership.valid_to)},
        )
        return redirect(self.area)


# --- Pilot villages ----------------------------------------------------------


class PilotListView(ScopedListView):
    model = PilotVillage
    table_class = PilotTable
    filterset_class = PilotFilter
    export_name = "desa-percontohan"
    template_name = "villages/pilot_list.html"
    extra_context = {"title": PILOT_LIST_LABEL}

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("village__district__regency", "responsible_blm", "programme_area")
            .with_can_edit(self.request.user)
            .order_by("village__district__regency_id", "village__name", "-period_start")
        )

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "show_actions": is_editor(self.request.user)}

    def list_query_state(self):
        return editable_scope_state(self.request.user)  # which rows the user may change (with_can_edit)


class PilotCreateView(EditorRequiredMixin, FormView):
    """Propose a candidate pilot village: first its regency, then the village and the designation."""

    form_class = PilotProposeForm
    template_name = "villages/pilot_form.html"

    def get(self, request, *args, **kwargs):
        self.area, self.regency = self.chosen_area_and_regency(request.GET)
        if self.regency is None:
            return self.choose_regency()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.area, self.regency = self.chosen_area_and_regency(request.POST)
        if self.regency is None:
            return self.choose_regency()
        return super().post(request, *args, **kwargs)

    def chosen_area_and_regency(self, params):
        """The regency (and area) named by ?kawasan= or ?regency= (or the posted form), only within the scope."""
        user = self.request.user
        if params.get("kawasan", "").isdigit():
            area = ProgrammeArea.objects.visible_to(user).select_related("regency").filter(pk=params["kawasan"]).first()
            if area is not None:
                return area, area.regency
        regencies = regency_choices(user)
        if params.get("regency"):
            # A posted form's value is not checked for NUL before the form (GET's is, by the middleware).
            if has_forbidden_characters(params["regency"]):
                return None, None
            return None, regencies.filter(code=params["regency"]).first()
        if user.scope_regency_codes is not None and len(user.scope_regency_codes) == 1:
            return None, regencies.first()
        return None, None

    def choose_regency(self):
        """Step one: pick the regency whose villages may be proposed."""
        data = self.request.GET if "regency" in self.request.GET else None
        regency_form = PilotRegencyForm(data, user=self.request.user)
        return self.render_to_response(self.get_context_data(form=None, regency_form=regency_form))

    def get_form_kwargs(self):
        initial = {"programme_area": self.area} if self.area else {}
        return {**super().get_form_kwargs(), "user": self.request.user, "regency": self.regency, "initial": initial}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            regency=self.regency,
            area=self.area,
            breadcrumbs=[(PILOT_LIST_LABEL, reverse("villages:pilot_list"))],
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        pilot = saved_or_refused(
            form,
            self.request.user,
            lambda: pilot_propose(
                village=data["village"],
                responsible_blm=data["responsible_blm"],
                programme_area=data["programme_area"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                reason=data["reason"],
                notes=data["notes"],
                user=self.request.user,
            ),
        )
        if pilot is None:
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(village)s diusulkan sebagai calon desa percontohan.") % {"village": pilot.village.name}
        )
        return redirect("villages:pilot_list")


class PilotTransitionView(EditableObjectMixin, FormView):
    """Move a pilot village (loaded through the write rule) along its lifecycle; a step the lifecycle
    does not allow is refused."""

    form_class = PilotTransitionForm
    template_name = "villages/pilot_transition.html"
    editable_name = "pilot"

    def get_editable_queryset(self):
        return pilot_queryset()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "pilot": self.pilot}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            pilot=self.pilot, breadcrumbs=[(PILOT_LIST_LABEL, reverse("villages:pilot_list"))], **kwargs
        )

    def form_valid(self, form):
        moved = saved_or_refused(
            form,
            self.request.user,
            lambda: pilot_transition(pilot=self.pilot, user=self.request.user, **form.cleaned_data).pilot,
        )
        if moved is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Status %(village)s diubah menjadi “%(status)s”.")
            % {"village": self.pilot.village.name, "status": PilotStatus(form.cleaned_data["to_status"]).label},
        )
        return redirect("villages:pilot_transition", pk=self.pilot.pk)


def pilot_queryset():
    """Pilot villages with what their pages show: village, BLM, area and the transitions with who made them."""
    return PilotVillage.objects.select_related(
        "village__district__regency", "responsible_blm", "programme_area", "selection_round"
    ).prefetch_related(Prefetch("transitions", queryset=PilotTransition.objects.select_related("by")))


urlpatterns = [
    path("kawasan/", AreaListView.as_view(), name="area_list"),
    path("kawasan/tambah/", AreaCreateView.as_view(), name="area_create"),
    path("kawasan/<int:pk>/", AreaDetailView.as_view(), name="area_detail"),
    path("kawasan/<int:pk>/ubah/", AreaUpdateView.as_view(), name="area_update"),
    path("kawasan/<int:pk>/anggota/tambah/", AreaMemberAddView.as_view(), name="area_member_add"),
    path("kawasan/<int:pk>/anggota/<int:membership_pk>/akhiri/", AreaMemberEndView.as_view(), name="area_member_end"),
    path("desa-percontohan/", PilotListView.as_view(), name="pilot_list"),
    path("desa-percontohan/usulkan/", PilotCreateView.as_view(), name="pilot_create"),
    path("desa-percontohan/<int:pk>/status/", PilotTransitionView.as_view(), name="pilot_transition"),
]
