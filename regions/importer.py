"""Import the Indonesian regions from an idn-area-data release.

The release is a folder with provinces.csv, regencies.csv, districts.csv and villages.csv (UTF-8).
Every file is read and checked before anything is written; every bad row is counted, the first are
listed with file, row and problem, and nothing changes. A release that would retire more than
RETIRE_PERCENT of a level's current regions, or drop a whole regency, is taken for a cut-short or wrong
file and stops as well, unless the retirements are confirmed (`--confirm-retire`). Then, in one
transaction, new codes are added, changed names (or parents) are updated, codes missing from the
release are marked retired (never deleted), and retired codes that reappear are restored. Every run,
a failed one too, is recorded as a RegionImport.

The file reading, the all-or-nothing transaction and the COPY-based writing are the portal's import
pattern (percontohan.imports); this module keeps only the rules of a region release.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from percontohan.imports import (
    ImportFailed,
    ImportFileError,
    ImportResult,
    Progress,
    atomic_import,
    copy_insert,
    copy_update,
    import_run,
    read_table,
)
from regions.models import REGENCY_CODE, District, Province, Regency, RegionImport, Village

DEFAULT_SOURCE = Path(__file__).resolve().parent / "data" / "idn-area-data"
RETIRE_PERCENT = 1  # retiring more than this share of a level's current regions needs confirming
ACTIONS = ("created", "renamed", "retired", "restored", "unchanged")


@dataclass(frozen=True)
class Level:
    filename: str
    model: type
    parent_column: str | None  # in the file
    parent_field: str | None  # on the model
    code_pattern: re.Pattern

    @property
    def columns(self):
        return ("code", self.parent_column, "name") if self.parent_column else ("code", "name")

    @property
    def key(self):
        return self.model._meta.model_name


LEVELS = (
    Level("provinces.csv", Province, None, None, re.compile(r"\d{2}")),
    Level("regencies.csv", Regency, "province_code", "province", REGENCY_CODE),
    Level("districts.csv", District, "regency_code", "regency", re.compile(r"\d{2}\.\d{2}\.\d{2}")),
    Level("villages.csv", Village, "district_code", "district", re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")),
)
VILLAGE_CODE = LEVELS[-1].code_pattern


def village_code(text):
    """A village code as issued (63.04.03.2001) from the ways files write it: dotted, or as ten digits."""
    text = text.strip().replace(" ", "")
    if len(text) == 10 and text.isdigit():
        return f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
    return text


@dataclass
class RegionImportResult(ImportResult):
    """What a region import did, level by level: by_action[action][level key] = count."""

    checksum: str = ""
    by_action: dict = field(default_factory=lambda: {action: {} for action in ACTIONS})

    @property
    def changed(self):
        return any(sum(self.by_action[action].values()) for action in ("created", "renamed", "retired", "restored"))


@dataclass
class LevelPlan:
    """What a release changes at one level, worked out before anything is written."""

    to_create: list = field(default_factory=list)  # (code, name[, parent])
    to_update: list = field(default_factory=list)  # (code, name[, parent], None): renamed, moved or restored
    restored: int = 0
    dropped: list = field(default_factory=list)  # current codes the release no longer has
    current: int = 0  # current regions at this level before the import
    current_per_regency: Counter = field(default_factory=Counter)
    names: dict = field(default_factory=dict)  # code → name of every existing region


def read_level(path, level, parent_codes, errors):
    """Read and check one release file; returns {code: (name, parent_code)} of its rows. Bad rows are
    recorded in `errors`; the codes of the rows are returned even then, so that the level below is not
    flooded with errors about missing parents."""
    table = read_table(path, file=path, encodings=("utf-8-sig",), errors=errors)
    missing = [column for column in level.columns if column not in table.columns]
    if missing:
        raise ImportFileError(_("kolom tidak ada: %(cols)s") % {"cols": ", ".join(missing)}, row=1, file=path)
    if not table.complete:
        # A release file ends with a line break; without it the last row was probably cut short.
        errors.add(
            _("baris terakhir tidak diakhiri baris baru: berkas terpotong?"), row=table.rows[-1].number, file=path
        )
    code_at, name_at = table.find("code"), table.find("name")
    parent_at = table.find(level.parent_column) if level.parent_column else None
    max_name = level.model._meta.get_field("name").max_length
    rows, first_line = {}, {}
    for row in table.rows:
        # A code or parent that matches its pattern holds nothing else: only the name needs cleaning.
        code, name = row.raw(code_at), row.text(name_at, max_length=max_name)
        if not level.code_pattern.fullmatch(code):
            row.error(_("kode %(code)r tidak sah") % {"code": code}, code_at)
            continue
        if code in first_line:
            row.error(
                _("kode %(code)s muncul dua kali (pertama di baris %(first)s)")
                % {"code": code, "first": first_line[code]},
                code_at,
            )
            continue
        first_line[code] = row.number
        if not name and row.ok:
            row.error(_("nama kosong untuk kode %(code)s") % {"code": code}, name_at)
        parent = None
        if level.parent_column:
            parent = row.raw(parent_at)
            if not code.startswith(parent + ".") or parent.count(".") != code.count(".") - 1:
                row.error(
                    _("kode %(code)s tidak berada di bawah induk %(parent)r") % {"code": code, "parent": parent},
                    parent_at,
                )
            elif parent not in parent_codes:
                row.error(_("induk %(parent)s tidak ada di berkas tingkat di atasnya") % {"parent": parent}, parent_at)
        rows[code] = (name, parent)
    return rows


def read_release(folder):
    """Read and check the four files of a release (nothing is written); raises ImportFailed with every
    bad row of every file."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ImportFileError(_("bukan folder rilis idn-area-data"), file=folder)
    result = RegionImportResult()
    release, parent_codes = {}, set()
    for level in LEVELS:
        rows = read_level(folder / level.filename, level, parent_codes, result.errors)
        release[level] = rows
        parent_codes = rows.keys()
    if result.errors:
        raise ImportFailed(result.errors, result)
    return release


def release_checksum(folder):
    digest = hashlib.sha256()
    for level in LEVELS:
        digest.update((Path(folder) / level.filename).read_bytes())
    return digest.hexdigest()


def regions_import(folder=DEFAULT_SOURCE, *, today=None, confirm_retire=False):
    """Bring the region tables in line with a release; returns a RegionImportResult. The run is recorded
    as a RegionImport, done or failed; on failure (ImportFailed) nothing else changes.
    `confirm_retire` lets a release retire more than RETIRE_PERCENT of a level or a whole regency."""
    record = RegionImport.objects.create(source=str(folder)[-500:])
    return import_run(
        record,
        lambda: _import(Path(folder), record, today or timezone.localdate(), confirm_retire),
        history={"region_import": record.pk},
    )


def _import(folder, record, today, confirm_retire):
    release = read_release(folder)
    result = RegionImportResult(total_rows=sum(len(rows) for rows in release.values()))
    Progress(record, result.total_rows).checked()
    result.checksum = release_checksum(folder)
    with atomic_import(result, record, lock="regions"):
        plans = {level: _plan(level, rows) for level, rows in release.items()}
        if not confirm_retire:
            _check_retirements(folder, plans, result.errors)
        if result.errors:
            raise ImportFailed(result.errors, result)
        for level, plan in plans.items():
            parent = [level.parent_field] if level.parent_field else []
            copy_insert(level.model, ["code", "name", *parent], plan.to_create)
            copy_update(level.model, ["code"], ["name", *parent, "retired_on"], plan.to_update)
            copy_update(level.model, ["code"], ["retired_on"], [(code, today) for code in plan.dropped])
            counts = {
                "created": len(plan.to_create),
                "renamed": len(plan.to_update) - plan.restored,
                "retired": len(plan.dropped),
                "restored": plan.restored,
                "unchanged": len(release[level]) - len(plan.to_create) - len(plan.to_update),
            }
            for action, count in counts.items():
                result.by_action[action][level.key] = count
        result.created = sum(result.by_action["created"].values())
        result.updated = sum(sum(result.by_action[action].values()) for action in ("renamed", "retired", "restored"))
        result.unchanged = sum(result.by_action["unchanged"].values())
    return result


def _plan(level, rows):
    parent = [f"{level.parent_field}_id"] if level.parent_field else []
    plan = LevelPlan()
    for code, name, retired_on, *old_parent in level.model.objects.values_list("code", "name", "retired_on", *parent):
        plan.names[code] = name
        if retired_on is None:
            plan.current += 1
            plan.current_per_regency[code[:5]] += 1
        new = rows.get(code)
        if new is None:
            if retired_on is None:
                plan.dropped.append(code)
            continue
        new_name, new_parent = new
        if name != new_name or (parent and old_parent[0] != new_parent) or retired_on is not None:
            plan.restored += retired_on is not None
            plan.to_update.append((code, new_name, *([new_parent] if parent else []), None))
    plan.to_create = [
        (code, name, *([parent_code] if parent else []))
        for code, (name, parent_code) in rows.items()
        if code not in plan.names
    ]
    return plan


def _check_retirements(folder, plans, errors):
    """A cut-short or wrong release retires many regions at once: stop and say how many, unless confirmed."""
    hint = _("Berkas terpotong atau salah? Bila rilis ini memang benar, jalankan ulang dengan --confirm-retire.")
    for level, plan in plans.items():
        dropped = len(plan.dropped)
        if dropped and dropped * 100 > plan.current * RETIRE_PERCENT:
            errors.add(
                _(
                    "%(n)s dari %(current)s %(level)s yang berlaku tidak ada di rilis ini dan akan ditandai "
                    "tidak berlaku (%(share).1f %%; batasnya %(limit)s %%). %(hint)s"
                )
                % {
                    "n": dropped,
                    "current": plan.current,
                    "level": level.model._meta.verbose_name_plural,
                    "share": 100 * dropped / plan.current,
                    "limit": RETIRE_PERCENT,
                    "hint": hint,
                },
                file=folder / level.filename,
            )
    regencies, villages = plans[LEVELS[1]], plans[LEVELS[3]]
    dropped_villages = Counter(code[:5] for code in villages.dropped)
    emptied = sorted(
        {code for code, count in dropped_villages.items() if count == villages.current_per_regency[code]}
        | set(regencies.dropped)
    )
    if emptied:
        examples = ", ".join(f"{code} {regencies.names.get(code, '')}".strip() for code in emptied[:5])
        errors.add(
            _(
                "%(n)s kabupaten/kota hilang seluruhnya dari rilis ini (%(examples)s%(more)s): semua desanya akan "
                "ditandai tidak berlaku. %(hint)s"
            )
            % {"n": len(emptied), "examples": examples, "more": " …" if len(emptied) > 5 else "", "hint": hint},
            file=folder / LEVELS[3].filename,
        )
