"""Import a development index file (the ministry's IDM spreadsheets, CSV or XLSX).

Both column styles are read: the ministry's (`KODE_DESA, IKS_2024, IKE_2024,
IKL_2024, NILAI_IDM_2024, STATUS_IDM_2024`, the year in the column names) and
the lower-case one with a `tahun` column (`kode_desa,tahun,nama_desa,iks,…`).
Which columns hold the components, the value and the status comes from the
scheme's rows, not from this code.

Reading the file, the row errors, the all-or-nothing writing and the runner
are the portal's import pattern (percontohan.imports). The rules of this import:

- The year comes from a `tahun` column or from the column names. A year named
  by the user must agree with the column names; in a file with a `tahun`
  column only the rows of the year named are imported and the others are
  counted and reported — a file with no row of that year is an error.
- Scores are finite numbers with at most VALUE_PLACES decimals (what is
  stored, so the stored value and its status always agree), inside the
  scheme's range; the published status is kept beside the computed one.
- Rows whose code matches no current village, rows with no published scores
  and rows outside the uploader's working area are not errors: they are
  counted and listed. Re-importing a year updates it in place.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from percontohan.exports import write_csv
from percontohan.imports import (
    ImportFailed,
    ImportFileError,
    ImportResult,
    Progress,
    atomic_import,
    copy_insert,
    copy_update,
    read_table,
)
from regions.importer import VILLAGE_CODE, village_code
from regions.models import Village
from villages.models import IndexScore
from villages.models.index import Aggregation

CODE_COLUMNS = ("kode_desa", "kode", "kode_wilayah", "code", "kode_kemendagri")
NAME_COLUMNS = ("nama_desa", "nama", "name", "desa")
YEAR_COLUMNS = ("tahun", "year")
YEARS = range(2000, 2101)
VALUE_PLACES = IndexScore._meta.get_field("value").decimal_places
STATUS_LENGTH = IndexScore._meta.get_field("published_status").max_length
NAME_LENGTH = Village._meta.get_field("name").max_length
SCORE_FIELDS = ["value", "components", "status", "published_status", "status_disagrees", "source_import"]
SCORE_KEY = ["village", "scheme", "year"]


@dataclass
class IndexImportResult(ImportResult):
    empty_rows: list = field(default_factory=list)  # [{"row", "code", "name"}]: no published scores
    out_of_scope: list = field(default_factory=list)  # [{"row", "code", "name"}]: outside the working area
    other_year_rows: int = 0  # rows of another year than the one named
    other_years: set = field(default_factory=set)


@dataclass
class ColumnMap:
    code: int
    name: int | None
    year: int | None  # position of a tahun column
    file_year: int | None  # the year named, else the one in the column names
    components: dict  # component code → position
    value: int | None
    status: int | None


def _pick(table, names, year, label):
    """The position of the column called one of `names` (or name_YYYY) for `year`; None when absent.
    Columns of another year than the one named, or of several years when none is named, are errors."""
    found = {}
    for name in names:
        for column_year, position in table.find_with_year(name).items():
            found.setdefault(column_year, position)
    if not found:
        return None, None
    if year is not None:
        if year in found:
            return found[year], year
        if None in found:
            return found[None], None
        years = ", ".join(str(y) for y in sorted(found))
        raise ImportFileError(
            _(
                "Kolom %(label)s di berkas ini untuk tahun %(years)s (mis. %(column)s), bukan tahun %(year)s "
                "yang disebutkan. Periksa tahunnya atau berkasnya."
            )
            % {"label": label, "years": years, "year": year, "column": table.label(next(iter(found.values())))}
        )
    if len(found) > 1:
        years = ", ".join(str(y) for y in sorted(y for y in found if y))
        raise ImportFileError(
            _("Berkas memuat kolom %(label)s untuk beberapa tahun (%(years)s); sebutkan tahunnya.")
            % {"label": label, "years": years}
        )
    ((column_year, position),) = found.items()
    return position, column_year


def map_columns(table, scheme, components, year):
    """Which column holds what, from the scheme's data; a missing column is a clear error."""

    def aliases(text):
        return [a.strip().lower() for a in text.split(",") if a.strip()]

    code = table.find(*CODE_COLUMNS)
    if code is None:
        raise table.missing_column(_("kode desa"), ("KODE_DESA", "kode_desa"))
    positions, years_seen = {}, set()
    for component in components:
        position, column_year = _pick(table, [component.code.lower()], year, component.code.upper())
        if position is None:
            raise ImportFileError(_("Kolom komponen %(code)s tidak ditemukan.") % {"code": component.code.upper()})
        positions[component.code] = position
        years_seen.add(column_year)
    value, value_year = _pick(table, aliases(scheme.value_columns), year, _("nilai indeks"))
    status, status_year = _pick(table, aliases(scheme.status_columns), year, _("status"))
    years_seen |= {value_year, status_year}
    years_seen.discard(None)
    if len(years_seen) > 1:
        raise ImportFileError(
            _("Kolom berkas ini menyebut tahun yang berbeda (%(years)s); satu berkas satu tahun per kolom.")
            % {"years": ", ".join(str(y) for y in sorted(years_seen))}
        )
    year_column = table.find(*YEAR_COLUMNS)
    file_year = next(iter(years_seen), None)
    if year_column is None and file_year is None and year is None:
        raise ImportFileError(_("Tahun tidak diketahui: berkas tidak memiliki kolom tahun; sebutkan tahunnya."))
    if scheme.aggregation == Aggregation.PUBLISHED and value is None:
        raise ImportFileError(_("Kolom nilai indeks (%(cols)s) tidak ditemukan.") % {"cols": scheme.value_columns})
    return ColumnMap(
        code=code,
        name=table.find(*NAME_COLUMNS),
        year=year_column,
        file_year=year or file_year,
        components=positions,
        value=value,
        status=status,
    )


def index_import(*, data: bytes, scheme, year=None, scope_codes=None, record=None):
    """Check and import one file; returns an IndexImportResult. Raises ImportFailed, having written
    nothing, when the file or any row is bad.

    `scope_codes` (regency codes, or None for all of Indonesia) limits which villages the uploader
    may change. `record`, an IndexImport, receives the progress and the outcome (in the same
    transaction as the scores) and is named as each changed score's import.
    """
    table = read_table(data, header_names=CODE_COLUMNS)
    components = list(scheme.components.all())
    statuses = list(scheme.statuses.all())
    columns = map_columns(table, scheme, components, year)
    result = IndexImportResult(total_rows=len(table), notes=table.notes, errors=table.errors)
    progress = Progress(record, len(table))
    parsed = _check_rows(table, scheme, columns, year, result, progress)
    progress.checked()
    if year is not None and not parsed and result.other_year_rows and not result.errors:
        result.errors.add(
            _("Tidak ada baris tahun %(year)s di berkas; %(n)s baris berisi tahun %(years)s.")
            % {"year": year, "n": result.other_year_rows, "years": ", ".join(map(str, sorted(result.other_years)))}
        )
    if result.errors:
        raise ImportFailed(result.errors, result)

    current = set(Village.objects.current().values_list("code", flat=True))
    writable = []
    for line, code, name, row_year, value, values, published in parsed:
        if code not in current:
            result.unmatched.append({"row": line, "code": code, "name": name})
        elif scope_codes is not None and code[:5] not in scope_codes:
            result.out_of_scope.append({"row": line, "code": code, "name": name})
        else:
            writable.append((code, row_year, value, values, published))

    status_by_name = {s.name.strip().upper(): s.id for s in statuses}
    status_by_value = {}  # the thresholds' answer, once per distinct value
    with atomic_import(result, record, lock=f"index:{scheme.pk}"):
        existing = {
            (village, row_year): rest
            for village, row_year, *rest in IndexScore.objects.filter(
                scheme=scheme, year__in={w[1] for w in writable}
            ).values_list("village_id", "year", "value", "components", "published_status", "status_id")
        }
        new, changed = [], []
        source_import = record.pk if record is not None else None
        for code, row_year, value, values, published in writable:
            status = status_by_value.get(value)
            if status is None:
                status = status_by_value[value] = scheme.status_for(value, statuses).id
            disagrees = bool(published) and status_by_name.get(published) != status
            row = (code, scheme.pk, row_year, value, values, status, published, disagrees, source_import)
            before = existing.get((code, row_year))
            if before is None:
                new.append(row)
            elif before != [value, values, published, status]:
                changed.append(row)
        result.created = copy_insert(IndexScore, [*SCORE_KEY, *SCORE_FIELDS], new)
        result.updated = copy_update(IndexScore, SCORE_KEY, SCORE_FIELDS, changed)
        result.unchanged = len(writable) - len(new) - len(changed)
    return result


def _check_rows(table, scheme, columns, year, result, progress):
    """Check every row; returns (line, code, name, year, value, components, published status) of the good
    ones. Bad rows are recorded in the table's errors; empty rows and rows of other years in the result."""
    parsed, seen = [], {}
    lo, hi = scheme.value_min, scheme.value_max
    components = list(columns.components.items())
    quantum = Decimal(1).scaleb(-VALUE_PLACES)
    for index, row in enumerate(table.rows):
        if not index % 1000:
            progress(index)
        code = village_code(row.text(columns.code))
        name = row.text(columns.name, max_length=NAME_LENGTH)
        if not VILLAGE_CODE.fullmatch(code):
            row.error(_("kode desa %(code)r tidak sah (contoh: 63.04.03.2001)") % {"code": code}, columns.code)
            continue
        row_year = columns.file_year
        if columns.year is not None:
            row_year = row.integer(columns.year)
            if row_year not in YEARS:
                if row.ok:
                    row.error(_("tahun %(year)r tidak sah") % {"year": row.raw(columns.year)}, columns.year)
                continue
            if year is not None and row_year != year:
                result.other_year_rows += 1  # another year of a multi-year file: counted and reported
                result.other_years.add(row_year)
                continue
        values = {c: row.decimal(p, places=VALUE_PLACES) for c, p in components}
        value = row.decimal(columns.value, places=VALUE_PLACES)
        published = row.text(columns.status, max_length=STATUS_LENGTH).upper()
        if not row.ok:
            continue
        if value is None and all(v is None for v in values.values()):
            result.empty_rows.append({"row": row.number, "code": code, "name": name})
            continue
        for position, number in [*((p, values[c]) for c, p in components), (columns.value, value)]:
            if number is None:
                if position != columns.value:
                    row.error(_("nilai kosong"), position)
            elif not lo <= number <= hi:
                row.error(
                    _("nilai %(value)s di luar rentang %(lo)s–%(hi)s")
                    % {"value": number, "lo": f"{lo.normalize():f}", "hi": f"{hi.normalize():f}"},
                    position,
                )
        if scheme.aggregation == Aggregation.MEAN and values and row.ok and value is None:
            value = (sum(values.values()) / len(values)).quantize(quantum)
        if not row.ok:
            continue
        if value is None:
            row.error(_("nilai indeks kosong"), columns.value)
            continue
        key = (code, row_year)
        if key in seen:
            row.error(
                _("kode %(code)s tahun %(year)s sudah ada di baris %(first)s")
                % {"code": code, "year": row_year, "first": seen[key]},
                columns.code,
            )
            continue
        seen[key] = row.number
        stored = {c: str(v) for c, v in values.items()}
        parsed.append((row.number, code, name, row_year, value, stored, published))
    return parsed


def index_import_file(record, *, scope_codes=None):
    """Import the file stored on an IndexImport (an upload); the background task's body."""
    if not record.file:
        raise ImportFileError(_("Berkas unggahan tidak ada lagi; unggah ulang berkasnya."))
    try:
        with record.file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise ImportFileError(_("Berkas unggahan tidak ada lagi; unggah ulang berkasnya.")) from None
    return index_import(data=data, scheme=record.scheme, year=record.year, scope_codes=scope_codes, record=record)


UNMATCHED_HEADER = ("baris", "kode_desa", "nama_desa")


def unmatched_rows(unmatched):
    """The rows whose code matches no village, as (row number, code, name) — written through percontohan.exports,
    which keeps a spreadsheet from running a code or name from the uploaded file as a formula."""
    return ((row["row"], row["code"], row["name"]) for row in unmatched)


def write_unmatched_csv(handle, unmatched):
    """Write the rows whose code matches no village to an open file as CSV (baris, kode_desa, nama_desa)."""
    write_csv(handle, UNMATCHED_HEADER, unmatched_rows(unmatched))
