"""Organisations: list, detail with history, create and edit.

Editing follows the write rule (percontohan.scoping): a BLM changes the organisations of its
working area, never a national or provincial one, and cannot move one out of its working area.
"""

from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import CreateView, DetailView, UpdateView

from partners.filters import OrganisationFilter
from partners.forms import OrganisationForm
from partners.models import Organisation
from partners.tables import OrganisationTable
from percontohan.views_base import (
    CanEditMixin,
    EditableObjectMixin,
    EditorRequiredMixin,
    HistoryMixin,
    ScopedListView,
    ScopedMixin,
    VersionedFormMixin,
    picker_search,
)


class OrganisationListView(ScopedListView):
    model = Organisation
    table_class = OrganisationTable
    filterset_class = OrganisationFilter
    export_name = "instansi"
    template_name = "partners/organisation_list.html"
    extra_context = {"title": _("Instansi dan mitra")}

    def get_queryset(self):
        return super().get_queryset().select_related("parent", "regency", "province")

    def list_query_state(self):
        return ()


class OrganisationDetailView(ScopedMixin, HistoryMixin, CanEditMixin, DetailView):
    model = Organisation
    template_name = "partners/organisation_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("parent", "regency", "province").prefetch_related("working_area")


class OrganisationFormMixin:
    model = Organisation
    form_class = OrganisationForm
    template_name = "partners/organisation_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class OrganisationCreateView(EditorRequiredMixin, OrganisationFormMixin, VersionedFormMixin, CreateView):
    success_message = _("Instansi ditambahkan.")


class OrganisationUpdateView(EditableObjectMixin, OrganisationFormMixin, VersionedFormMixin, UpdateView):
    pass


@never_cache
@require_GET
def organisation_search(request):
    """/mitra/instansi/cari/?q=…: an organisation picker's search, as JSON: the organisations the user may
    see whose name or short name holds `q`, by name (percontohan.forms.RecordPicker)."""
    organisations = Organisation.objects.visible_to(request.user).order_by("name", "pk")
    return picker_search(request, organisations, ("name", "short_name"))


organisation_list = OrganisationListView.as_view()
organisation_detail = OrganisationDetailView.as_view()
organisation_create = OrganisationCreateView.as_view()
organisation_update = OrganisationUpdateView.as_view()
