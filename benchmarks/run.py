"""Benchmarks for the speed targets issues name (`make bench`, or `python -m benchmarks.run`).

Everything runs in a scratch database ("percontohan_bench") created on the
project's PostgreSQL server — the one DATABASE_URL names, else the embedded
one — migrated from scratch and dropped at the end, so the real database is
never touched. The benchmarks in BENCHMARKS run in order against it; each
returns its measurements with their targets, a table is printed, and the exit
status is 1 when a target is missed.

Adding a benchmark: write `def bench_something(workdir) -> list[Result]` and
append it to BENCHMARKS. Later benchmarks find the regions already imported.
"""

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from percontohan import embedded_db

BASE_DIR = Path(__file__).resolve().parent.parent
SCRATCH_DB = "percontohan_bench"


@dataclass
class Result:
    name: str
    seconds: float
    rows: int
    target: float | None = None  # seconds; None when only measured

    @property
    def met(self):
        return self.target is None or self.seconds <= self.target


# --- the benchmarks ----------------------------------------------------------


def _import_regions(path=None):
    """Run `manage.py import_regions` in this process; returns (seconds, output)."""
    from django.core.management import call_command

    out = io.StringIO()
    started = time.perf_counter()
    call_command("import_regions", *([str(path)] if path else []), stdout=out)
    return time.perf_counter() - started, out.getvalue()


def _release_with_renamed_villages(folder, count):
    """A copy of the vendored release in which `count` village names are spelled differently."""
    from regions.importer import DEFAULT_SOURCE

    shutil.copytree(DEFAULT_SOURCE, folder)
    path = folder / "villages.csv"
    with path.open(encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    step, renamed = len(rows) // count, 0
    for row in rows[1::step]:
        if renamed < count and row[2] != row[2].upper():
            row[2] = row[2].upper()
            renamed += 1
    with path.open("w", encoding="utf-8", newline="") as target:
        csv.writer(target).writerows(rows)
    return folder


def _copy_seconds(tables):
    """Seconds PostgreSQL takes to COPY the rows an import writes into tables like its targets (their
    indexes included) — the floor an import's speed is measured against. `tables`: (CREATE TEMPORARY
    TABLE statement, COPY statement, the data as bytes). Timed twice (mean), in a transaction rolled back."""
    from django.db import connection, transaction

    timings = []
    for _run in range(2):
        with transaction.atomic(), connection.cursor() as cursor:
            started = time.perf_counter()
            for create, copy_sql, data in tables:
                cursor.execute(create)
                with cursor.cursor.copy(copy_sql) as copy:
                    copy.write(data)
            timings.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return sum(timings) / len(timings)


def _region_copy_seconds():
    """COPY of the four release files into tables LIKE the region tables (their indexes included)."""
    from regions.importer import DEFAULT_SOURCE, LEVELS

    tables = []
    for level in LEVELS:
        table = level.model._meta.db_table
        columns = ", ".join(["code", *([f"{level.parent_field}_id"] if level.parent_field else []), "name"])
        tables.append(
            (
                f"CREATE TEMPORARY TABLE bench_{table} (LIKE {table} INCLUDING ALL) ON COMMIT DROP",
                f"COPY bench_{table} ({columns}) FROM STDIN (FORMAT csv, HEADER true)",
                (DEFAULT_SOURCE / level.filename).read_bytes(),
            )
        )
    return _copy_seconds(tables)


def bench_region_import(workdir):
    """import_regions: the full release into empty tables (targets: 30 s, and 10× a COPY of the same
    rows), re-runs (10 s), and a full change of edition renaming ~83,000 villages (15 s)."""
    from regions.models import LEVELS, RegionImport

    total = sum(model.objects.count() for model in LEVELS)
    if total:
        raise RuntimeError(f"the scratch database already holds {total} regions")

    copy = _region_copy_seconds()
    full, _output = _import_regions()
    total = sum(model.objects.count() for model in LEVELS)
    if total != 91_599:
        raise RuntimeError(f"the full import loaded {total} regions, not 91,599")

    unchanged, output = _import_regions()
    if "Tidak ada perubahan" not in output:
        raise RuntimeError(f"the re-run changed something: {output}")

    release = _release_with_renamed_villages(workdir / "rilis-100-nama", 100)
    renamed, _output = _import_regions(release)
    record = RegionImport.objects.latest("started_at")
    if record.renamed.get("village") != 100:
        raise RuntimeError(f"expected 100 renamed villages, the import recorded {record.renamed}")

    # A new edition: every village name spelled differently (those of the 100 above already are).
    release = _release_with_renamed_villages(workdir / "rilis-edisi-baru", 83_762)
    edition, _output = _import_regions(release)
    record = RegionImport.objects.latest("started_at")
    changed = record.renamed.get("village", 0)
    if changed < 80_000:
        raise RuntimeError(f"expected ~83,000 renamed villages, the import recorded {record.renamed}")

    return [
        Result("COPY of the release files (baseline)", copy, total),
        Result("import_regions: full release, empty tables", full, total, target=30),
        Result(f"import_regions: first import = {full / copy:.1f}× COPY (≤ 10×)", full, total, target=10 * copy),
        Result("import_regions: re-run, no changes", unchanged, total, target=10),
        Result("import_regions: re-run, 100 names changed", renamed, total, target=10),
        Result(f"import_regions: new edition, {changed:,} renamed", edition, changed, target=15),
    ]


BENCHMARKS = [bench_region_import]


# --- the scratch database ----------------------------------------------------


def _with_database(url, name):
    # Built by hand: urlunsplit drops the "//" of a URL with no host (postgres:///db?host=/socket).
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else "")


@contextmanager
def scratch_database():
    """Create, migrate and finally drop a scratch database on the project's server; yields its URL."""
    server = os.environ.get("DATABASE_URL") or embedded_db.database_url()
    # libpq reads the same URLs as django-environ (postgres://…, ?host=/socket/dir).
    maintenance = _with_database(server, "postgres")
    scratch = _with_database(server, SCRATCH_DB)

    def execute(sql):
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(sql)

    execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')
    execute(f'CREATE DATABASE "{SCRATCH_DB}"')
    try:
        print(f"Migrating the scratch database {SCRATCH_DB} …", flush=True)
        subprocess.run(  # noqa: S603 — this interpreter, this project's manage.py
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=BASE_DIR,
            env={**os.environ, "DATABASE_URL": scratch},
            check=True,
        )
        yield scratch
    finally:
        from django.db import connections

        connections.close_all()
        execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')


def _setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "percontohan.settings")
    import django
    from django.conf import settings

    django.setup()
    # `make bench` sets DEBUG for the development settings; production does not
    # log every SQL statement, so neither does the measurement.
    settings.DEBUG = False


# --- report ------------------------------------------------------------------


def report(results):
    header = f"{'benchmark':<56} {'seconds':>8} {'rows':>8} {'rows/s':>9}  {'target':>9}  result"
    lines = [header, "-" * len(header)]
    for result in results:
        target = f"≤ {result.target:.3g} s" if result.target is not None else "—"
        verdict = "ok" if result.met else "TOO SLOW"
        lines.append(
            f"{result.name:<56} {result.seconds:>8.2f} {result.rows:>8,} {result.rows / result.seconds:>9,.0f}"
            f"  {target:>9}  {verdict}"
        )
    return "\n".join(lines)


def main():
    results = []
    with scratch_database() as url, tempfile.TemporaryDirectory(prefix="percontohan-bench-") as workdir:
        _setup_django(url)
        for benchmark in BENCHMARKS:
            print(f"Running {benchmark.__name__} …", flush=True)
            results.extend(benchmark(Path(workdir)))
    print()
    print(report(results))
    missed = [result.name for result in results if not result.met]
    if missed:
        print(f"\nTarget missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


# --- development index import (issue 3) -------------------------------------


def _import_index(path):
    """Run `manage.py import_index PATH --scheme idm` in this process; returns (seconds, output)."""
    from django.core.management import call_command

    out = io.StringIO()
    started = time.perf_counter()
    call_command("import_index", str(path), "--scheme", "idm", stdout=out)
    return time.perf_counter() - started, out.getvalue()


def _with_changed_values(source, target, count):
    """A copy of an IDM file in which `count` rows of current villages have a different IKL and IDM."""
    from regions.models import Village

    current = set(Village.objects.current().values_list("code", flat=True))
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    step, changed = max(1, (len(rows) - 1) // (count + count // 10)), 0
    for row in rows[1::step]:
        if changed < count and row[0] in current and row[5] and row[6]:
            row[5] = "0.5" if row[5] != "0.5" else "0.6"
            row[6] = f"{(float(row[3]) + float(row[4]) + float(row[5])) / 3:.4f}"
            changed += 1
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return target


# The fields of a stored score, as the index import writes them.
SCORE_COLUMNS = (
    "village",
    "scheme",
    "year",
    "value",
    "components",
    "status",
    "published_status",
    "status_disagrees",
    "source_import",
)


def _index_copy_seconds():
    """COPY of the scores the first import wrote, as they are stored, into a table LIKE the scores
    table (its indexes included)."""
    from django.db import connection

    from villages.models import IndexScore

    table = IndexScore._meta.db_table
    columns = ", ".join(IndexScore._meta.get_field(name).column for name in SCORE_COLUMNS)
    rows = io.BytesIO()
    dump = f"COPY (SELECT {columns} FROM {table}) TO STDOUT"  # noqa: S608 — names from the model
    with connection.cursor() as cursor, cursor.cursor.copy(dump) as copy:
        for chunk in copy:
            rows.write(chunk)
    create = f"CREATE TEMPORARY TABLE bench_{table} (LIKE {table} INCLUDING ALL) ON COMMIT DROP"
    return _copy_seconds([(create, f"COPY bench_{table} ({columns}) FROM STDIN", rows.getvalue())])


def bench_index_import(workdir):
    """import_index: the national IDM 2024 file (75,265 rows) — first import (targets: 20 s, and 10× a
    COPY of the same rows), unchanged re-import, re-import with 1,000 changed values (20 s each).
    Skipped without ../shared/data."""
    from villages.models import IndexScore

    source = BASE_DIR.parent / "shared" / "data" / "idm" / "idm_2024_national.csv"
    if not source.is_file():
        print(f"  skipped: {source} is absent (../shared/data is optional)", flush=True)
        return []
    with source.open(encoding="utf-8") as handle:
        rows = sum(1 for _line in handle) - 1

    first, output = _import_index(source)
    loaded = IndexScore.objects.filter(scheme__code="idm", year=2024).count()
    if loaded < 74_000:
        raise RuntimeError(f"the national file loaded only {loaded} scores: {output}")
    copy = _index_copy_seconds()

    again, output = _import_index(source)
    if "0 ditambahkan, 0 diperbarui" not in output:
        raise RuntimeError(f"the re-import changed something: {output}")

    changed, output = _import_index(_with_changed_values(source, workdir / "idm-1000-diubah.csv", 1000))
    if "0 ditambahkan, 1000 diperbarui" not in output:
        raise RuntimeError(f"expected 1000 updated scores: {output}")

    return [
        Result("COPY of the scores, as stored (baseline)", copy, loaded),
        Result("import_index: national IDM 2024, first import", first, rows, target=20),
        Result(f"import_index: first import = {first / copy:.1f}× COPY (≤ 10×)", first, rows, target=10 * copy),
        Result("import_index: re-import, no changes", again, rows, target=20),
        Result("import_index: re-import, 1,000 values changed", changed, rows, target=20),
    ]


BENCHMARKS.append(bench_index_import)


if __name__ == "__main__":
    sys.exit(main())
