"""Organisations: list, detail with history, create and edit.

Editing follows the write rule (percontohan.scoping): a BLM changes the organisations of its
working area, never a national or provincial one, and cannot move one out of its working area.
"""

from django.utils.translation import gettext_lazy as _
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


organisation_list = OrganisationListView.as_view()
organisation_detail = OrganisationDetailView.as_view()
organisation_create = OrganisationCreateView.as_view()
organisation_update = OrganisationUpdateView.as_view()
