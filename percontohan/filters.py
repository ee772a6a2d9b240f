"""The base of every list's filter set: choice lists hold only what the user may see."""

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from percontohan.copies import FiltersOfClass
from percontohan.forms import CleanTextMixin
from percontohan.records import CompiledQueries
from percontohan.scoping import read_scope

# Longer than any name, code or title a search could match: a longer one is a form error, not a query.
SEARCH_MAX_LENGTH = 200


class ScopedFilterSet(django_filters.FilterSet):
    """Narrows every model choice list through the model's `visible_to(user)` (the one scoping mechanism).

    Text filters (searches) are limited to SEARCH_MAX_LENGTH characters and, like every form of the
    portal, drop invisible characters (percontohan.forms.CleanTextMixin).
    """

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for filter_ in self.filters.values():
            queryset = getattr(filter_, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                filter_.queryset = queryset.visible_to(user)
            if isinstance(filter_, django_filters.CharFilter):
                filter_.extra.setdefault("max_length", SEARCH_MAX_LENGTH)
                # A search box says what to do, in the page's language (as the searchable pickers do).
                filter_.extra.setdefault("widget", forms.TextInput(attrs={"placeholder": _("Ketik untuk mencari…")}))

    def query_key(self, *names, ignore=()):
        """What the SQL this filter set builds depends on — its class, the user's scope, the language, the
        request's parameters but those `ignore`d (a list's page) and `query_state()` — with `names` after
        it; None when `query_state()` is None. Under it a list's first page and COUNT, and the filters'
        choice lists, are compiled once per process (percontohan.records.CompiledQueries)."""
        state = self.query_state()
        if state is None:
            return None
        scope = read_scope(self.user)
        data = self.data if self.data is not None else QueryDict()
        given = data.lists() if hasattr(data, "lists") else ((name, [value]) for name, value in data.items())
        parameters = tuple(sorted((str(name), tuple(map(str, values))) for name, values in given if name not in ignore))
        kind = type(self)
        return (
            kind.__module__,
            kind.__qualname__,
            None if scope is None else tuple(scope),
            get_language(),
            parameters,
            state,
            *names,
        )

    def query_state(self):
        """What, besides the request's parameters and the user's scope, the filtered queryset's SQL depends
        on — records the filters looked up, a default read from the database — as a hashable value; None
        (the default) when it may depend on anything else (today's date…): the list's queries are then
        compiled on every request (percontohan.views_base.ScopedListView.list_query_key)."""
        return None

    @classmethod
    def get_filters(cls):
        # Each filter set copies its class's filters without copy.deepcopy (percontohan.copies).
        return FiltersOfClass(super().get_filters())

    @property
    def active_count(self):
        """How many of its filters the request sets (the phone's "Filter" button shows it)."""
        data = self.data or {}
        values = data.getlist if hasattr(data, "getlist") else lambda name: [data.get(name)]
        return sum(any(value not in ("", None) for value in values(name)) for name in self.filters)

    def get_form_class(self):
        form_class = type(
            f"{type(self).__name__}Form", (CleanTextMixin, OneQueryChoicesMixin, super().get_form_class()), {}
        )
        # django-filter builds this class, and its fields, for this filter set alone (from the filter set's
        # own copies of its filters), and the filter set builds one form: the form need not copy them again.
        form_class.base_fields = FieldsOfOneForm(form_class.base_fields)
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.ModelChoiceField):
                # Its choices depend on the filters' values at most (not on a list's sort or page).
                others = [parameter for parameter in (self.data or ()) if parameter not in self.filters]
                field.choices_key = self.query_key("choices", name, ignore=others)
        return form_class


class FieldsOfOneForm(dict):
    """A form class's fields that only one form will use: the form takes them as they are, where Django
    deep-copies a form class's fields for each form (a tenth of a list's filter form)."""

    def __deepcopy__(self, memo):
        return dict(self)


# The SQL of the filters' choice lists, under their filter set's query_key.
CHOICE_QUERIES = CompiledQueries()


class OneQueryChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """A filter's list of records (a short one: long ones are pickers) read in one plain query.

    Django reads it through QuerySet.iterator(), which on a page (rendered after the request's
    transaction) is a server-side cursor WITH HOLD: three round trips and a copy of the result, a sixth
    of a short list's time. The empty choice, then django-filter's null choice, come first as before.
    """

    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        key = getattr(field, "choices_key", None)
        records = self.queryset if key is None else CHOICE_QUERIES.rows(key, self.queryset)
        for record in records:
            yield self.choice(record)


class OneQueryChoicesMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "iterator", None) is django_filters.fields.ModelChoiceIterator:
                field.iterator = OneQueryChoiceIterator
                field.widget.choices = field.choices
