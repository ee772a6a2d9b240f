"""The one export path of the portal: every list's CSV and XLSX, and any other download of rows.

- Formula-safe: a text a spreadsheet would read as a formula (it starts with = + - @, a tab or a
  carriage return) is neutralised — in CSV with a leading apostrophe, in XLSX by writing it as a text
  cell that Excel keeps as text even when edited (`quotePrefix`). Numbers, Decimals, dates and times
  stay typed, so a column of figures can still be summed.
- Constant memory: CSV is streamed row by row from `queryset.iterator(chunk_size=…)`, with a UTF-8 BOM
  so Excel reads Indonesian names right; XLSX is written with openpyxl's write-only mode into a
  temporary file and streamed from it.
- The django-tables2 table of a list stays the source of its columns (verbose names,
  `exclude_from_export`, `value_<name>` methods), but each column's value function is resolved once
  per export: django-tables2's own export inspects the function's signature for every cell.
- Written by PostgreSQL when it can be: when every exported column of a list is a field, an annotation,
  or an SQL expression its table declares (`sql_<name>`, beside `value_<name>`), the rows are selected
  as their export values (no model instances, no Python per cell) and a CSV is PostgreSQL's own
  `COPY (SELECT …) TO STDOUT`, formula-safe and formatted in SQL as csv_cell() does. The national
  village list's CSV takes about a COPY's time instead of building 83,762 villages in Python.
"""

import csv
import datetime
import io
import itertools
import logging
import re
import tempfile
from decimal import Decimal
from html import unescape

from django.conf import settings
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.core.files import File
from django.db import connections, models, transaction
from django.db.models import Case, F, Func, Value, When
from django.db.models.functions import Cast, NullIf
from django.db.models.lookups import Exact
from django.db.models.query import QuerySet
from django.http import FileResponse, Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect
from django.tasks import task
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from psycopg import ClientCursor

from percontohan.background import Progress, TaskStatus
from percontohan.stack import with_room
from percontohan.tables import ColumnReader

logger = logging.getLogger(__name__)

CSV = "csv"
XLSX = "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000  # rows fetched per round trip (and per prefetch) while exporting a queryset
CSV_FLUSH_BYTES = 64 * 1024
BOM = "\ufeff"
# Rows end as PostgreSQL's COPY ends them, so an export reads the same whichever writes it
# (spreadsheets and Python's csv read both line ends).
CSV_LINE_END = "\n"
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


# --- Cells --------------------------------------------------------------------


def is_formula_like(text):
    """Whether a spreadsheet would run this text as a formula."""
    return isinstance(text, str) and text.startswith(FORMULA_TRIGGERS)


def formula_safe(value):
    """A cell value no spreadsheet will run: such a text gets a leading apostrophe, anything else is returned as is."""
    return "'" + value if is_formula_like(value) else value


def export_value(value):
    """The typed value of a cell: None, a bool, a number, a date or time (local, naive) — or plain text.

    HTML a table renders (a `render_<name>` without a `value_<name>`) is reduced to its text.
    """
    if value is None or isinstance(value, (bool, int, float, Decimal, datetime.date, datetime.time)):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            # Spreadsheets know no time zones: write the local time the portal shows.
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, SafeData):
        return unescape(strip_tags(value)).strip()
    return str(value)


def csv_cell(value):
    """A value as CSV text: formula-safe, numbers as digits (a dot before decimals), dates in ISO 8601."""
    value = export_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, str):
        return formula_safe(value)
    return str(value)  # a number: a leading minus is a sign here, not a formula


def _xlsx_cell(sheet, value):
    value = export_value(value)
    if not isinstance(value, str):
        return value  # openpyxl writes numbers, dates and booleans typed
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not is_formula_like(text) and text not in ERROR_CODES:
        return text  # openpyxl writes it as a text cell (in one cell object it reuses for the row)
    # Written as a text cell of its own: openpyxl would turn "=…" into a formula and "#N/A" into an error.
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True  # Excel keeps it text even when the user edits the cell
    return cell


# --- Writers ------------------------------------------------------------------


def csv_chunks(header, rows):
    """CSV text in chunks of about 64 KiB: a BOM, the header, then every row, each cell formula-safe."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator=CSV_LINE_END)
    writer.writerow([csv_cell(title) for title in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        if buffer.tell() >= CSV_FLUSH_BYTES:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(handle, header, rows):
    """Write rows as CSV to an open text file (opened with newline="")."""
    for chunk in csv_chunks(header, rows):
        handle.write(chunk)


def csv_response(header, rows, filename):
    """A streamed CSV download; `rows` (or SqlRows) is consumed lazily, in the language and time zone of
    the request."""
    chunks = sql_csv_chunks(header, rows) if isinstance(rows, SqlRows) else csv_chunks(header, rows)
    response = StreamingHttpResponse(_in_request_context(chunks), content_type=CONTENT_TYPES[CSV])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_xlsx(handle, header, rows, title=None):
    """Write rows as an XLSX workbook to an open binary file, with openpyxl's write-only mode (rows go to
    disk as they come, not to memory): a bold, frozen header row, columns sized to their titles."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    for index, text in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(str(text)) + 4, 12), 60)
    bold = Font(bold=True)
    heading = []
    for text in header:
        cell = _xlsx_cell(sheet, text)
        if isinstance(cell, Cell):
            cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(handle)


def xlsx_response(header, rows, filename, title=None):
    """An XLSX download, written into a temporary file and streamed from it."""
    # Not a `with` block: the response streams the file, then closes it, which deletes it.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(handle, header, rows, title=title)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[XLSX])


def write_export(handle, export_format, header, rows, title=None):
    """Write rows as CSV or XLSX to an open binary file."""
    if export_format == CSV and isinstance(rows, SqlRows):
        for chunk in sql_csv_chunks(header, rows):
            handle.write(chunk)
    elif export_format == CSV:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        write_csv(text, header, rows)
        text.flush()
        text.detach()  # leave `handle` open for the caller
    elif export_format == XLSX:
        write_xlsx(handle, header, rows, title=title)
    else:
        raise ValueError(f"Unknown export format {export_format!r}")


def export_response(export_format, header, rows, filename, title=None):
    """A CSV or XLSX download of `rows` under `header`."""
    if export_format == CSV:
        return csv_response(header, rows, filename)
    if export_format == XLSX:
        return xlsx_response(header, rows, filename, title=title)
    raise ValueError(f"Unknown export format {export_format!r}")


def _in_request_context(chunks):
    # A streamed body is produced after the view returns: keep the request's language and time zone.
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def generate():
        with translation.override(language), timezone.override(zone):
            yield from chunks

    return generate()


def _sheet_title(title):
    title = SHEET_TITLE_FORBIDDEN.sub("-", str(title or "")).strip("'")[:31]
    return title[:1].upper() + title[1:] if title else "Data"


# --- Rows PostgreSQL writes ---------------------------------------------------------


class FormulaSafeText(Func):
    """formula_safe() in SQL: an apostrophe before a text's leading = + - @, tab or carriage return."""

    template = r"regexp_replace(%(expressions)s, '^([=+@\t\r-])', '''\1')"
    output_field = models.TextField()


class ToChar(Func):
    function = "to_char"
    output_field = models.TextField()


class InTimeZone(Func):
    """A moment as the wall-clock time of a zone (PostgreSQL's `timezone(zone, timestamptz)`)."""

    function = "timezone"
    output_field = models.DateTimeField()


class InitCap(Func):
    """str.title() in SQL, for names of plain words ("SANGAT TERTINGGAL" → "Sangat Tertinggal")."""

    function = "initcap"
    output_field = models.TextField()


class ChoiceLabel(Func):
    """The label of each choice in SQL, in the active language, as get_FOO_display() gives it: a value
    that is no choice as itself, or (`others=False`) as no value. A simple CASE, so that the expression
    (a subquery, say) is computed once, not once for each choice."""

    output_field = models.TextField()

    def __init__(self, expression, choices, *, others=True):
        super().__init__(expression)
        self.choices = [(value, str(label)) for value, label in choices]
        self.others = others

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        whens = " ".join("WHEN %s THEN %s" for _choice in self.choices)
        labels = list(itertools.chain.from_iterable(self.choices))
        if self.others:
            return f"CASE ({sql}) {whens} ELSE ({sql})::text END", [*params, *labels, *params]
        return f"CASE ({sql}) {whens} END", [*params, *labels]


TEXT_FIELDS = (models.CharField, models.TextField)
NUMBER_FIELDS = (models.IntegerField, models.DecimalField, models.FloatField)


def csv_text_expression(expression, field):
    """An export value as the text csv_cell() makes of it, in SQL; None for a type it does not cover."""
    if isinstance(field, TEXT_FIELDS):
        # An empty text is written empty, not as "" (COPY quotes an empty string to tell it from NULL).
        return NullIf(FormulaSafeText(expression), Value(""), output_field=models.TextField())
    if isinstance(field, models.BooleanField):
        return Case(
            When(Exact(expression, True), then=Value("True")),
            When(Exact(expression, False), then=Value("False")),
            output_field=models.TextField(),
        )
    if isinstance(field, models.DateTimeField):
        local = InTimeZone(Value(timezone.get_current_timezone_name()), expression)
        return ToChar(local, Value("YYYY-MM-DD HH24:MI:SS"))
    if isinstance(field, models.DateField):
        return ToChar(expression, Value("YYYY-MM-DD"))
    if isinstance(field, NUMBER_FIELDS):
        return Cast(expression, models.TextField())
    return None


def column_expression(table, reader):
    """A column's export value as an SQL expression — its table's `sql_<name>()`, a field (a choice's
    label) or an annotation — or None when only Python computes it (a `value_<name>` or `render_<name>`
    without `sql_<name>`, a related object, a property)."""
    declared = getattr(table, f"sql_{reader.bound_column.name}", None)
    if declared is not None:
        return declared()
    if reader.function is not None or reader.many_to_many or reader.link_text:
        return None
    path = "__".join(reader.accessor.bits)
    field = reader.field
    if field is None:
        data = table.data.data
        annotated = isinstance(data, QuerySet) and path in data.query.annotations
        return F(path) if annotated else None
    if field.is_relation:
        return None  # the related object's str()
    if field.choices:
        return ChoiceLabel(F(path), field.flatchoices)
    return F(path)


class SqlRows:
    """Every row of a table's queryset as its export values, selected by PostgreSQL: typed tuples for an
    XLSX (no model instances, no Python per cell), or the CSV itself from `COPY (SELECT …) TO STDOUT`."""

    PREFIX = "export_column_"

    def __init__(self, queryset, expressions):
        self.names = [f"{self.PREFIX}{index}" for index in range(len(expressions))]
        self.queryset = queryset.annotate(**dict(zip(self.names, expressions, strict=True)))
        self.progress = None

    @classmethod
    def of(cls, table, readers):
        """The table's rows selected by PostgreSQL, or None when a column needs Python (or the table
        holds no queryset)."""
        data = table.data.data
        if not isinstance(data, QuerySet):
            return None
        expressions = [column_expression(table, reader) for reader in readers]
        if any(expression is None for expression in expressions):
            return None
        rows = cls(data, expressions)
        return rows if rows.csv_expressions() is not None else None

    def __iter__(self):
        rows = self.queryset.values_list(*self.typed_expressions()).iterator(chunk_size=CHUNK_SIZE)
        return self.progress.counted(rows) if self.progress else rows

    def _fields(self):
        annotations = self.queryset.query.annotations
        return [(F(name), annotations[name].output_field) for name in self.names]

    def typed_expressions(self):
        # An empty text is no value, as a column's empty_values make it in Python.
        return [
            NullIf(value, Value(""), output_field=field) if isinstance(field, TEXT_FIELDS) else value
            for value, field in self._fields()
        ]

    def csv_expressions(self):
        texts = [csv_text_expression(value, field) for value, field in self._fields()]
        return None if any(text is None for text in texts) else texts

    def csv_chunks(self):
        """The rows as CSV bytes (no header) in chunks of about 64 KiB, as PostgreSQL's COPY writes them."""
        query = self.queryset.values_list(*self.csv_expressions())
        connection = connections[query.db]
        try:
            sql, params = query.query.sql_with_params()
        except EmptyResultSet:
            return  # a filter no row can match (the user's scope): no query at all
        connection.ensure_connection()
        statement = ClientCursor(connection.connection).mogrify(sql, params)
        buffer = bytearray()
        # Nothing else may use the connection until the COPY ends (a progress write would wait for it
        # forever): the export's progress goes from none to done, in about a COPY's time.
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({statement}) TO STDOUT (FORMAT csv)") as copy:
            for data in copy:
                buffer += data
                if len(buffer) >= CSV_FLUSH_BYTES:
                    yield bytes(buffer)
                    buffer.clear()
        yield bytes(buffer)


def csv_header(header):
    """The first bytes of a CSV: the BOM and the header row."""
    return next(csv_chunks(header, ())).encode()


def sql_csv_chunks(header, rows):
    return itertools.chain((csv_header(header),), rows.csv_chunks())


# --- Tables -------------------------------------------------------------------


def table_readers(table, exclude_columns=()):
    """A reader for each exported column: every column, hidden ones too, but those excluded from export."""
    return [
        ColumnReader(table, bound_column)
        for bound_column in table.columns.iterall()
        if not (bound_column.column.exclude_from_export or bound_column.name in exclude_columns)
    ]


def table_records(table):
    """Every record of the table in its current order — all filtered rows, not a page — fetched in chunks."""
    data = table.data.data
    if isinstance(data, QuerySet):
        return data.iterator(chunk_size=CHUNK_SIZE)
    return iter(data)


def table_rows(table, readers):
    """Every row of the table as export values: selected by PostgreSQL when it can (SqlRows), else read
    from the records in Python."""
    rows = SqlRows.of(table, readers)
    if rows is not None:
        return rows
    return ([read(record) for read in readers] for record in table_records(table))


def counted_rows(rows, progress):
    """`rows` that write `progress` as they are consumed."""
    if isinstance(rows, SqlRows):
        rows.progress = progress
        return rows
    return progress.counted(rows)


def table_title(table):
    model = table.data.model
    return model._meta.verbose_name_plural if model is not None else None


def table_export(table, export_format, filename, exclude_columns=()):
    """A CSV or XLSX download of every row of a django-tables2 table."""
    readers = table_readers(table, exclude_columns)
    return export_response(
        export_format,
        [export_value(reader.header) for reader in readers],
        table_rows(table, readers),
        filename,
        title=table_title(table),
    )


def table_row_count(table):
    data = table.data.data
    return data.count() if isinstance(data, QuerySet) else len(data)


# --- In the background -------------------------------------------------------------


def start_background_export(request, export_format, filename, title):
    """Record an export of the list `request` shows, run it in the background once recorded, and send
    the user to its page (progress, then the download link)."""
    from percontohan.models import Export

    query = request.GET.copy()
    query.pop(ExportMixin.export_trigger_param, None)
    same = {
        "user": request.user,
        "path": request.path,
        "query": query.urlencode(),
        "export_format": export_format,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
    }
    # A second click while the same export is still waiting or running follows the first, not a copy of it.
    pending = Export.objects.filter(status__in=(TaskStatus.QUEUED, TaskStatus.RUNNING), **same).first()
    if pending is not None:
        return redirect(pending)
    export = Export.objects.create(title=str(title or filename)[:200], filename=filename, **same)
    transaction.on_commit(lambda: run_export.enqueue(export_id=export.pk))
    return redirect(export)


def run_background_export(export):
    """Rerun the export's list as its user, with its filters, and write every row to the export's file.

    The list's own view does the work (ExportMixin sees `request.background_export`), so the rows are
    exactly those the one scoping mechanism lets the user see. The export ends done or failed.
    """
    from django_htmx.middleware import HtmxDetails

    from percontohan.models import Export

    Export.stale().update(
        status=TaskStatus.FAILED, error=_("Ekspor terhenti sebelum selesai; buat ulang."), finished_at=timezone.now()
    )
    if not export.user.is_active:
        export._set(
            status=TaskStatus.FAILED, error=_("Akun pemilik ekspor ini tidak aktif."), finished_at=timezone.now()
        )
        return
    export._set(status=TaskStatus.RUNNING, processed_rows=0, heartbeat_at=timezone.now())
    query = QueryDict(export.query, mutable=True)
    query[ExportMixin.export_trigger_param] = export.export_format
    request = RequestFactory().get(export.path, query)
    request.user, request.background_export = export.user, export
    request.htmx = HtmxDetails(request)
    try:
        with translation.override(export.language):
            match = resolve(export.path)
            # Tens of thousands of rows, each a loop of calls: run with room on the stack (percontohan.stack).
            with_room(match.func, request, *match.args, **match.kwargs)
    except (Http404, PermissionDenied):
        pass  # refused: the export fails below, as when the view answers without exporting
    except Exception:
        logger.exception("Export %s failed", export.pk)
        export._set(
            status=TaskStatus.FAILED, error=_("Kesalahan tak terduga; buat ulang ekspornya atau hubungi Admin.")
        )
        raise
    if export.status != TaskStatus.DONE:
        # The view answered without exporting: the user may no longer open the list.
        export._set(
            status=TaskStatus.FAILED, error=_("Daftar ini tidak lagi dapat Anda buka."), finished_at=timezone.now()
        )


@task
def run_export(export_id: int):
    """The background task of an export too long for a request; its record shows progress and outcome."""
    from percontohan.models import Export

    run_background_export(Export.objects.select_related("user").get(pk=export_id))


def write_background_export(export, table, exclude_columns=()):
    """Write every row of `table` into `export`'s file, with progress; mark it done."""
    readers = table_readers(table, exclude_columns)
    progress = Progress(export, table_row_count(table))
    rows = counted_rows(table_rows(table, readers), progress)
    with tempfile.TemporaryFile() as handle:
        write_export(
            handle,
            export.export_format,
            [export_value(reader.header) for reader in readers],
            rows,
            title=table_title(table),
        )
        handle.seek(0)
        export.file.save(export.filename, File(handle), save=False)
    export._set(
        file=export.file.name, status=TaskStatus.DONE, processed_rows=progress.total, finished_at=timezone.now()
    )
    export.user.notifications.get_or_create(
        key=f"export:{export.pk}",
        defaults={
            "kind": "export-ready",
            "message": _("Ekspor %(name)s (%(rows)s baris) siap diunduh.")
            % {"name": export.filename, "rows": number_format(progress.total, force_grouping=True)},
            "url": export.get_absolute_url(),
        },
    )
    return HttpResponse(status=204)


# --- Views --------------------------------------------------------------------


class ExportMixin:
    """Answer `?_export=csv` or `?_export=xlsx` with every row of the view's table (its filters and sorting,
    no pagination) instead of the page. The view's table comes from `get_context_data()["table"]`.

    Up to settings.EXPORT_INLINE_MAX_ROWS rows are downloaded at once; more are written by a background
    task, and the user is sent to the export's page (progress, then the download link)."""

    export_name = "table"
    export_formats = (CSV, XLSX)
    export_trigger_param = "_export"
    exclude_columns = ()

    @cached_property
    def export_format(self):
        """The requested export format, or None for the page itself."""
        requested = self.request.GET.get(self.export_trigger_param)
        return requested if requested in self.export_formats else None

    def get_export_filename(self, export_format):
        return f"{self.export_name}.{export_format}"

    def get_table_pagination(self, table):
        # An export holds every row; a paginator would only cost a COUNT query.
        if self.export_format:
            return False
        return super().get_table_pagination(table)

    def render_to_response(self, context, **response_kwargs):
        if not self.export_format:
            # A long list's export opens its progress page instead of downloading at once.
            page = getattr(context.get("table"), "page", None)
            context["export_background"] = page is not None and page.paginator.count > settings.EXPORT_INLINE_MAX_ROWS
            return super().render_to_response(context, **response_kwargs)
        table = context["table"]
        filename = self.get_export_filename(self.export_format)
        background = getattr(self.request, "background_export", None)
        if background is not None:
            return write_background_export(background, table, exclude_columns=self.exclude_columns)
        if table_row_count(table) > settings.EXPORT_INLINE_MAX_ROWS:
            # Too long to write within a request (and gunicorn's timeout): a task writes it.
            return start_background_export(self.request, self.export_format, filename, table_title(table))
        return table_export(table, self.export_format, filename, exclude_columns=self.exclude_columns)


__all__ = [
    "CSV",
    "XLSX",
    "ChoiceLabel",
    "ColumnReader",
    "ExportMixin",
    "InitCap",
    "SqlRows",
    "csv_cell",
    "csv_response",
    "export_response",
    "export_value",
    "formula_safe",
    "is_formula_like",
    "table_export",
    "write_csv",
    "run_background_export",
    "write_export",
    "write_xlsx",
    "xlsx_response",
]
