"""Base views every app builds on: scoped loading, role checks, lists with filters and export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from percontohan.history import StaleRecordError, history_of
from percontohan.scoping import get_visible_or_404


class ScopedMixin:
    """Load records only through `visible_to(request.user)`."""

    model = None

    def get_queryset(self):
        return self.model._default_manager.all().visible_to(self.request.user)


class EditorRequiredMixin:
    """Only admins and BLM staff may change data; others get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_editor:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedListView(ScopedMixin, ExportMixin, SingleTableMixin, FilterView):
    """A list with search and filters (django-filter), sorting and pagination (django-tables2)
    and export of all filtered rows to CSV or XLSX."""

    paginate_by = 25
    export_formats = ("csv", "xlsx")
    template_name = "list.html"

    def get_export_filename(self, export_format):
        return f"{self.export_name}.{export_format}"

    def get_filterset_kwargs(self, filterset_class):
        # Filter sets derive from percontohan.filters.ScopedFilterSet, whose choice lists need the user.
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_template_names(self):
        if self.request.htmx:
            # A partial is found only in the template that defines it: a list template that
            # extends list.html without redefining the table falls back to list.html's.
            return [f"{self.template_name}#table", "list.html#table"]
        return [self.template_name]


class VersionedFormMixin:
    """Edit forms carry the version they were read at; saving over a newer one is refused."""

    success_message = _("Perubahan disimpan.")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.request.method == "POST" and form.instance.pk:
            try:
                form.instance.version = int(self.request.POST.get("version", ""))
            except ValueError:
                form.instance.version = 0
        return form

    def form_valid(self, form):
        try:
            with transaction.atomic():
                response = super().form_valid(form)
        except StaleRecordError as error:
            form.add_error(None, error.args[0])
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return response


class HistoryMixin:
    """Give the detail template the record's history timeline."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = history_of(self.object)
        return context


__all__ = [
    "EditorRequiredMixin",
    "HistoryMixin",
    "ScopedListView",
    "ScopedMixin",
    "VersionedFormMixin",
    "get_visible_or_404",
]
