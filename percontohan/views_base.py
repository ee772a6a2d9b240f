"""Base views every app builds on: scoped loading, loading for an edit through the write rule,
versioned forms, lists with filters and export."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from percontohan.exports import ExportMixin
from percontohan.filters import SEARCH_MAX_LENGTH
from percontohan.history import StaleRecordError, history_of
from percontohan.records import BuiltQuerysets
from percontohan.scoping import (
    can_edit,
    check_can_save,
    get_editable_or_404,
    get_visible_or_404,
    is_editor,
    read_scope,
)
from percontohan.tables import KeysFirstPaginator


class ScopedMixin:
    """Load records only through `visible_to(request.user)`."""

    model = None

    def get_queryset(self):
        return self.model._default_manager.all().visible_to(self.request.user)


class PreparedObjectMixin(ScopedMixin):
    """A detail page whose record is read through a query prepared once per process for any scope
    (percontohan.records.Prepared): `record_query` is `Prepared(lambda codes, key: <the model's queryset
    .within(codes), filtered by the key>)`, the key being the URL's (`pk`, or the slug's). A record the
    user may not see is a 404, as `get_object` on `visible_to` gives."""

    record_query = None

    def get_object(self, queryset=None):
        if queryset is not None:
            return super().get_object(queryset)
        key = self.kwargs.get(self.pk_url_kwarg)
        if key is None:
            key = self.kwargs[self.slug_url_kwarg]
        found = self.record_query(read_scope(self.request.user), key)
        if not found:
            raise Http404
        return found[0]


def require_editor(user):
    """The role half of the write rule, for a view that creates: 403 for a role that only reads."""
    if not is_editor(user):
        raise PermissionDenied


class EditorRequiredMixin:
    """A view that creates records: only admins and BLM staff; the others get 403 before anything is read."""

    def dispatch(self, request, *args, **kwargs):
        require_editor(request.user)
        return super().dispatch(request, *args, **kwargs)


class EditableObjectMixin:
    """A view that changes the record named in the URL, or something under it (members, scores, documents…).

    The record is loaded once, through the write rule (`get_editable_or_404`): 403 for a role that
    only reads (before any lookup), 404 outside the user's regions, 403 when the user sees the record
    but may not change it. It is `self.<editable_name>`, and the object of an UpdateView.
    """

    editable_model = None  # defaults to the view's `model`
    editable_name = "record"
    editable_url_kwarg = "pk"

    def get_editable_queryset(self):
        return (self.editable_model or self.model)._default_manager.all()

    def dispatch(self, request, *args, **kwargs):
        self.editable = get_editable_or_404(
            self.get_editable_queryset(), request.user, pk=kwargs[self.editable_url_kwarg]
        )
        setattr(self, self.editable_name, self.editable)
        return self.closed_response(self.editable) or super().dispatch(request, *args, **kwargs)

    def closed_response(self, record):
        """The answer when the record may not be changed in its present state (a decided round); None when it may."""
        return None

    def get_object(self, queryset=None):
        return self.editable


class CanEditMixin:
    """Give a detail template `can_edit`: whether the user may change the record shown (the write rule),
    so that its edit buttons and forms are offered only to those whose changes would be accepted."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_edit(self.request.user, self.object)
        return context


# The querysets of lists, under their keys (ScopedListView.list_queryset).
LIST_QUERYSETS = BuiltQuerysets()


class ScopedListView(ScopedMixin, ExportMixin, SingleTableMixin, FilterView):
    """A list with search and filters (django-filter), sorting and pagination (django-tables2)
    and export of all filtered rows to CSV or XLSX (percontohan.exports).

    The table alone paginates: one COUNT per page, and a deep page read by its keys first
    (KeysFirstPaginator), so `?page=500` costs what the first page does.
    """

    paginate_by = 25
    paginator_class = KeysFirstPaginator
    # Where the COUNT may stop (KeysFirstPaginator): None counts every row.
    count_limit = None
    template_name = "list.html"

    def get_table_pagination(self, table):
        paginate = super().get_table_pagination(table)
        if paginate is not False and self.count_limit:
            paginate["count_limit"] = self.count_limit
        if paginate is not False:
            key = self.list_query_key(table)
            if key is not None:
                paginate["query_key"] = key
        return paginate

    def list_query_state(self):
        """What, besides the user's scope and the request's parameters, the queryset of `get_queryset()`
        depends on (today's date, what the user may change…), as a hashable value; None (the default) when
        it is not said: the list's queries are then compiled on every request (`list_query_key`)."""
        return None

    def url_arguments(self):
        """The URL's own arguments (a list under a record, as a batch's participants), as part of a key."""
        return tuple(sorted((name, str(value)) for name, value in self.kwargs.items()))

    def list_queryset(self):
        """`get_queryset()`, built once per process for each scope, language, URL, request parameters and
        `list_query_state()` (records.BuiltQuerysets), each request given a clone of its own; built on every
        request when the view does not say its state."""
        view_state = self.list_query_state()
        if view_state is None:
            return self.get_queryset()
        scope = read_scope(self.request.user)
        key = (
            type(self).__module__,
            type(self).__qualname__,
            self.url_arguments(),
            tuple(sorted((name, tuple(values)) for name, values in self.request.GET.lists())),
            None if scope is None else tuple(scope),
            get_language(),
            view_state,
        )
        return LIST_QUERYSETS.get(key, self.get_queryset)

    def list_query_key(self, table):
        """What the list's first page and COUNT depend on, so that they are compiled once per process for
        each (KeysFirstPaginator): the view, the URL's arguments, its `list_query_state()` and its filter
        set's `query_key` (the scope, the request's parameters, what the filters looked up). None, and
        built anew on each request, when the view or the filter set says nothing of its state, or a filter
        is invalid."""
        filterset = getattr(self, "filterset", None)
        view_state = self.list_query_state()
        if view_state is None or filterset is None or (filterset.is_bound and not filterset.is_valid()):
            return None
        view = (type(self).__module__, type(self).__qualname__, self.url_arguments(), view_state)
        # Not the page asked for: the paginator keeps each page's own queries under this key.
        return filterset.query_key(*view, ignore=(table.prefixed_page_field,))

    def paginate_queryset(self, queryset, page_size):
        # ListView's own pagination would count the rows a second time for a paginator nothing shows:
        # the table's (django-tables2, `paginate_by` rows a page) is the one the page renders.
        return None, None, queryset, False

    def get_filterset_kwargs(self, filterset_class):
        # As django-filter's, with the list's queryset kept between requests (list_queryset). Filter sets
        # derive from percontohan.filters.ScopedFilterSet, whose choice lists need the user.
        return {
            "data": self.request.GET or None,
            "request": self.request,
            "queryset": self.list_queryset(),
            "user": self.request.user,
        }

    def get_template_names(self):
        # A history restore (back to a pushed URL htmx no longer has cached) needs the whole page.
        if self.request.htmx and not self.request.htmx.history_restore_request:
            # A partial is found only in the template that defines it: a list template that
            # extends list.html without redefining the table falls back to list.html's.
            return [f"{self.template_name}#table", "list.html#table"]
        return [self.template_name]

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # One URL answers with the page or (to htmx) its table: caches must keep them apart,
        # or going back to a filtered list could show the bare table.
        patch_vary_headers(response, ("HX-Request",))
        return response


# How many records a picker's search answers with: enough to see that more typing narrows it.
PICKER_SEARCH_LIMIT = 20


def picker_search(request, records, fields):
    """A record picker's search (percontohan.forms.RecordPicker) as JSON — {"results": [{"value": key,
    "text": str(record)}, …]} — of the first `records` (already limited to what the user may see, and
    sorted) any of whose `fields` holds the typed `q` (no longer than a list's search box takes)."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    if query:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": query})
        records = records.filter(match)
    return JsonResponse({"results": [{"value": r.pk, "text": str(r)} for r in records[:PICKER_SEARCH_LIMIT]]})


def posted_version(data):
    """The version an edit form was read at (its hidden field); 0 — never current — when missing or garbled."""
    try:
        return int(data.get("version", ""))
    except (TypeError, ValueError):
        return 0


def add_service_error(form, error):
    """Show a refusal (a ValidationError) on the form: on a field the form has, else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else NON_FIELD_ERRORS, errors)
    else:
        form.add_error(None, error)


def saved_or_refused(form, user, write, *, instance=None):
    """Run `write()`, which returns the record it wrote, in one transaction; keep it only when `user`
    may still change that record as written (`check_can_save`: the write rule after the edit).

    A refusal — the record changed meanwhile (stale version), a rule of the service, a record
    moved out of the user's scope — is shown on the form, everything is rolled back and None is
    returned; `instance`, the form's record, is given back as it was read (no pk when new, the
    version it was read at), so the form can be shown again and resubmitted.
    """
    state = (instance.pk, getattr(instance, "version", None), instance._state.adding) if instance else None
    try:
        with transaction.atomic():
            record = write()
            check_can_save(user, record)
    except StaleRecordError as error:
        form.add_error(None, error.args[0])
    except ValidationError as error:
        add_service_error(form, error)
    else:
        return record
    if state is not None:
        instance.pk, instance._state.adding = state[0], state[2]
        if state[1] is not None:
            instance.version = state[1]
    return None


class VersionedFormMixin:
    """Create and edit forms of one record: an edit carries the version it was read at (saving over a
    newer one is refused), and what is saved must stay the user's to change (`saved_or_refused`)."""

    success_message = _("Perubahan disimpan.")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.request.method == "POST" and form.instance.pk:
            form.instance.version = posted_version(self.request.POST)
        return form

    def save(self, form):
        """Write the record and return it: the model form's save, or a service's in the views that use one."""
        return form.save()

    def form_valid(self, form):
        adding = form.instance._state.adding
        record = saved_or_refused(form, self.request.user, lambda: self.save(form), instance=form.instance)
        if record is None:
            if adding:
                self.object = None
            return self.form_invalid(form)
        self.object = record
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class HistoryMixin:
    """Give the detail template the record's history timeline."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = history_of(self.object)
        return context


__all__ = [
    "CanEditMixin",
    "EditableObjectMixin",
    "EditorRequiredMixin",
    "HistoryMixin",
    "ScopedListView",
    "ScopedMixin",
    "VersionedFormMixin",
    "add_service_error",
    "get_visible_or_404",
    "picker_search",
    "posted_version",
    "require_editor",
    "saved_or_refused",
]
