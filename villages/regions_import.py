"""Import the Indonesian regions from an idn-area-data release.

The release is a folder with provinces.csv, regencies.csv, districts.csv and
villages.csv. Every file is read and checked before anything is written; one
bad row stops the import with the file, row and problem, and nothing changes.
Then, in one transaction, new codes are added, changed names (or parents) are
updated, codes missing from the release are marked retired (never deleted),
and retired codes that reappear are restored.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villages.models import District, Province, Regency, RegionImport, Village

DEFAULT_SOURCE = Path(__file__).resolve().parent / "data" / "idn-area-data"


@dataclass(frozen=True)
class Level:
    filename: str
    model: type
    parent_column: str | None
    parent_field: str | None
    code_pattern: re.Pattern

    @property
    def columns(self):
        return ("code", self.parent_column, "name") if self.parent_column else ("code", "name")


LEVELS = (
    Level("provinces.csv", Province, None, None, re.compile(r"\d{2}")),
    Level("regencies.csv", Regency, "province_code", "province_id", re.compile(r"\d{2}\.\d{2}")),
    Level("districts.csv", District, "regency_code", "regency_id", re.compile(r"\d{2}\.\d{2}\.\d{2}")),
    Level("villages.csv", Village, "district_code", "district_id", re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")),
)


class RegionFileError(Exception):
    """A release file that cannot be imported; the message names the file, row and problem."""

    def __init__(self, path, row, problem):
        self.path, self.row, self.problem = path, row, problem
        where = _("%(file)s, baris %(row)s") % {"file": path, "row": row} if row else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass
class ImportSummary:
    created: dict = field(default_factory=dict)
    renamed: dict = field(default_factory=dict)
    retired: dict = field(default_factory=dict)
    restored: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)

    @property
    def changed(self):
        return any(sum(d.values()) for d in (self.created, self.renamed, self.retired, self.restored))


def _decode(path, raw):
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = raw[: error.start].count(b"\n") + 1
        raise RegionFileError(
            path, row, _("bukan teks UTF-8 (byte tidak sah pada posisi %(pos)s)") % {"pos": error.start}
        ) from None


def read_level(path, level, parent_codes):
    """Read and check one release file; returns {code: (name, parent_code)}."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise RegionFileError(path, None, _("berkas tidak ditemukan")) from None
    text = _decode(path, raw)
    if not text.strip():
        raise RegionFileError(path, None, _("berkas kosong"))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in level.columns if column not in header]
    if missing:
        raise RegionFileError(path, 1, _("kolom tidak ada: %(cols)s") % {"cols": ", ".join(missing)})
    rows = {}
    for number, record in enumerate(reader, start=2):
        record = {(k or "").strip(): (v or "").strip() for k, v in record.items() if k is not None}
        code, name = record.get("code", ""), record.get("name", "")
        if not level.code_pattern.fullmatch(code):
            raise RegionFileError(path, number, _("kode %(code)r tidak sah") % {"code": code})
        if not name:
            raise RegionFileError(path, number, _("nama kosong untuk kode %(code)s") % {"code": code})
        if code in rows:
            raise RegionFileError(path, number, _("kode %(code)s muncul dua kali") % {"code": code})
        parent = None
        if level.parent_column:
            parent = record.get(level.parent_column, "")
            if not code.startswith(parent + ".") or parent.count(".") != code.count(".") - 1:
                raise RegionFileError(
                    path,
                    number,
                    _("kode %(code)s tidak berada di bawah induk %(parent)r") % {"code": code, "parent": parent},
                )
            if parent not in parent_codes:
                raise RegionFileError(
                    path, number, _("induk %(parent)s tidak ada di berkas tingkat di atasnya") % {"parent": parent}
                )
        rows[code] = (name, parent)
    if not rows:
        raise RegionFileError(path, None, _("berkas tidak berisi baris data"))
    return rows


def read_release(folder):
    """Read and check the four files of a release (nothing is written)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RegionFileError(folder, None, _("bukan folder rilis idn-area-data"))
    release, parent_codes = {}, set()
    for level in LEVELS:
        rows = read_level(folder / level.filename, level, parent_codes)
        release[level] = rows
        parent_codes = rows.keys()
    return release


def release_checksum(folder):
    digest = hashlib.sha256()
    for level in LEVELS:
        digest.update((Path(folder) / level.filename).read_bytes())
    return digest.hexdigest()


@transaction.atomic
def regions_import(folder=DEFAULT_SOURCE, *, today=None):
    """Bring the region tables in line with a release; returns what changed."""
    release = read_release(folder)
    today = today or timezone.localdate()
    summary = ImportSummary()
    for level, rows in release.items():
        model, parent_field, key = level.model, level.parent_field, level.model._meta.model_name
        values = ["code", "name", "retired_on", *([parent_field] if parent_field else [])]
        existing = {row[0]: row for row in model.objects.values_list(*values)}
        to_create, to_update, restored = [], [], 0
        for code, (name, parent) in rows.items():
            current = existing.get(code)
            fields = {"code": code, "name": name, **({parent_field: parent} if parent_field else {})}
            if current is None:
                to_create.append(model(**fields))
                continue
            _code, old_name, retired_on, *old_parent = current
            if old_name != name or (parent_field and old_parent[0] != parent) or retired_on is not None:
                restored += retired_on is not None
                to_update.append(model(**fields, retired_on=None))
        model.objects.bulk_create(to_create, batch_size=5000)
        update_fields = ["name", "retired_on", *([parent_field] if parent_field else [])]
        model.objects.bulk_update(to_update, update_fields, batch_size=2000)
        dropped = [code for code, row in existing.items() if code not in rows and row[2] is None]
        for start in range(0, len(dropped), 5000):
            model.objects.filter(code__in=dropped[start : start + 5000]).update(retired_on=today)
        summary.created[key] = len(to_create)
        summary.renamed[key] = len(to_update) - restored
        summary.restored[key] = restored
        summary.retired[key] = len(dropped)
        summary.unchanged[key] = len(rows) - len(to_create) - len(to_update)
    if summary.changed:
        RegionImport.objects.create(
            source=str(folder),
            checksum=release_checksum(folder),
            created=summary.created,
            renamed=summary.renamed,
            retired=summary.retired,
            restored=summary.restored,
        )
    return summary
