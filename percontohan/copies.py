"""The per-instance copies of class-level declarations that django-tables2 and django-filter make for
every table and filter set — a list page makes one of each — made without `copy.deepcopy`.

Both libraries deep-copy the class's columns or filters so that an instance may change its own. What the
portal's tables and filter sets change is an attribute of a column or filter (a label, a queryset, a
column's `attrs`), or an entry of one of their dictionaries or lists (a filter's `extra["choices"]`).
So each column or filter is copied with its own dictionaries, lists, widgets and link, its querysets
cloned and a filter's `method` pointing at the copy; the rest — labels, accessors, functions, models —
is shared, as nothing changes it in place.
A deep copy of everything cost about a millisecond on each list page (a village list's table and filter
set: 0.5 and 0.6 ms); this costs a tenth of it.
"""

import copy
import functools

from django import forms
from django.db.models import QuerySet
from django_filters.filters import FilterMethod
from django_tables2.columns.base import LinkTransform


def own_copy(declaration, drop=()):
    """A copy of a column or filter whose containers are its own; `drop` names cached attributes the
    copy must make anew (a filter's form field)."""
    copied = object.__new__(type(declaration))
    copied.__dict__ = {
        name: value if (copier := _copier(type(value))) is None else copier(value)
        for name, value in declaration.__dict__.items()
        if name not in drop
    }
    return copied


def _dict_copy(value):
    copied = value.copy() if type(value) is dict else copy.copy(value)  # the same class (AttributeDict)
    for key, entry in value.items():
        if (copier := _copier(type(entry))) is not None:
            copied[key] = copier(entry)
    return copied


@functools.cache
def _copier(kind):
    """How a value of this class is copied for an instance, or None: shared."""
    if issubclass(kind, dict):
        return _dict_copy
    if issubclass(kind, list):
        return list  # choices: a list of pairs, which are tuples
    if issubclass(kind, QuerySet):
        return QuerySet.all  # a clone, without the class's results if it was ever read
    if issubclass(kind, forms.Widget):
        return copy.deepcopy  # a widget's own deep copy: its attributes
    if issubclass(kind, LinkTransform):
        return own_copy
    return None


class ColumnsOfClass(dict):
    """A table class's columns: django-tables2 deep-copies them for each table (Table.__init__)."""

    def __deepcopy__(self, memo):
        return {name: own_copy(column) for name, column in self.items()}


class FiltersOfClass(dict):
    """A filter set class's filters: django-filter deep-copies them for each filter set."""

    def __deepcopy__(self, memo):
        return {name: _filter_copy(filter_) for name, filter_ in self.items()}


def _filter_copy(filter_):
    copied = own_copy(filter_, drop=("_field",))
    if isinstance(copied.__dict__.get("filter"), FilterMethod):
        # A filter with a `method` filters through an object that points back at it: the copy's own.
        copied.filter = FilterMethod(copied)
    return copied
