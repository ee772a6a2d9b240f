"""The one import pattern of the portal. Every file import — regions, index scores, village locations,
and the participant and intervention imports to come — is built from these pieces, and each importer
keeps only its own rules (which columns, which codes, what a row means).

- Reading: `read_table()` turns CSV or XLSX bytes (or a path) into a `Table`: the encoding (UTF-8,
  UTF-8 with BOM, else Windows-1252, reported), the delimiter (comma, semicolon or tab) and the header
  row are detected, the XLSX sheet is named; a folder, an empty, truncated, binary or mislabelled file
  is refused as a whole with a clear message (`ImportFileError`).
- Cells: `Row.text()` and `Row.decimal()` refuse NUL and other control characters, line breaks (a stray
  quote), NaN and infinity, too many decimals and values longer than the model field, each with its row
  and column; invisible characters are dropped (`percontohan.text.clean_text`).
- Errors: `ImportErrors` counts every bad row and keeps the first `MAX_LISTED_ERRORS` to list;
  `ImportFailed` carries them out of an importer. An importer checks the whole file first and raises
  `ImportFailed` before it writes anything.
- All-or-nothing: the writes happen inside `atomic_import()`, which also stores the outcome on the
  import record in the same transaction; `copy_insert()` / `copy_update()` write many rows through a
  temporary table loaded with COPY and one INSERT … SELECT / UPDATE … FROM, so history triggers still
  fire row by row and see the import's pghistory context (rows whose insertion no trigger records are
  copied straight into their table).
- Records and the runner: `ImportRecord` is the abstract import record (status, progress, errors, a
  heartbeat); `import_run()` runs an importer for a record and always leaves it done or failed with the
  message; `ImportRecord.fail_stale()` fails the records of a worker that died mid-import.
- Command line: `command_errors()` turns a failure into a `CommandError` (exit status 1) naming the
  file, the rows and the problems; `report_notes()` prints how the file was read.
"""

import csv
import functools
import io
import logging
import re
import uuid
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pghistory
from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from percontohan.background import Progress as Progress  # re-exported: importers know it from here
from percontohan.background import TaskRecord, TaskStatus
from percontohan.stack import with_room
from percontohan.text import clean_text, has_forbidden_characters

logger = logging.getLogger(__name__)

MAX_LISTED_ERRORS = 100  # bad rows listed on an import's page; all of them are counted
COMMAND_LISTED_ERRORS = 20  # and on the command line
HEADER_SEARCH_ROWS = 10  # a header row is looked for among a file's first rows (title rows above it)
DELIMITERS = {",": gettext_lazy("koma"), ";": gettext_lazy("titik koma"), "\t": gettext_lazy("tab")}
DEFAULT_ENCODINGS = ("utf-8-sig", "cp1252")
# Files people upload by mistake, recognised by their first bytes for a clearer message than "not UTF-8".
NOT_A_TABLE = (
    (b"\xd0\xcf\x11\xe0", gettext_lazy("berkas Excel lama (XLS, Excel 97–2003)")),
    (b"%PDF", gettext_lazy("dokumen PDF")),
    (b"\x89PNG", gettext_lazy("gambar PNG")),
    (b"\xff\xd8\xff", gettext_lazy("gambar JPEG")),
    (b"GIF8", gettext_lazy("gambar GIF")),
    (b"\x1f\x8b", gettext_lazy("berkas terkompresi (gzip)")),
    (b"Rar!", gettext_lazy("arsip RAR")),
    (b"7z\xbc\xaf", gettext_lazy("arsip 7-Zip")),
    (b"\xff\xfe", gettext_lazy("teks UTF-16 (Unicode)")),
    (b"\xfe\xff", gettext_lazy("teks UTF-16 (Unicode)")),
)
CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])  # tab, line feed, form feed and carriage return aside
SAVE_AS = gettext_lazy("Simpan ulang sebagai CSV UTF-8 atau XLSX.")
# A UTF-8 sequence of two or more bytes: its presence beside an invalid byte means a file of mixed encodings.
UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
HEADER_YEAR_SUFFIX = re.compile(r"_(\d{4})$")


# --- Errors ---------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem of a file: where (file, row, column — each when known) and what."""

    message: str
    row: int | None = None
    column: str | None = None
    file: str | None = None
    unit: str | None = None  # what the row number counts, when not lines ("fitur" of a GeoJSON file)

    def __str__(self):
        where = [str(self.file)] if self.file else []
        if self.row:
            where.append(f"{self.unit} {self.row}" if self.unit else _("baris %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("kolom %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else str(self.message)

    def as_dict(self):
        """The error as an import record stores it (a JSON list shown on the import's page)."""
        stored = {"row": self.row, "column": self.column, "message": str(self.message)}
        return {**stored, "file": str(self.file)} if self.file else stored


class ImportErrors:
    """Every bad row of a file: all are counted, the first `limit` are kept to be listed."""

    def __init__(self, limit=MAX_LISTED_ERRORS):
        self.limit = limit
        self.listed = []
        self.total = 0  # errors, several per row possible
        self._rows = set()  # (file, row) of the bad rows
        self._whole_file = 0  # errors about a file as a whole

    def add(self, message, *, row=None, column=None, file=None, unit=None):
        self.total += 1
        if row is None:
            self._whole_file += 1
        else:
            self._rows.add((file, row))
        if len(self.listed) < self.limit:
            self.listed.append(RowError(str(message), row, column, str(file) if file else None, unit))

    @property
    def count(self):
        """Bad rows (a row with several problems counts once), plus problems of a file as a whole."""
        return len(self._rows) + self._whole_file

    def __bool__(self):
        return self.total > 0

    def __iter__(self):
        return iter(self.listed)

    def as_list(self):
        return [error.as_dict() for error in self.listed]

    @classmethod
    def single(cls, message, **where):
        errors = cls()
        errors.add(message, **where)
        return errors


class ImportFailed(Exception):
    """Nothing was changed: the file, or some of its rows, cannot be imported (`errors` says why)."""

    def __init__(self, errors, result=None):
        self.errors = errors
        self.result = result
        super().__init__(self.summary())

    def summary(self):
        if self.errors.total == 1 and self.errors.listed:
            return _("%(problem)s — tidak ada yang diubah.") % {"problem": self.errors.listed[0]}
        unit = next((error.unit for error in self.errors.listed if error.unit), None) or _("baris")
        return _("%(count)s %(unit)s bermasalah; tidak ada yang diubah.") % {"count": self.errors.count, "unit": unit}

    def lines(self, limit=COMMAND_LISTED_ERRORS):
        """The summary and the first `limit` errors, one a line."""
        lines = [self.summary()]
        if self.errors.total == 1:
            return lines
        listed = self.errors.listed[:limit]
        lines += [f"  {error}" for error in listed]
        if self.errors.total > len(listed):
            lines.append("  " + _("… dan %(n)s kesalahan lain") % {"n": self.errors.total - len(listed)})
        return lines


class ImportFileError(ImportFailed):
    """The file as a whole cannot be imported (not a table, its encoding, a missing column…)."""

    def __init__(self, message, *, row=None, column=None, file=None):
        super().__init__(ImportErrors.single(message, row=row, column=column, file=file))

    @property
    def message(self):
        return self.errors.listed[0].message


# --- Result -----------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did (or, when it failed, what it found)."""

    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unmatched: list = field(default_factory=list)  # [{"row", "code", "name"}]: keys that match nothing, listed
    notes: list = field(default_factory=list)  # how the file was read: encoding, delimiter, header row, sheet
    errors: ImportErrors = field(default_factory=ImportErrors)

    @property
    def ok(self):
        return not self.errors

    @property
    def changed(self):
        return bool(self.created or self.updated)

    def error(self, row, message, column=None):
        """Record a bad row (the row numbers of a GeoJSON file are its feature numbers)."""
        self.errors.add(message, row=row, column=column)


# --- Reading ----------------------------------------------------------------------


def normalise_header(name):
    """A column name as the importers match it: lower case, spaces and hyphens as underscores."""
    name = clean_text(str(name)).strip().lower()
    return re.sub(r"[\s\-]+", "_", name)


class Row:
    """A data row of a table: its line number and its cells (text, stripped). Reading a cell through
    `text()` or `decimal()` checks it; a bad cell is recorded with the row and column, and `ok` turns False."""

    __slots__ = ("number", "cells", "table", "ok")

    def __init__(self, number, cells, table):
        self.number, self.cells, self.table, self.ok = number, cells, table, True

    def raw(self, position):
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position]

    def error(self, message, position=None):
        self.ok = False
        column = self.table.label(position) if position is not None else None
        self.table.errors.add(message, row=self.number, column=column, file=self.table.file)

    def text(self, position, *, max_length=None, multiline=False):
        """The cell's text, checked: control characters (NUL…) and — unless `multiline` — line breaks are
        refused, invisible characters dropped, a text longer than `max_length` refused. "" when refused."""
        value = self.raw(position)
        if not (value.isascii() and value.isprintable()):  # the common case needs no cleaning
            value = self._cleaned(value, position, multiline)
        if max_length is not None and len(value) > max_length:
            self.error(
                _("teks terlalu panjang (%(length)s karakter; paling banyak %(max)s)")
                % {"length": len(value), "max": max_length},
                position,
            )
            return ""
        return value

    def _cleaned(self, value, position, multiline):
        if has_forbidden_characters(value):
            character = next(c for c in value if has_forbidden_characters(c))
            self.error(
                _("berisi karakter kendali U+%(code)04X yang tidak boleh ada dalam data") % {"code": ord(character)},
                position,
            )
            return ""
        if not multiline and ("\n" in value or "\r" in value):
            self.error(_("berisi baris baru (tanda kutip yang tidak berpasangan?)"), position)
            return ""
        return clean_text(value).strip()

    def decimal(self, position, *, places=None):
        """The cell as a Decimal (a decimal comma is accepted), None when empty. Text that is not a finite
        number (NaN, inf, "tujuh") or has more than `places` decimals is refused (None)."""
        text = self.raw(position)
        if _plain_decimal(places).fullmatch(text):  # the common case, checked by one regular expression
            return Decimal(text)
        text = self.text(position)
        if not text:
            return None
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.error(_("%(value)r bukan angka") % {"value": self.raw(position)}, position)
            return None
        # Trailing zeros aside ("0.70000" is 0.7): the check costs a normalize() only for long texts.
        if (
            places is not None
            and value.as_tuple().exponent < -places
            and value.normalize().as_tuple().exponent < -places
        ):
            message = _("%(value)s memiliki lebih dari %(places)s angka di belakang koma")
            self.error(message % {"value": text, "places": places}, position)
            return None
        return value

    def integer(self, position):
        """The cell as an int, None when empty; anything else is refused (None)."""
        text = self.text(position)
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            self.error(_("%(value)r bukan bilangan bulat") % {"value": self.raw(position)}, position)
            return None
        return int(text)


@functools.cache
def _plain_decimal(places):
    """A number written plainly (digits, a point, at most `places` decimals): nothing more to check."""
    decimals = "*" if places is None else f"{{0,{places}}}"
    return re.compile(rf"-?[0-9]{{1,15}}(?:\.[0-9]{decimals})?")


class Table:
    """The rows of a CSV or XLSX file below its header row (blank rows left out), and how it was read."""

    def __init__(self, *, file, header, header_row, rows, notes, complete=True):
        self.file = file  # the name errors carry (None when the caller names the file itself)
        self.header = [clean_text(str(name)).strip() for name in header]
        self.columns = [normalise_header(name) for name in self.header]
        self.header_row = header_row
        self.rows = [Row(number, cells, self) for number, cells in rows]
        self.notes = notes
        self.complete = complete  # False: a CSV whose last line has no line break (cut short?)
        self.errors = ImportErrors()  # read_table() may give it a list shared with other files

    def __len__(self):
        return len(self.rows)

    def find(self, *names):
        """The position of the first column called one of `names` (normalised), or None."""
        for name in names:
            if name in self.columns:
                return self.columns.index(name)
        return None

    def find_with_year(self, name):
        """Columns called `name` or `name_YYYY`: {year or None: position}."""
        found = {}
        for position, column in enumerate(self.columns):
            if column == name:
                found[None] = position
            elif (match := HEADER_YEAR_SUFFIX.search(column)) and column == f"{name}_{match.group(1)}":
                found[int(match.group(1))] = position
        return found

    def label(self, position):
        return self.header[position] if position is not None and position < len(self.header) else None

    def missing_column(self, label, names):
        """The error for a required column that is not there."""
        return ImportFileError(
            _("Kolom %(label)s tidak ditemukan (mis. %(names)s).") % {"label": label, "names": ", ".join(names)},
            row=self.header_row,
            file=self.file,
        )


def read_bytes(path):
    """The content of a file named on the command line; a folder, a missing or unreadable file is refused."""
    path = Path(path)
    if path.is_dir():
        raise ImportFileError(_("%(path)s adalah folder, bukan berkas.") % {"path": path})
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(_("Berkas tidak ditemukan: %(path)s") % {"path": path}) from None
    except OSError as error:
        raise ImportFileError(
            _("Berkas %(path)s tidak dapat dibaca: %(error)s") % {"path": path, "error": error.strerror}
        ) from None


def read_table(source, *, file=None, header_names=None, encodings=DEFAULT_ENCODINGS, errors=None):
    """Read a CSV or XLSX file (bytes, or a path) into a Table, recognising the format by content.

    `header_names`: normalised column names (or their `_YYYY` forms) of which one marks the header row
    among the first rows; without them the first non-blank row is the header. `file` is the name errors
    carry (None when the caller reports the file itself). `encodings`: those a CSV may be in, tried in order.
    Bad cells are recorded in `errors` (an ImportErrors shared by several files), else in the table's own.
    """
    data = read_bytes(source) if isinstance(source, (str, Path)) else source
    if not data.strip():
        raise ImportFileError(_("Berkas kosong."), file=file)
    if data[:4] == b"PK\x03\x04":
        if data[30:38] == b"mimetype" and b"opendocument" in data[38:120]:
            raise ImportFileError(
                _("Berkas ini OpenDocument (ODS), bukan CSV atau XLSX. %(hint)s") % {"hint": SAVE_AS}, file=file
            )
        table = _read_xlsx(data, file, header_names)
    else:
        table = _read_csv(data, file, header_names, encodings)
    if errors is not None:
        table.errors = errors
    if not table.rows:
        raise ImportFileError(_("Berkas tidak berisi baris data."), file=file)
    return table


def _refuse_non_table(data, file):
    for signature, kind in NOT_A_TABLE:
        if data.startswith(signature):
            raise ImportFileError(
                _("Berkas ini %(kind)s, bukan CSV atau XLSX. %(hint)s") % {"kind": kind, "hint": SAVE_AS}, file=file
            )
    sample = data[:4096]
    if sum(sample.count(bytes([byte])) for byte in CONTROL_BYTES) > len(sample) * 0.05:
        # Many control bytes: not text. (A stray NUL in a text file is reported at its row and column.)
        raise ImportFileError(
            _("Berkas ini berkas biner, bukan CSV atau XLSX. %(hint)s") % {"hint": SAVE_AS}, file=file
        )


def _decode(data, file, encodings, notes):
    try:
        return data.decode(encodings[0])
    except UnicodeDecodeError as error:
        first_error = error
    row = data[: first_error.start].count(b"\n") + 1
    mixed = UTF8_MULTIBYTE.search(data) is not None
    for encoding in encodings[1:]:
        if mixed:
            break  # UTF-8 beside invalid bytes: read as another encoding its UTF-8 names would be garbled
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        notes.append(
            _("Berkas dibaca sebagai %(encoding)s, bukan UTF-8: periksa huruf beraksen pada hasilnya.")
            % {"encoding": "Windows-1252" if encoding == "cp1252" else encoding}
        )
        return text
    if len(encodings) == 1:
        problem = _("bukan teks UTF-8 (byte tidak sah pada posisi %(pos)s)") % {"pos": first_error.start}
    elif mixed:
        problem = _("berkas mencampur UTF-8 dengan encoding lain (byte tidak sah). %(hint)s") % {"hint": SAVE_AS}
    else:
        problem = _("berkas bukan CSV UTF-8 atau XLSX (byte tidak sah). %(hint)s") % {"hint": SAVE_AS}
    raise ImportFileError(problem, row=row, file=file)


def _sniff_delimiter(text):
    """The most frequent of comma, semicolon and tab over the first lines (comma on a tie)."""
    sample = text[:20000].split("\n", 20)[:20]
    counts = {delimiter: sum(line.count(delimiter) for line in sample) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: (counts[delimiter], delimiter == ","))
    return best if counts[best] else ","


def _read_csv(data, file, header_names, encodings):
    _refuse_non_table(data, file)
    notes = []
    text = _decode(data, file, encodings, notes)
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        # A web page saved under a .csv name (e.g. an error page downloaded instead of the data).
        raise ImportFileError(
            _("Berkas ini halaman web (HTML/XML), bukan CSV atau XLSX. Unduh ulang datanya sebagai CSV atau XLSX."),
            file=file,
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = _sniff_delimiter(text)
    if delimiter != ",":
        notes.append(_("Pemisah kolom: %(name)s.") % {"name": DELIMITERS[delimiter]})
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, list(map(str.strip, cells))))
    except csv.Error:
        raise ImportFileError(
            _('tanda kutip (") tidak berpasangan atau berkas terpotong; periksa baris ini dan sesudahnya'),
            row=len(rows) + 1,
            file=file,
        ) from None
    return _table(rows, file, header_names, notes, complete=text.endswith(("\n", "\r")))


def _xlsx_text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        # Codes and years typed as numbers; other numbers as their shortest exact text.
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data, file, header_names):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken or cut-short file
        raise ImportFileError(
            _("Berkas XLSX tidak dapat dibaca (rusak atau terpotong?): %(error)s") % {"error": error}, file=file
        ) from None
    try:
        sheets = workbook.worksheets
        for sheet in sheets:
            rows = [
                (number, [_xlsx_text(value) for value in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
            try:
                table = _table(rows, file, header_names, [])
            except ImportFileError:
                if sheet is sheets[-1] or header_names is None:
                    raise
                continue  # the header is not on this sheet: try the next one
            others = [s.title for s in sheets if s is not sheet]
            note = _("Lembar yang dibaca: %(sheet)s.") % {"sheet": repr(sheet.title)}
            if others:
                note += " " + _("Lembar lain diabaikan: %(sheets)s.") % {"sheets": ", ".join(map(repr, others))}
            table.notes.append(note)
            return table
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(
            _("Berkas XLSX tidak dapat dibaca (rusak atau terpotong?): %(error)s") % {"error": error}, file=file
        ) from None
    finally:
        workbook.close()
    raise ImportFileError(_("Berkas XLSX tidak berisi lembar."), file=file)


def _table(rows, file, header_names, notes, complete=True):
    rows = [(number, cells) for number, cells in rows if any(cells)]
    if not rows:
        raise ImportFileError(_("Berkas kosong."), file=file)
    position = 0
    if header_names:
        wanted = set(header_names)

        def is_header(cells):
            for cell in cells:
                name = normalise_header(cell)
                if name in wanted or HEADER_YEAR_SUFFIX.sub("", name) in wanted:
                    return True
            return False

        position = next((i for i, (_n, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]) if is_header(cells)), None)
        if position is None:
            raise ImportFileError(
                _("Baris judul kolom tidak ditemukan: tidak ada kolom %(names)s di %(n)s baris pertama.")
                % {"names": ", ".join(header_names), "n": HEADER_SEARCH_ROWS},
                file=file,
            )
    header_row, header = rows[position]
    if header_row > 1:
        notes.append(_("Baris judul kolom: baris %(row)s.") % {"row": header_row})
    body = rows[position + 1 :]
    return Table(file=file, header=header, header_row=header_row, rows=body, notes=notes, complete=complete)


# --- Writing ----------------------------------------------------------------------


def _columns(model, fields):
    return [model._meta.get_field(name).column for name in fields]


def _copy_rows(model, fields, rows):
    """`rows` as COPY writes them: the values of JSON fields wrapped as JSON."""
    from psycopg.types.json import Jsonb

    json_positions = [i for i, name in enumerate(fields) if isinstance(model._meta.get_field(name), models.JSONField)]
    if not json_positions:
        yield from rows
        return
    for row in rows:
        row = list(row)
        for i in json_positions:
            row[i] = None if row[i] is None else Jsonb(row[i])
        yield row


@contextmanager
def _temporary_copy(cursor, model, fields, rows):
    """A temporary table of `fields` of `model`, typed as the model's table, loaded with COPY."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in _columns(model, fields))
    temp = f"import_{uuid.uuid4().hex[:16]}"
    cursor.execute(
        f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS "  # noqa: S608 — names come from the model
        f"SELECT {columns} FROM {quote(model._meta.db_table)} WITH NO DATA"
    )
    try:
        with cursor.cursor.copy(f"COPY {temp} ({columns}) FROM STDIN") as copy:
            for row in _copy_rows(model, fields, rows):
                copy.write_row(row)
        yield temp
    finally:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")


def _require_transaction():
    if not connection.in_atomic_block:
        raise RuntimeError("copy_insert/copy_update write inside atomic_import() only")


def _records_inserts(model):
    """Whether a trigger (a history event) fires when a row of `model` is inserted."""
    import pgtrigger

    return any(
        registered is model and "INSERT" in str(trigger.operation).upper()
        for registered, trigger in pgtrigger.registered()
    )


# Rows written by one COPY above which the table's planner statistics are refreshed at once (ANALYZE, inside
# the import's transaction, so they commit with the rows): 83,762 villages written into an empty table
# left PostgreSQL planning for the empty one until autovacuum came by — the pilot village list took
# 71 ms instead of 0.1 ms in the meantime.
ANALYZE_AFTER_ROWS = 1000


def _analyze_if_many(cursor, table, count):
    if count >= ANALYZE_AFTER_ROWS:
        cursor.execute(f"ANALYZE {table}")


def copy_insert(model, fields, rows):
    """INSERT `rows` (tuples in the order of `fields`) into `model`'s table with COPY. When inserts are
    recorded (a history trigger), through a temporary table and one INSERT … SELECT, so that the events
    see the import's history context (COPY itself does not carry it)."""
    rows = list(rows)
    if not rows:
        return 0
    _require_transaction()
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(column) for column in _columns(model, fields))
    with connection.cursor() as cursor:
        if not _records_inserts(model):
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in _copy_rows(model, fields, rows):
                    copy.write_row(row)
        else:
            with _temporary_copy(cursor, model, fields, rows) as temp:
                cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {temp}")  # noqa: S608
        _analyze_if_many(cursor, table, len(rows))
    return len(rows)


def copy_update(model, key, fields, rows):
    """UPDATE the rows of `model` whose `key` fields match: `rows` are tuples of the key's values then
    the new values of `fields`. COPY into a temporary table, then one UPDATE … FROM, so update
    triggers (history) fire once per row and see the import's history context."""
    rows = list(rows)
    if not rows:
        return 0
    _require_transaction()
    quote = connection.ops.quote_name
    key_columns, set_columns = _columns(model, key), _columns(model, fields)
    assignments = ", ".join(f"{quote(c)} = source.{quote(c)}" for c in set_columns)
    match = " AND ".join(f"target.{quote(c)} = source.{quote(c)}" for c in key_columns)
    with connection.cursor() as cursor, _temporary_copy(cursor, model, [*key, *fields], rows) as temp:
        cursor.execute(f"ANALYZE {temp}")
        # A trigram (GIN) index would otherwise be updated entry by entry: its new entries wait in the
        # index's pending list (searched meanwhile) and are merged in bulk, for this transaction only.
        cursor.execute("SET LOCAL gin_pending_list_limit = '64MB'")
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} AS target SET {assignments} "  # noqa: S608
            f"FROM {temp} AS source WHERE {match}"
        )
        updated = cursor.rowcount
        _analyze_if_many(cursor, quote(model._meta.db_table), updated)
        return updated


# --- All-or-nothing, records and the runner ---------------------------------------


@contextmanager
def atomic_import(result, record=None, *, lock=None):
    """The write phase of an import: everything written inside, and the record's outcome, are committed
    together — or, on any exception, nothing is. Errors found while writing (in `result.errors`, or an
    `ImportFailed` raised inside) roll everything back. Imports with the same `lock` name (e.g. of the
    same index scheme) wait for each other, so what one reads before writing is not changed meanwhile."""
    with transaction.atomic():
        if lock is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"percontohan.import:{lock}"])
        yield
        if result.errors:
            raise ImportFailed(result.errors, result)
        if record is not None:
            record.finish(result)


# The statuses of every piece of background work (re-exported: the import pages know them from here).
ImportStatus = TaskStatus


class ImportRecord(TaskRecord):
    """What every import record holds: its status, its progress while it runs, its errors when it fails
    (the first MAX_LISTED_ERRORS listed, all counted), how the file was read, and a heartbeat by which
    an import whose worker died is recognised. A concrete record adds what its import did (`apply_result`)."""

    errors = models.JSONField(gettext_lazy("kesalahan"), default=list)
    error_count = models.PositiveIntegerField(gettext_lazy("jumlah baris bermasalah"), default=0)
    notes = models.JSONField(gettext_lazy("catatan pembacaan berkas"), default=list)

    class Meta:
        abstract = True

    @property
    def bad_rows(self):
        """Bad rows counted (a record written before the count was kept: those listed)."""
        return max(self.error_count, len(self.errors))

    def start(self):
        self._set(status=ImportStatus.RUNNING, processed_rows=0, errors=[], error_count=0, heartbeat_at=timezone.now())

    def apply_result(self, result):
        """Copy what the import did onto the record's own fields (a concrete record extends this)."""

    def finish(self, result):
        """Mark the record done with `result` (called inside the import's transaction)."""
        self.apply_result(result)
        self.status = ImportStatus.DONE
        self.total_rows = self.processed_rows = result.total_rows
        self.errors, self.error_count, self.notes = [], 0, [str(note) for note in result.notes]
        self.finished_at = self.heartbeat_at = timezone.now()
        self.save()

    def fail(self, errors, notes=()):
        """Mark the record failed with its errors; nothing it would have written is there."""
        self._set(
            status=ImportStatus.FAILED,
            errors=errors.as_list(),
            error_count=errors.count,
            notes=[str(note) for note in notes],
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )

    @classmethod
    def fail_stale(cls, now=None):
        """Fail the running imports whose worker has given no sign of life for STALE_AFTER (it was
        stopped or killed: its transaction was rolled back, so nothing of it was written)."""
        now = now or timezone.now()
        message = _(
            "Impor terhenti sebelum selesai (proses latar belakang berhenti); tidak ada yang diubah. "
            "Unggah ulang berkasnya."
        )
        return cls.stale(now).update(
            status=ImportStatus.FAILED,
            errors=[RowError(message).as_dict()],
            error_count=1,
            finished_at=now,
        )


def import_run(record, work, *, history=None):
    """Run `work()` — an importer call that writes through `atomic_import(result, record)` — for
    `record`, which always ends done or failed: an `ImportFailed` marks it failed with its errors and
    is raised again; any other exception marks it failed with a short message, is logged and raised
    again. `history` is the pghistory context of every change (who, which import). Records of the same
    kind left running by a dead worker or process are failed first."""
    type(record).fail_stale()
    record.start()
    # Inside a transaction already (tests, a caller's atomic block) the work gets a savepoint, so that
    # marking the record failed still works after a database error.
    isolated = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with pghistory.context(**history) if history else nullcontext(), isolated:
            # Every row a loop of calls: run with room on the stack (percontohan.stack).
            return with_room(work)
    except ImportFailed as failure:
        record.fail(failure.errors, failure.result.notes if failure.result is not None else ())
        raise
    except Exception as error:
        logger.exception("Import %s %s failed", type(record).__name__, record.pk)
        record.fail(
            ImportErrors.single(
                _("Kesalahan tak terduga (%(kind)s); tidak ada yang diubah. Hubungi Admin.")
                % {"kind": type(error).__name__}
            )
        )
        raise


# --- Command line ---------------------------------------------------------------------


@contextmanager
def command_errors(source):
    """For a management command: an import's failure becomes a CommandError (exit status 1) naming
    `source`, the bad rows and their problems; an unexpected error too, with its cause (shown in full
    with --traceback)."""
    try:
        yield
    except ImportFailed as failure:
        raise CommandError(f"{source}: " + "\n".join(failure.lines())) from None
    except CommandError:
        raise
    except Exception as error:
        raise CommandError(
            f"{source}: "
            + _("Kesalahan tak terduga (%(kind)s: %(error)s); tidak ada yang diubah.")
            % {"kind": type(error).__name__, "error": error}
        ) from error


def report_notes(command, result):
    """Print how the file was read (encoding, delimiter, header row, sheet), when worth saying."""
    for note in result.notes:
        command.stdout.write(str(note))
