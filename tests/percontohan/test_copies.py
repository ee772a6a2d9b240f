"""Each table and filter set copies its class's columns and filters (percontohan/copies.py) as a deep
copy would for everything it may change, for every table and filter set of the portal."""

import copy

import pytest
from django import forms
from django.db.models import QuerySet
from django.urls import get_resolver
from django.utils.functional import Promise
from django_filters.filters import FilterMethod
from django_tables2.columns.base import LinkTransform

from percontohan.filters import ScopedFilterSet
from percontohan.tables import PortalTable


def subclasses(cls):
    get_resolver().url_patterns  # noqa: B018 — every view, so every table and filter set, imported
    found = set()
    for subclass in cls.__subclasses__():
        found |= {subclass, *subclasses(subclass)}
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


TABLES = subclasses(PortalTable)
FILTER_SETS = subclasses(ScopedFilterSet)


def described(value, containers):
    """A value as comparable data; every container met is added to `containers`."""
    if isinstance(value, (dict, list)):
        containers.append(value)
    if isinstance(value, dict):
        return (type(value), {key: described(entry, containers) for key, entry in value.items()})
    if isinstance(value, list):
        return [described(entry, containers) for entry in value]
    if isinstance(value, QuerySet):
        containers.append(value)
        return (type(value), value.model, "none" if value.query.is_empty() else str(value.query))
    if isinstance(value, forms.Widget):
        containers.append(value)
        return (type(value), described(value.attrs, containers))
    if isinstance(value, FilterMethod):
        return (FilterMethod, value.f._method)
    if isinstance(value, (LinkTransform, *_declaration_classes())):
        return (type(value), {name: described(entry, containers) for name, entry in vars(value).items()})
    if isinstance(value, Promise):
        return str(value)
    return value


def _declaration_classes():
    from django_filters.filters import Filter
    from django_tables2 import Column

    return (Column, Filter)


def assert_copied_as_deep_copy_would(original, copied):
    originals, copies = [], []
    assert described(copied, copies) == described(original, originals)
    # What a table or filter set may change is its own, not the class's.
    shared = {id(container) for container in originals} & {id(container) for container in copies}
    assert not shared


DECLARATIONS = [(table, "base_columns") for table in TABLES] + [
    (filter_set, "base_filters") for filter_set in FILTER_SETS
]


@pytest.mark.parametrize(("owner", "attribute"), DECLARATIONS, ids=lambda value: getattr(value, "__name__", ""))
def test_columns_and_filters_are_copied_as_a_deep_copy_would(owner, attribute, db):
    declared = getattr(owner, attribute)
    ours = copy.deepcopy(declared)
    deep = copy.deepcopy(dict(declared))

    assert list(ours) == list(deep)
    for name in deep:
        assert type(ours[name]) is type(deep[name])
        assert described(ours[name], []) == described(deep[name], [])
        assert_copied_as_deep_copy_would(declared[name], ours[name])
        if isinstance(ours[name].__dict__.get("filter"), FilterMethod):
            assert ours[name].filter.f is ours[name]  # filters through the copy, with the copy's parent


def test_the_list_finds_every_table_and_filter_set():
    names = {cls.__name__ for cls in TABLES + FILTER_SETS}
    assert {"VillageListTable", "CommitmentTable", "PersonTable", "VillageFilter", "PersonFilter"} <= names


def test_what_a_table_changes_in_its_columns_stays_in_that_table(db):
    from villages.tables_village import VillageListTable

    table = VillageListTable([])
    table.columns["name"].column.attrs["td"] = {"class": "diubah"}
    table.columns["code"].column.attrs["td"]["class"] += " diubah"
    table.columns["name"].column.verbose_name = "Diubah"

    again = VillageListTable([])
    assert "diubah" not in str(again.columns["name"].column.attrs)
    assert "diubah" not in str(again.columns["code"].column.attrs)
    assert again.columns["name"].column.verbose_name == "Nama"


def test_what_a_filter_set_changes_in_its_filters_stays_in_that_filter_set(blm_user):
    from regions.models import Village
    from villages.filters_village import VillageFilter

    filter_set = VillageFilter({}, Village.objects.all(), user=blm_user)
    filter_set.filters["kind"].extra["choices"].append(("9", "Diubah"))
    filter_set.filters["province"].extra["widget"].attrs["data-diubah"] = "1"
    filter_set.filters["area"].label = "Diubah"

    again = VillageFilter({}, Village.objects.all(), user=blm_user)
    assert ("9", "Diubah") not in again.filters["kind"].extra["choices"]
    assert "data-diubah" not in again.filters["province"].extra["widget"].attrs
    assert again.filters["area"].label == "Kawasan"
    # A filter with a method filters through its own filter set.
    assert again.filters["kind"].filter.f.parent is again
