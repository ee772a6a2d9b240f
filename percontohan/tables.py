"""What every list table of the portal shares: on a phone it keeps to its essential columns, and a deep
page costs what the first one does (KeysFirstPaginator).

The table's scroll region, its sortable headers and the translated pagination are in the project's
template templates/django_tables2/bootstrap5-responsive.html (settings.DJANGO_TABLES2_TEMPLATE).
"""

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models.query import QuerySet
from django.utils.translation import gettext as _
from django_tables2.rows import BoundRows

# Bootstrap display utilities: a secondary column appears from the md breakpoint (768 px) on.
PHONE_HIDDEN = "d-none d-md-table-cell"


def add_class(attrs, css_class):
    """Column `attrs` with `css_class` added to the header and data cells (a "cell" entry serves both)."""
    attrs = dict(attrs)
    for tag in ("th", "td"):
        cell = dict(attrs.get(tag, attrs.get("cell", {})))
        cell["class"] = f"{cell.get('class', '')} {css_class}".strip()
        attrs[tag] = cell
    return attrs


class PortalTable(tables.Table):
    """A list table that a 390-px phone can read without scrolling sideways.

    `phone_columns` names the columns a phone shows; the others appear from 768 px on. Empty: all of
    them (a table narrow enough anyway).
    """

    phone_columns = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The columns are the table's own deep copies (django-tables2), so the class stays untouched.
        for bound in self.columns.iterall():
            if self.phone_columns and bound.name not in self.phone_columns:
                bound.column.attrs = add_class(bound.column.attrs, PHONE_HIDDEN)

    @property
    def label(self):
        """The accessible name of the table's scroll region, e.g. "Tabel komitmen"."""
        model = self._meta.model
        return _("Tabel %(name)s") % {"name": model._meta.verbose_name_plural} if model else _("Tabel")


def _queryset_of(object_list):
    """The queryset behind a paginator's list: the list itself, or the one under django-tables2's rows
    (BoundRows → TableQuerysetData → QuerySet, or a page's BoundRows → a sliced QuerySet); else None."""
    for _level in range(3):
        if isinstance(object_list, QuerySet):
            return object_list
        object_list = getattr(object_list, "data", None)
    return None


class KeysFirstPaginator(Paginator):
    """Reads a page of a queryset in two steps, so that page 500 costs about what page 1 does.

    PostgreSQL computes every selected column of every row an OFFSET skips: the joins for the names a
    row shows and any correlated subquery (the village list's pilot status) run 12,500 times for page
    500 of 25 rows. So the page's primary keys are selected first, with only what the ORDER BY needs
    (an index scan when it sorts by an indexed column), and then the page's rows with all their joins,
    annotations and prefetches (`pk__in`), put back in the page's order: two queries for any page.
    The COUNT is django-tables2's (one per page); lists that are not querysets are paginated as usual.
    """

    def page(self, number):
        page = super().page(number)
        queryset, page_rows = _queryset_of(self.object_list), _queryset_of(page.object_list)
        if queryset is None or page_rows is None:
            return page
        keys = list(page_rows.values_list("pk", flat=True))
        # No ORDER BY: the keys give the order (an empty list of keys costs no query).
        found = queryset.order_by().in_bulk(keys)
        records = [found[key] for key in keys if key in found]
        if isinstance(page.object_list, BoundRows):
            page.object_list.data = records
        else:
            page.object_list = records
        return page
