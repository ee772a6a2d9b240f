"""Import a development index file (the ministry's IDM spreadsheets, CSV or XLSX).

Both column styles are read: the ministry's (`KODE_DESA, IKS_2024, IKE_2024,
IKL_2024, NILAI_IDM_2024, STATUS_IDM_2024`, the year in the column names) and
the lower-case one with a `tahun` column (`kode_desa,tahun,nama_desa,iks,…`).
Which columns hold the components, the value and the status comes from the
scheme's rows, not from this code.

The whole file is checked first; any row error fails the import and nothing
is written (all-or-nothing). Rows whose code matches no current village, rows
with no published scores and rows outside the uploader's working area are not
errors: they are counted and listed. Re-importing a year updates it in place.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from villages.models import IndexImport, IndexScore, Village
from villages.models.index import Aggregation, ImportStatus
from villages.tasks import run_index_import

CODE_COLUMNS = ("kode_desa", "kode", "kode_wilayah", "code", "kode_kemendagri")
NAME_COLUMNS = ("nama_desa", "nama", "name", "desa")
YEAR_COLUMNS = ("tahun", "year")
DOTTED_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
MAX_LISTED_ERRORS = 500
PROGRESS_EVERY = 2500
# Files people upload by mistake, recognised by their first bytes for a clearer message than "not UTF-8".
NOT_A_TABLE = (
    (b"\xd0\xcf\x11\xe0", gettext_lazy("berkas Excel lama (XLS, Excel 97–2003)")),
    (b"%PDF", gettext_lazy("dokumen PDF")),
    (b"\x89PNG", gettext_lazy("gambar PNG")),
    (b"\xff\xd8\xff", gettext_lazy("gambar JPEG")),
    (b"GIF8", gettext_lazy("gambar GIF")),
)


class IndexFileError(Exception):
    """The file as a whole cannot be read (format, encoding, columns)."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    total_rows: int = 0
    errors: list = field(default_factory=list)  # [{"row": n, "message": "…"}]
    unmatched: list = field(default_factory=list)  # [{"row": n, "code": "…", "name": "…"}]
    empty_rows: list = field(default_factory=list)
    out_of_scope: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # codes and years typed as numbers in a spreadsheet
    return str(value).strip()


def read_table(data: bytes):
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX file, recognised by content."""
    if not data.strip():
        raise IndexFileError(_("Berkas kosong."))
    if data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise IndexFileError(_("Berkas XLSX tidak dapat dibaca: %(error)s") % {"error": error}) from None
        sheet = workbook.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    for signature, kind in NOT_A_TABLE:
        if data.startswith(signature):
            raise IndexFileError(
                _("Berkas ini %(kind)s, bukan CSV atau XLSX. Simpan ulang sebagai CSV UTF-8 atau XLSX.")
                % {"kind": kind}
            )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise IndexFileError(
            _(
                "Baris %(row)s: berkas bukan CSV UTF-8 atau XLSX (byte tidak sah). "
                "Simpan ulang sebagai CSV UTF-8 atau XLSX."
            )
            % {"row": line}
        ) from None
    if "\x00" in text[:4096]:
        raise IndexFileError(
            _("Berkas ini berkas biner, bukan CSV atau XLSX. Simpan ulang sebagai CSV UTF-8 atau XLSX.")
        )
    if text.lstrip().startswith("<"):
        # A web page saved under a .csv name (e.g. an error page downloaded instead of the data).
        raise IndexFileError(
            _("Berkas ini halaman web (HTML/XML), bukan CSV atau XLSX. Unduh ulang datanya sebagai CSV atau XLSX.")
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _find(header, names, year=None):
    """Column positions whose name is one of `names`, optionally with a _YEAR suffix → {year or None: position}."""
    found = {}
    for position, raw in enumerate(header):
        name = raw.strip().lower().replace(" ", "_")
        for candidate in names:
            if name == candidate:
                found[None] = position
            elif match := re.fullmatch(re.escape(candidate) + r"_(\d{4})", name):
                found[int(match.group(1))] = position
    if year is not None and year in found:
        return {year: found[year]}
    return found


@dataclass
class ColumnMap:
    code: int
    name: int | None
    year: int | None  # position of a tahun column
    file_year: int | None  # year taken from the column names
    components: dict  # component code → position
    value: int | None
    status: int | None


def map_columns(header, scheme, components, year):
    """Which column holds what, from the scheme's data; a missing column is a clear error."""
    aliases = lambda text: [a.strip().lower() for a in text.split(",") if a.strip()]  # noqa: E731
    code = _find(header, CODE_COLUMNS)
    if not code:
        raise IndexFileError(_("Kolom kode desa tidak ditemukan (mis. KODE_DESA atau kode_desa)."))
    year_column = _find(header, YEAR_COLUMNS).get(None)
    positions, years_seen = {}, set()
    for component in components:
        found = _find(header, [component.code.lower()], year)
        if not found:
            raise IndexFileError(_("Kolom komponen %(code)s tidak ditemukan.") % {"code": component.code.upper()})
        if len(found) > 1:
            raise IndexFileError(
                _("Berkas memuat kolom %(code)s untuk beberapa tahun (%(years)s); sebutkan tahunnya.")
                % {"code": component.code.upper(), "years": ", ".join(str(y) for y in sorted(k for k in found if k))}
            )
        ((column_year, position),) = found.items()
        positions[component.code] = position
        years_seen.add(column_year)
    value = _find(header, aliases(scheme.value_columns), year)
    status = _find(header, aliases(scheme.status_columns), year)
    file_year = next((y for y in years_seen if y), None)
    if year_column is None and file_year is None and year is None:
        raise IndexFileError(_("Tahun tidak diketahui: berkas tidak memiliki kolom tahun; sebutkan tahunnya."))
    if scheme.aggregation == Aggregation.PUBLISHED and not value:
        raise IndexFileError(_("Kolom nilai indeks (%(cols)s) tidak ditemukan.") % {"cols": scheme.value_columns})
    return ColumnMap(
        code=next(iter(code.values())),
        name=_find(header, NAME_COLUMNS).get(None),
        year=year_column,
        file_year=year or file_year,
        components=positions,
        value=next(iter(value.values()), None) if value else None,
        status=next(iter(status.values()), None) if status else None,
    )


def _number(text):
    return Decimal(text.replace(",", ".")) if text else None


def _normalise_code(text):
    text = text.strip().replace(" ", "")
    if text.isdigit() and len(text) == 10:
        return f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
    return text


def index_import(*, data: bytes, scheme, year=None, scope_codes=None, record=None, source_import=None):
    """Check and import one file. Returns an ImportResult; writes nothing when it has errors.

    `scope_codes` (regency codes, or None for all of Indonesia) limits which villages
    the uploader may change. `record`, an IndexImport, receives progress as rows are read.
    """
    result = ImportResult()
    rows = read_table(data)
    if len(rows) < 2:
        raise IndexFileError(_("Berkas tidak berisi baris data."))
    header, body = rows[0], rows[1:]
    components = list(scheme.components.all())
    statuses = list(scheme.statuses.all())
    status_by_name = {s.name.strip().upper(): s for s in statuses}
    columns = map_columns(header, scheme, components, year)
    result.total_rows = len(body)
    if record is not None:
        IndexImport.objects.filter(pk=record.pk).update(total_rows=len(body), status=ImportStatus.RUNNING)

    parsed, seen = [], {}
    lo, hi = scheme.value_min, scheme.value_max

    def error(line, message):
        if len(result.errors) < MAX_LISTED_ERRORS:
            result.errors.append({"row": line, "message": message})
        else:
            result.errors[-1:] = [{"row": None, "message": _("… dan kesalahan lain (daftar dipotong).")}]

    for index, row in enumerate(body):
        line = index + 2
        if record is not None and index and index % PROGRESS_EVERY == 0:
            IndexImport.objects.filter(pk=record.pk).update(processed_rows=index)
        if not any(row):
            continue

        def cell(position, row=row):
            return row[position].strip() if position is not None and position < len(row) else ""

        code = _normalise_code(cell(columns.code))
        name = cell(columns.name)
        if not DOTTED_CODE.fullmatch(code):
            error(line, _("kode desa %(code)r tidak sah (contoh: 63.04.03.2001)") % {"code": code})
            continue
        row_year = columns.file_year
        if columns.year is not None:
            try:
                file_row_year = int(cell(columns.year))
            except ValueError:
                error(line, _("tahun %(year)r tidak sah") % {"year": cell(columns.year)})
                continue
            if year is not None and file_row_year != year:
                continue  # another year of a multi-year file
            row_year = file_row_year
        raw_values = {c: cell(p) for c, p in columns.components.items()}
        raw_value = cell(columns.value)
        if not any(raw_values.values()) and not raw_value:
            result.empty_rows.append({"row": line, "code": code, "name": name})
            continue
        try:
            values = {c: _number(v) for c, v in raw_values.items()}
            value = _number(raw_value)
        except InvalidOperation:
            error(
                line,
                _("nilai bukan angka: %(values)s")
                % {"values": ", ".join(filter(None, [*raw_values.values(), raw_value]))},
            )
            continue
        missing = [c.upper() for c, v in values.items() if v is None]
        if missing:
            error(line, _("nilai %(cols)s kosong") % {"cols": ", ".join(missing)})
            continue
        out_of_range = [c.upper() for c, v in {**values, "nilai": value}.items() if v is not None and not lo <= v <= hi]
        if out_of_range:
            error(
                line,
                _("nilai %(cols)s di luar rentang %(lo)s–%(hi)s")
                % {"cols": ", ".join(out_of_range), "lo": f"{lo:g}", "hi": f"{hi:g}"},
            )
            continue
        if scheme.aggregation == Aggregation.MEAN and values:
            computed = (sum(values.values()) / len(values)).quantize(Decimal("0.0001"))
            value = value if value is not None else computed
        if value is None:
            error(line, _("nilai indeks kosong"))
            continue
        key = (code, row_year)
        if key in seen:
            error(
                line,
                _("kode %(code)s tahun %(year)s sudah ada di baris %(first)s")
                % {"code": code, "year": row_year, "first": seen[key]},
            )
            continue
        seen[key] = line
        published = cell(columns.status).upper()
        parsed.append((line, code, name, row_year, value, {c: str(v) for c, v in values.items()}, published))

    if record is not None:
        IndexImport.objects.filter(pk=record.pk).update(processed_rows=len(body))
    if result.errors:
        return result

    current = set(Village.objects.current().values_list("code", flat=True))
    writable = []
    for line, code, name, row_year, value, values, published in parsed:
        if code not in current:
            result.unmatched.append({"row": line, "code": code, "name": name})
        elif scope_codes is not None and code[:5] not in scope_codes:
            result.out_of_scope.append({"row": line, "code": code, "name": name})
        else:
            writable.append((code, row_year, value, values, published))

    with transaction.atomic():
        years = {w[1] for w in writable}
        existing = {
            (v, y): (val, comp, pub)
            for v, y, val, comp, pub in IndexScore.objects.filter(scheme=scheme, year__in=years).values_list(
                "village_id", "year", "value", "components", "published_status"
            )
        }
        to_write = []
        for code, row_year, value, values, published in writable:
            status = scheme.status_for(value, statuses)
            published_status = status_by_name.get(published)
            disagrees = bool(published) and (published_status is None or published_status.pk != status.pk)
            before = existing.get((code, row_year))
            if before is None:
                result.created += 1
            elif before == (value, values, published):
                result.unchanged += 1
                continue
            else:
                result.updated += 1
            to_write.append(
                IndexScore(
                    village_id=code,
                    scheme=scheme,
                    year=row_year,
                    value=value,
                    components=values,
                    status=status,
                    published_status=published,
                    status_disagrees=disagrees,
                    source_import=source_import,
                )
            )
        IndexScore.objects.bulk_create(
            to_write,
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["village", "scheme", "year"],
            update_fields=["value", "components", "status", "published_status", "status_disagrees", "source_import"],
        )
    return result


def index_import_start(*, scheme, year, upload, user):
    """Store an uploaded file as an IndexImport started by `user` and run it in the background
    once the upload is committed. BLM staff may only change villages in their working area."""
    record = IndexImport(scheme=scheme, year=year, original_name=upload.name[:255], started_by=user)
    record.file.save(upload.name, upload)
    scope_codes = None if user.sees_everything else sorted(user.scope_regency_codes)
    transaction.on_commit(lambda: run_index_import.enqueue(import_id=record.pk, scope_codes=scope_codes))
    return record


def index_import_run(record, *, scope_codes=None):
    """Run an uploaded IndexImport (the background task's body) and store its outcome."""
    record.status = ImportStatus.RUNNING
    record.save(update_fields=["status"])
    try:
        with record.file.open("rb") as handle:
            data = handle.read()
        result = index_import(
            data=data,
            scheme=record.scheme,
            year=record.year,
            scope_codes=scope_codes,
            record=record,
            source_import=record,
        )
    except IndexFileError as error:
        result = ImportResult(errors=[{"row": None, "message": str(error)}])
    except Exception:
        # Whatever went wrong, the page must not show "in progress" for ever.
        result = ImportResult(errors=[{"row": None, "message": _("Kesalahan tak terduga; hubungi Admin.")}])
        index_import_store(record, result)
        raise
    index_import_store(record, result)
    return result


def index_import_store(record, result):
    """Record an import's outcome on its IndexImport: done or failed, counts and listed rows."""
    # Progress was written with queryset updates; read it back so save() does not overwrite it.
    record.refresh_from_db(fields=["total_rows", "processed_rows"])
    record.total_rows = max(record.total_rows, result.total_rows)
    record.status = ImportStatus.DONE if result.ok else ImportStatus.FAILED
    record.created_count, record.updated_count, record.unchanged_count = (
        result.created,
        result.updated,
        result.unchanged,
    )
    record.errors, record.unmatched = result.errors, result.unmatched
    record.empty_rows, record.out_of_scope = result.empty_rows, result.out_of_scope
    record.finished_at = timezone.now()
    record.save()


def write_unmatched_csv(handle, unmatched):
    """Write the rows whose code matches no village as CSV (baris, kode_desa, nama_desa)."""
    writer = csv.writer(handle)
    writer.writerow(["baris", "kode_desa", "nama_desa"])
    for row in unmatched:
        writer.writerow([row["row"], _csv_safe(row["code"]), _csv_safe(row["name"])])


def _csv_safe(text):
    # The file came from outside: keep a spreadsheet from reading a cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
