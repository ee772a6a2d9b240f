"""What every list table of the portal shares: on a phone it keeps to its essential columns, and a deep
page costs what the first one does (KeysFirstPaginator).

The table's scroll region, its sortable headers and the translated pagination are in the project's
template templates/django_tables2/bootstrap5-responsive.html (settings.DJANGO_TABLES2_TEMPLATE).
"""

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models.query import QuerySet
from django.utils.formats import date_format, localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django_tables2.columns import library
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

    def body_html(self):
        """The rows of the page as HTML, as django-tables2's template writes them, but with each column's
        cell attributes worked out once instead of once per cell (which took a third of a list's time).
        No column of the portal computes its cell attributes from the record; a row's own may (row_attrs)."""
        cell_attrs = {column.name: column.attrs["td"].as_html() for column in self.columns}
        rows = []
        for row in self.paginated_rows:
            # A line between cells, as the template had: the text of a row (copied, or read by a test)
            # keeps its cells apart ("Barito Kuala 30 Jun 2024", not "Barito Kuala30 Jun 2024").
            cells = "\n".join(
                f"<td {cell_attrs[column.name]}>{_shown(column, cell)}</td>" for column, cell in row.items()
            )
            rows.append(format_html("<tr {}>\n{}\n</tr>", row.attrs.as_html(), mark_safe(cells)))  # noqa: S308
        return mark_safe("\n".join(rows))  # noqa: S308 — every piece escaped above

    @property
    def label(self):
        """The accessible name of the table's scroll region, e.g. "Tabel komitmen"."""
        model = self._meta.model
        return _("Tabel %(name)s") % {"name": model._meta.verbose_name_plural} if model else _("Tabel")


@library.register
class DateColumn(tables.DateColumn):
    """django-tables2's date column, formatted in Python: its own compiles a template for every cell
    (a fifth of a 25-row list's time). Registered, so a table's model date fields get it too."""

    def __init__(self, format=None, short=True, *args, **kwargs):
        super().__init__(format, short, *args, **kwargs)
        self.date_format = format or ("SHORT_DATE_FORMAT" if short else "DATE_FORMAT")

    def render(self, value, bound_column):
        # As the template's `|default:default`: no date (a column that renders empty values) shows the default.
        return date_format(value, self.date_format) if value else bound_column.default


@library.register
class DateTimeColumn(tables.DateTimeColumn):
    """django-tables2's date-and-time column, formatted in Python, in the user's time zone."""

    def __init__(self, format=None, short=True, *args, **kwargs):
        super().__init__(format, short, *args, **kwargs)
        self.date_format = format or ("SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")

    def render(self, value, bound_column):
        return date_format(template_localtime(value), self.date_format) if value else bound_column.default


def _shown(column, value):
    """A cell's value as the template's `{{ cell }}` shows it: localised unless the column says not, escaped."""
    if column.localize is None:
        value = localize(template_localtime(value))
    elif column.localize:
        value = localize(value, use_l10n=True)
    else:
        value = localize(value, use_l10n=False)
    return conditional_escape(value)


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

    `count_limit` (a list of hundreds of thousands of people) stops the COUNT a few pages past the page
    asked for, and at least at `count_limit` rows: counting all 50,000 people named "Siti" reads most of
    the table, counting to 1,000 reads a few hundred pages. The list then says "more than …"
    (`count_is_exact`), and its last page link is left out.
    """

    # Pages past the one asked for that the capped COUNT still reaches (its page links).
    PAGES_AHEAD = 4

    def __init__(self, *args, count_limit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_limit = count_limit
        self.count_is_exact = True
        self.wanted_page = 1

    @cached_property
    def count(self):
        queryset = _queryset_of(self.object_list)
        if not self.count_limit or queryset is None:
            return super().count
        ceiling = max(self.count_limit, (self.wanted_page + self.PAGES_AHEAD) * self.per_page)
        # No ORDER BY: which rows the LIMIT keeps does not change how many there are.
        count = queryset.order_by()[: ceiling + 1].count()
        self.count_is_exact = count <= ceiling
        # What the list can say for sure: "more than `count_floor` rows".
        self.count_floor = ceiling
        return count

    def page(self, number):
        try:
            self.wanted_page = max(1, int(number))
        except (TypeError, ValueError):
            self.wanted_page = 1
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
