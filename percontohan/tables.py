"""What every list table of the portal shares: on a phone it keeps to its essential columns, and a deep
page costs what the first one does (KeysFirstPaginator).

The table's scroll region, its sortable headers and the translated pagination are in the project's
template templates/django_tables2/bootstrap5-responsive.html (settings.DJANGO_TABLES2_TEMPLATE).
"""

import functools
import html
from decimal import Decimal
from operator import attrgetter
from urllib.parse import urlencode

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db import models
from django.db.models.query import QuerySet
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.formats import date_format, get_format, localize, number_format
from django.utils.functional import cached_property
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tables2 import A
from django_tables2.columns import Column, ManyToManyColumn, library
from django_tables2.columns.base import LinkTransform
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.data import TableData, TableQuerysetData
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.templatetags.django_tables2 import table_page_range
from django_tables2.utils import AttributeDict, signature

from percontohan.copies import ColumnsOfClass
from percontohan.records import CompiledQueries

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


class QuerysetData(TableQuerysetData):
    """django-tables2's data of a queryset, with the columns its order gives the table (`ordering`, read
    when a table is made without an order of its own) worked out once per table class, columns and order.

    django-tables2 matches the queryset's ORDER BY against every column's order and its opposite,
    recursively, for every table it makes: 6 % of a village list's page, for the same answer each time.
    """

    _orderings = {}

    @property
    def ordering(self):
        table, order_by = self.table, self.data.query.order_by
        # The columns' aliases depend on the table's own order, still unset while it is being made.
        if table._order_by is not None or not all(isinstance(term, str) for term in order_by):
            return super().ordering
        key = (type(table), tuple(table.columns.names()), tuple(order_by))
        if key not in self._orderings:
            if len(self._orderings) > 1000:  # tables with columns added per request: keep it bounded
                self._orderings.clear()
            self._orderings[key] = super().ordering
        return self._orderings[key]


class PortalTable(tables.Table):
    """A list table that a 390-px phone can read without scrolling sideways.

    `phone_columns` names the columns a phone shows; the others appear from 768 px on. Empty: all of
    them (a table narrow enough anyway).
    """

    phone_columns = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Each table copies its class's columns without copy.deepcopy (percontohan.copies).
        cls.base_columns = ColumnsOfClass(cls.base_columns)

    def __init__(self, data=None, *args, **kwargs):
        if not isinstance(data, TableData) and TableQuerysetData.validate(data):
            data = QuerysetData(data)
        super().__init__(data, *args, **kwargs)
        # The columns are the table's own copies (percontohan.copies), so the class stays untouched.
        for bound in self.columns.iterall():
            if self.phone_columns and bound.name not in self.phone_columns:
                bound.column.attrs = add_class(bound.column.attrs, PHONE_HIDDEN)
        self._rows_in_one_order()

    @property
    def order_by(self):
        return tables.Table.order_by.fget(self)

    @order_by.setter
    def order_by(self, value):
        tables.Table.order_by.fset(self, value)
        self._rows_in_one_order()

    def _rows_in_one_order(self):
        """The rows sorted last by their primary key, however the list is sorted: rows that tie on what
        the user sorts by (two commitments due the same day) then come in the same order on every page
        and in every export, where PostgreSQL may return ties in any order (a row could show on two
        pages, another on none)."""
        queryset = _queryset_of(self.data)
        if queryset is not None:
            self.data.data = key_last(queryset)

    def body_html(self):
        """The rows of the page as HTML, as django-tables2's template writes them, but with each column's
        cell attributes and cell reader (ColumnReader) worked out once instead of once per cell (which took
        most of a list's time). No column of the portal computes its cell attributes from the record; a
        row's own may (row_attrs)."""
        columns = [
            (column, attributes_html(column.attrs["td"]), ColumnReader(self, column, rendered=True))
            for column in self.columns
        ]
        rows = []
        for row in self.paginated_rows:
            # A line between cells, as the template had: the text of a row (copied, or read by a test)
            # keeps its cells apart ("Barito Kuala 30 Jun 2024", not "Barito Kuala30 Jun 2024").
            cells = "\n".join(
                f"<td {attrs}>{_shown(column, read(row.record, row))}</td>" for column, attrs, read in columns
            )
            # BoundRow.attrs: the row's own attributes, if the table gives any, and its even/odd class.
            attrs = self._row_attributes(row) if self.row_attrs else f'class="{row.get_even_odd_css_class()}"'
            rows.append(f"<tr {attrs}>\n{cells}\n</tr>")
        return mark_safe("\n".join(rows))  # noqa: S308 — every piece escaped above

    def _row_attributes(self, row):
        """BoundRow.attrs as HTML: the table's row_attrs, a function's value computed for the record (its
        arguments worked out once, not for every row), with the row's even/odd class after its own."""
        given = {"table": self, "record": row.record}
        attrs = {}
        for name, value in self.row_attrs.items():
            if callable(value):
                arguments, catch_all = function_signature(value)
                if catch_all:
                    value = value(**given)
                elif all(argument in given for argument in arguments):
                    value = value(**{argument: given[argument] for argument in arguments})
                else:
                    value = None
            if isinstance(value, dict):
                return attributes_html(row.attrs)  # nested attributes: as django-tables2 computes them
            attrs[name] = value
        even_odd = row.get_even_odd_css_class()
        attrs["class"] = f"{attrs['class']} {even_odd}" if attrs.get("class") else even_odd
        return attributes_html(AttributeDict(attrs))

    def head_html(self):
        """The header row's cells as the template wrote them — each column's header, a link that sorts
        by it (the request's other parameters kept, as django-tables2's querystring_replace does) and
        how it is sorted (aria-sort) — in Python: in the template, a tenth of a short list's time."""
        query = dict(self.request.GET) if self.request is not None else {}
        cells = []
        for column in self.columns:
            sorted_as = ""
            if column.is_ordered:
                sorted_as = ' aria-sort="{}"'.format(
                    "descending" if column.order_by_alias.is_descending else "ascending"
                )
            header = conditional_escape(column.header)
            if column.orderable:
                sort = urlencode({**query, self.prefixed_order_by_field: column.order_by_alias.next}, doseq=True)
                header = f'<a href="{html.escape("?" + sort)}">{header}</a>'
            cells.append(f'<th {attributes_html(column.attrs["th"])} scope="col"{sorted_as}>\n    {header}\n  </th>')
        return mark_safe("\n".join(cells))  # noqa: S308 — every piece escaped above

    def pagination_html(self):
        """The page links under the table, as the template wrote them — previous, up to ten pages with
        gaps (django-tables2's table_page_range), next; each link keeps the request's other parameters —
        in Python: through querystring_replace and the template's conditions, ten links took a tenth of
        the village list's time. A count that stopped short (KeysFirstPaginator.count_is_exact) shows a
        gap instead of a last page it does not know."""
        page = getattr(self, "page", None)
        if not page or self.paginator.num_pages <= 1:
            return ""
        query = dict(self.request.GET) if self.request is not None else {}

        def link(number, text, current=False):
            href = html.escape("?" + urlencode({**query, self.prefixed_page_field: number}, doseq=True))
            item, marked = ("page-item active", ' aria-current="page"') if current else ("page-item", "")
            return f'<li class="{item}"><a class="page-link" href="{href}"{marked}>{text}</a></li>'

        gap = '<li class="page-item disabled"><span class="page-link">…</span></li>'
        count_stopped = getattr(self.paginator, "count_is_exact", None) is False
        previous, following, label = html.escape(_("Sebelumnya")), html.escape(_("Berikutnya")), _("Halaman tabel")
        items = []
        if page.has_previous():
            items.append(link(page.previous_page_number(), f'<span aria-hidden="true">&laquo;</span> {previous}'))
        numbers = table_page_range(page, self.paginator)
        for position, number in enumerate(numbers, 1):
            if number == "..." or (position == len(numbers) and number != page.number and count_stopped):
                items.append(gap)
            else:
                # As the template's {{ p }}: the number as Django localizes it for the page's language.
                items.append(link(number, html.escape(str(localize(number))), current=number == page.number))
        if page.has_next():
            items.append(link(page.next_page_number(), f'{following} <span aria-hidden="true">&raquo;</span>'))
        return mark_safe(  # noqa: S308 — every piece escaped
            f'<nav aria-label="{html.escape(label)}">\n'
            '<ul class="pagination pagination-sm flex-wrap justify-content-center">\n'
            + "\n".join(items)
            + "\n</ul>\n</nav>"
        )

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
        return shown_date(value, self.date_format) if value else bound_column.default


def shown_date(value, format_name):
    """date_format(value, format_name) for a date, remembered for the language: a list's dates repeat
    (due dates, signing dates), and Django looks the format up and parses it again for each."""
    return _shown_date(value, format_name, get_language())


@functools.lru_cache(maxsize=4096)
def _shown_date(value, format_name, language):
    with translation.override(language):
        return date_format(value, format_name)


@library.register
class DateTimeColumn(tables.DateTimeColumn):
    """django-tables2's date-and-time column, formatted in Python, in the user's time zone."""

    def __init__(self, format=None, short=True, *args, **kwargs):
        super().__init__(format, short, *args, **kwargs)
        self.date_format = format or ("SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")

    def render(self, value, bound_column):
        return date_format(template_localtime(value), self.date_format) if value else bound_column.default


# What django-tables2 may pass to a render_/value_ function (see BoundRow._optional_cell_arguments).
CELL_ARGUMENTS = frozenset({"value", "record", "column", "bound_column", "bound_row", "table"})
# Their export value is an ISO string; the export keeps the date or time itself.
TYPED_VALUE_FUNCTIONS = (tables.DateColumn.value, tables.DateTimeColumn.value, tables.TimeColumn.value)


class ColumnReader:
    """Reads one column's cell of a record as django-tables2 does — its export value as
    `BoundRow.get_cell_value`, or (`rendered`) the HTML of a page's cell as `BoundRow.get_cell` — with the
    function, the arguments it takes and the accessor resolved once for the whole table, not per cell
    (django-tables2 inspects the function's signature and parses the accessor for every cell)."""

    def __init__(self, table, bound_column, *, rendered=False):
        column = bound_column.column
        self.table, self.bound_column, self.column = table, bound_column, column
        self.header = bound_column.header
        self.accessor = A(bound_column.accessor)
        # Plain attribute lookups, compiled once: A.resolve() parses the path again for every cell.
        self.getter = attrgetter(".".join(self.accessor.bits))
        self.link_text = isinstance(column, BaseLinkColumn) and column.text is not None
        self.many_to_many = isinstance(column, ManyToManyColumn)
        self.function, arguments = self._render_function() if rendered else self._value_function()
        # A rendered cell: linked as the column says (linkify), the column's default when empty.
        self.link = bound_column.link if rendered else None
        self.empty = bound_column.default if rendered else None
        # A link to the cell's object or the record (linkify=True, as most lists' name and code columns) or
        # to a URL a function gives (linkify=lambda record: …) is written here, the function's arguments
        # worked out once; a record's own URL is reversed once for all its columns. Links with attributes
        # or reverse() arguments go through django-tables2's LinkTransform.
        link = self.link
        self.plain_link = (
            isinstance(link, LinkTransform) and link.reverse_args.get("viewname") is None and not link.attrs
        )
        if self.plain_link and callable(link.url):
            self.link_url, link_arguments = self._with_arguments(link.url)
            self.link_url_arguments = frozenset(link_arguments)
        elif self.plain_link:
            self.link_url = None
            self.link_target = A(link.accessor if link.accessor is not None else bound_column.name)
        fixed = {"column": column, "bound_column": bound_column, "table": table}
        self.fixed_arguments = {name: fixed[name] for name in arguments or () if name in fixed}
        self.wants_value, self.wants_record, self.wants_row = (
            name in (arguments or ()) for name in ("value", "record", "bound_row")
        )

    def _value_function(self):
        """(function, names of its arguments), or (None, None) when the value itself is exported."""
        function = self.bound_column.value  # value_<name>, else render_<name>, else the column's own value()
        if getattr(function, "__func__", None) is Column.value:
            function = self.column.render  # Column.value only calls render()
        if getattr(function, "__func__", None) in (Column.render, *TYPED_VALUE_FUNCTIONS):
            return None, None
        return self._with_arguments(function)

    def _render_function(self):
        """(function, names of its arguments) that renders the cell, or (None, None) for the value as it is."""
        function = self.bound_column.render  # render_<name>, else the column's own render()
        if getattr(function, "__func__", None) is Column.render:
            return None, None
        return self._with_arguments(function)

    def _with_arguments(self, function):
        names, catch_all = function_signature(function)
        if catch_all:
            return function, CELL_ARGUMENTS
        if not CELL_ARGUMENTS.issuperset(names):
            return (lambda: None), ()  # as django-tables2: a function asking for more is not called
        return function, frozenset(names)

    @cached_property
    def field(self):
        """The model field the column reads (through relations), or None (an annotation, a property)."""
        model = self.table.data.model
        return self.accessor.get_field(model) if model is not None else None

    @cached_property
    def choice_display(self):
        """(accessor of the field's owner, the field, its choices' labels) when the field has choices, else
        None. The labels are read once, in the language of the request: get_FOO_display() builds the
        dictionary of its choices again for every cell."""
        field = self.field
        if not getattr(field, "choices", None):
            return None
        owner, _, _name = self.accessor.rpartition(A.SEPARATOR)
        labels = {make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices}
        return A(owner), field.attname, labels

    def __call__(self, record, row=None):
        value, found = None, False
        if self.choice_display:
            owner_accessor, attname, labels = self.choice_display
            owner = owner_accessor.resolve(record, quiet=True)
            if isinstance(owner, models.Model):
                # As get_FOO_display(): the choice's label, else the value itself.
                stored = getattr(owner, attname)
                value, found = labels.get(make_hashable(stored), stored), True
        if not found:
            try:
                value = self.getter(record)
                if callable(value):
                    raise TypeError  # a method: A.resolve() calls it when it may
            except Exception:
                try:
                    value = self.accessor.resolve(record)
                except Exception:  # columns not backed by a field (as django-tables2 allows)
                    if self.link_text:
                        return self._call(record, None, row)
        if value in self.column.empty_values or (self.many_to_many and not value.exists()):
            return self.empty
        return self._call(record, value, row)

    def _call(self, record, value, row):
        content = value
        if self.function is not None:
            arguments = dict(self.fixed_arguments)
            if self.wants_value:
                arguments["value"] = value
            if self.wants_record:
                arguments["record"] = record
            if self.wants_row:
                arguments["bound_row"] = row or BoundRow(record, table=self.table)
            content = self.function(**arguments)
        if self.plain_link:
            url = self._url_of(record, value, row)
            if url is None:
                return content
            return SafeString(f'<a href="{html.escape(str(url))}">{escaped(content)}</a>')
        if self.link:
            row = row or BoundRow(record, table=self.table)
            return self.link(
                content,
                value=value,
                record=record,
                column=self.column,
                bound_column=self.bound_column,
                bound_row=row,
                table=self.table,
            )
        return content

    def _url_of(self, record, value, row):
        """LinkTransform.compose_url: the function's URL, or the cell's object's, else the record's (once)."""
        if self.link_url is not None:
            given = {"value": value, "record": record, "column": self.column, "bound_column": self.bound_column}
            given["table"] = self.table
            if "bound_row" in self.link_url_arguments:
                given["bound_row"] = row or BoundRow(record, table=self.table)
            return self.link_url(**{name: given[name] for name in self.link_url_arguments})
        target = self.link_target.resolve(record)
        if hasattr(target, "get_absolute_url"):
            return target.get_absolute_url()
        if not hasattr(record, "get_absolute_url"):
            raise TypeError(f"for linkify=True, '{target}' must have a method get_absolute_url")
        if "_portal_url" not in record.__dict__:
            record.__dict__["_portal_url"] = record.get_absolute_url()
        return record.__dict__["_portal_url"]


def choice_labels(choices):
    """{value: label} of a choices class (TextChoices, IntegerChoices) in the active language, made once
    per language: a cell that writes a choice's label asks gettext once per page, not once per row."""
    return _choice_labels(choices, get_language())


@functools.cache
def _choice_labels(choices, language):
    with translation.override(language):
        return {value: str(label) for value, label in choices.choices}


def function_signature(function):
    """django-tables2's signature(function) — the names of its arguments and of its ** catch-all — worked
    out once for each function: inspect.signature() costs more than most cells."""
    return _signature(getattr(function, "__func__", function), hasattr(function, "__self__"))


@functools.cache
def _signature(function, bound):
    names, catch_all = signature(function)
    return (names[1:] if bound else names), catch_all


def decimal_text(value, places, separator=None):
    """number_format(value, places, use_l10n=True) for a Decimal: the page's decimal separator, `places`
    digits after it. A value of at most `places` decimals below 1,000 (no grouping) is written here
    (an index value: Django's number formatting was a tenth of the village list's time); any other as
    Django writes it. A table writing many gives the `separator`, read once (get_format("DECIMAL_SEPARATOR"))."""
    if isinstance(value, Decimal) and value.is_finite() and value.as_tuple().exponent >= -places and abs(value) < 1000:
        return f"{value:.{places}f}".replace(".", separator or get_format("DECIMAL_SEPARATOR"))
    return number_format(value, places, use_l10n=True)


def attributes_html(attrs):
    """A tag's attributes (django-tables2's AttributeDict) as AttributeDict.as_html() writes them,
    `key="value"` escaped, without format_html's lazy-text wrappers (they cost more than the escaping)."""
    return " ".join(f'{html.escape(str(key))}="{escaped(value)}"' for key, value in attrs._iteritems())


def escaped(value):
    """conditional_escape() without its lazy-text wrapper: safe HTML as it is, anything else escaped."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _shown(column, value):
    """A cell's value as the template's `{{ cell }}` shows it: localised unless the column says not, escaped.

    Escaped as conditional_escape() does, without its lazy-text wrapper (a tenth of a long page's time)."""
    if type(value) is str:  # most cells: a name or a code, which no localisation changes
        return html.escape(value)
    if column.localize is None:
        value = localize(template_localtime(value))
    elif column.localize:
        value = localize(value, use_l10n=True)
    else:
        value = localize(value, use_l10n=False)
    return escaped(value)


def key_last(queryset):
    """The queryset sorted as it is, then by its primary key (unless it already sorts by it; a sliced or
    combined queryset is left as it is)."""
    query = queryset.query
    if query.is_sliced or query.combinator:
        return queryset
    if query.order_by:
        ordering = list(query.order_by)
    elif query.default_ordering:
        ordering = list(query.get_meta().ordering)
    else:
        ordering = []
    key = query.get_meta().pk
    names = {"pk", key.name, key.attname}
    for term in ordering:
        name = term.lstrip("-") if isinstance(term, str) else getattr(getattr(term, "expression", None), "name", None)
        if name in names:
            return queryset
    return queryset.order_by(*ordering, "pk")


def _queryset_of(object_list):
    """The queryset behind a paginator's list: the list itself, or the one under django-tables2's rows
    (BoundRows → TableQuerysetData → QuerySet, or a page's BoundRows → a sliced QuerySet); else None."""
    for _level in range(3):
        if isinstance(object_list, QuerySet):
            return object_list
        object_list = getattr(object_list, "data", None)
    return None


# The SQL of lists' first pages and COUNTs, under the keys their views give (ScopedListView.list_query_key).
LIST_QUERIES = CompiledQueries()


class KeysFirstPaginator(Paginator):
    """Reads a page of a queryset in two steps, so that page 500 costs about what page 1 does.

    PostgreSQL computes every selected column of every row an OFFSET skips: the joins for the names a
    row shows and any correlated subquery (the village list's pilot status) run 12,500 times for page
    500 of 25 rows. So the page's primary keys are selected first, with only what the ORDER BY needs
    (an index scan when it sorts by an indexed column), and then the page's rows with all their joins,
    annotations and prefetches (`pk__in`), put back in the page's order: two queries for any page
    after the first. The first page skips no row and is read as it is, in one query; when it holds the
    whole list (most lists of a district), its length is the count and no COUNT runs. Otherwise the
    COUNT is django-tables2's (one per page); lists that are not querysets are paginated as usual.

    `count_limit` (a list of hundreds of thousands of people) stops the COUNT a few pages past the page
    asked for, and at least at `count_limit` rows: counting all 50,000 people named "Siti" reads most of
    the table, counting to 1,000 reads a few hundred pages. The list then says "more than …"
    (`count_is_exact`), and its last page link is left out.
    """

    # Pages past the one asked for that the capped COUNT still reaches (its page links).
    PAGES_AHEAD = 4

    def __init__(self, *args, count_limit=None, query_key=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_limit = count_limit
        # When given (ScopedListView.list_query_key): the first page's and the COUNT's SQL are compiled
        # once per process for the key (records.CompiledQueries), not on every request.
        self.query_key = query_key
        self.count_is_exact = True
        self.wanted_page = 1

    @cached_property
    def count(self):
        queryset = _queryset_of(self.object_list)
        if not self.count_limit or queryset is None:
            if queryset is None or self.query_key is None:
                return super().count
            count = LIST_QUERIES.count((self.query_key, "count"), queryset)
            data = getattr(self.object_list, "data", None)
            if isinstance(data, TableQuerysetData):
                data._length = count  # the table's len(), which would count again
            return count
        ceiling = max(self.count_limit, (self.wanted_page + self.PAGES_AHEAD) * self.per_page)
        # No ORDER BY: which rows the LIMIT keeps does not change how many there are.
        counted = queryset.order_by()[: ceiling + 1]
        if self.query_key is None:
            count = counted.count()
        else:
            count = LIST_QUERIES.count((self.query_key, "count", ceiling), counted)
        self.count_is_exact = count <= ceiling
        # What the list can say for sure: "more than `count_floor` rows".
        self.count_floor = ceiling
        return count

    def page(self, number):
        try:
            self.wanted_page = max(1, int(number))
        except (TypeError, ValueError):
            self.wanted_page = 1
        queryset = _queryset_of(self.object_list)
        if queryset is not None and self.wanted_page == 1 and str(number).strip() == "1":
            return self._first_page(queryset)
        page = super().page(number)
        page_rows = _queryset_of(page.object_list)
        if queryset is None or page_rows is None:
            return page
        if self.query_key is None:
            keys = list(page_rows.values_list("pk", flat=True))
            # No ORDER BY: the keys give the order (an empty list of keys costs no query).
            found = queryset.order_by().in_bulk(keys)
        else:
            offset = page_rows.query.low_mark, page_rows.query.high_mark
            keys = LIST_QUERIES.rows((self.query_key, "keys", offset), page_rows.values_list("pk", flat=True))
            records = LIST_QUERIES.rows_with_keys((self.query_key, "rows"), queryset.order_by(), keys) if keys else ()
            found = {record.pk: record for record in records}
        return self._with_records(page, [found[key] for key in keys if key in found])

    def _first_page(self, queryset):
        """The first page, read as it is in one query: it skips no row, so no column is computed for
        nothing. A list shorter than a page (most lists of a district) has its length in hand: no COUNT."""
        limit = self.per_page + self.orphans + 1
        if self.query_key is None:
            rows = list(queryset[:limit])
        else:
            rows = LIST_QUERIES.rows((self.query_key, "first page", limit), queryset[:limit])
        if len(rows) <= self.per_page + self.orphans:
            self.__dict__["count"] = len(rows)  # the cached property, as if counted: one page holds them all
        else:
            rows = rows[: self.per_page]
        return self._with_records(super().page(1), rows)

    @staticmethod
    def _with_records(page, records):
        if isinstance(page.object_list, BoundRows):
            page.object_list.data = records
        else:
            page.object_list = records
        return page
