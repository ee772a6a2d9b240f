"""Benchmarks for the speed targets issues name (`make bench`, or `python -m benchmarks.run [NAME …]`).

Everything runs in a scratch database ("percontohan_bench") created on the
project's PostgreSQL server — the one DATABASE_URL names, else the embedded
one — migrated from scratch and dropped at the end, so the real database is
never touched. The benchmarks in BENCHMARKS run in order against it; each
returns its measurements (benchmarks.stats.Result) beside their peers and
targets, a table is printed, and the exit status is 1 when a target is missed.

    python -m benchmarks.run                  # all of them (make bench)
    python -m benchmarks.run lists weight     # some, by name; the data they need is loaded untimed
    python -m benchmarks.run --keep lists     # keep the scratch database for the next run

Adding a benchmark: write `def bench_something(ctx) -> list[Result]` and add
it to BENCHMARKS; `ctx` (Context) gives the work folder and, to page
benchmarks, the portal served by gunicorn (`ctx.portal()`) on the national
villages, their IDM 2024 scores and the demo (`ctx.page_data()`).
"""

import argparse
import csv
import io
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from benchmarks import exports, load, pages, trainings
from benchmarks.server import Portal, setup_django
from benchmarks.stats import Result, print_report
from percontohan import embedded_db

BASE_DIR = Path(__file__).resolve().parent.parent
SCRATCH_DB = "percontohan_bench"
IDM_2024 = BASE_DIR.parent / "shared" / "data" / "idm" / "idm_2024_national.csv"


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


def bench_regions(ctx):
    """import_regions: the full release into empty tables (targets: 30 s, and 10× a COPY of the same
    rows), re-runs (10 s), and a full change of edition renaming ~83,000 villages (15 s)."""
    from regions.models import LEVELS, RegionImport

    total = sum(model.objects.count() for model in LEVELS)
    if total:
        raise RuntimeError(f"the scratch database already holds {total} regions (run it without --keep)")

    copy = _region_copy_seconds()
    full, _output = _import_regions()
    total = sum(model.objects.count() for model in LEVELS)
    if total != 91_599:
        raise RuntimeError(f"the full import loaded {total} regions, not 91,599")

    unchanged, output = _import_regions()
    if "Tidak ada perubahan" not in output:
        raise RuntimeError(f"the re-run changed something: {output}")

    release = _release_with_renamed_villages(ctx.workdir / "rilis-100-nama", 100)
    renamed, _output = _import_regions(release)
    record = RegionImport.objects.latest("started_at")
    if record.renamed.get("village") != 100:
        raise RuntimeError(f"expected 100 renamed villages, the import recorded {record.renamed}")

    # A new edition: every village name spelled differently (those of the 100 above already are).
    release = _release_with_renamed_villages(ctx.workdir / "rilis-edisi-baru", 83_762)
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


def bench_index(ctx):
    """import_index: the national IDM 2024 file (75,265 rows) — first import (targets: 20 s, and 10× a
    COPY of the same rows), unchanged re-import, re-import with 1,000 changed values (20 s each).
    Skipped without ../shared/data."""
    from villages.models import IndexScore

    source = IDM_2024
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

    changed, output = _import_index(_with_changed_values(source, ctx.workdir / "idm-1000-diubah.csv", 1000))
    if "0 ditambahkan, 1000 diperbarui" not in output:
        raise RuntimeError(f"expected 1000 updated scores: {output}")

    return [
        Result("COPY of the scores, as stored (baseline)", copy, loaded),
        Result("import_index: national IDM 2024, first import", first, rows, target=20),
        Result(f"import_index: first import = {first / copy:.1f}× COPY (≤ 10×)", first, rows, target=10 * copy),
        Result("import_index: re-import, no changes", again, rows, target=20),
        Result("import_index: re-import, 1,000 values changed", changed, rows, target=20),
    ]


# --- what the benchmarks share ------------------------------------------------


class Context:
    """The work folder, the options, and — started on first use, stopped at the end — the portal under
    gunicorn with the data the page benchmarks need."""

    def __init__(self, workdir, database_url, *, requests=40, load_seconds=load.RUN_SECONDS):
        self.workdir = Path(workdir)
        self.database_url = database_url
        self.requests = requests
        self.load_seconds = load_seconds
        self._portal = None
        self._cookie = None

    def portal(self):
        if self._portal is None:
            from django.conf import settings

            self.page_data()
            self._portal = Portal(self.database_url, settings.SECRET_KEY, self.workdir).start()
        return self._portal

    def superuser_cookie(self):
        if self._cookie is None:
            self._cookie = pages.superuser_cookie()
        return self._cookie

    def page_data(self):
        """The national regions and IDM 2024 (imported untimed when the import benchmarks did not run)
        and the demo programme (users, pilot villages, agreements, commitments)."""
        from django.core.management import call_command

        from percontohan.models import User
        from regions.models import Village
        from villages.models import IndexScore

        if not Village.objects.exists():
            print("  importing the regions (untimed) …", flush=True)
            _import_regions()
        if IDM_2024.is_file() and not IndexScore.objects.filter(scheme__code="idm", year=2024).exists():
            print("  importing the national IDM 2024 (untimed) …", flush=True)
            _import_index(IDM_2024)
        if not User.objects.filter(username="admin").exists():
            print("  loading the demo …", flush=True)
            call_command("load_demo", stdout=io.StringIO())

    def close(self):
        if self._portal is not None:
            self._portal.stop()
            self._portal = None


BENCHMARKS = [
    bench_regions,
    bench_index,
    exports.bench_exports,
    pages.bench_lists,
    pages.bench_weight,
    pages.bench_cpu,
    load.bench_load,
    trainings.bench_trainings,
]


def benchmark_name(benchmark):
    return benchmark.__name__.removeprefix("bench_")


# --- the scratch database ----------------------------------------------------


def _with_database(url, name):
    # Built by hand: urlunsplit drops the "//" of a URL with no host (postgres:///db?host=/socket).
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else "")


@contextmanager
def scratch_database(keep=False):
    """Create (or, with `keep`, reuse), migrate and finally drop (unless `keep`) a scratch database on the
    project's server; yields its URL."""
    server = os.environ.get("DATABASE_URL") or embedded_db.database_url()
    # libpq reads the same URLs as django-environ (postgres://…, ?host=/socket/dir).
    maintenance = _with_database(server, "postgres")
    scratch = _with_database(server, SCRATCH_DB)

    def execute(sql):
        with psycopg.connect(maintenance, autocommit=True) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else None

    exists = execute(f"SELECT 1 FROM pg_database WHERE datname = '{SCRATCH_DB}'")  # noqa: S608 — a constant
    if not (keep and exists):
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
        if keep:
            print(f"Kept the scratch database {SCRATCH_DB} (drop it with another run without --keep).")
        else:
            execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')


# --- running -------------------------------------------------------------------


def parse_arguments(argv):
    names = [benchmark_name(benchmark) for benchmark in BENCHMARKS]
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description="Benchmarks (make bench).")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"run only these: {', '.join(names)} (default: all)")
    parser.add_argument("--keep", action="store_true", help="reuse the scratch database if it exists, keep it after")
    parser.add_argument("--requests", type=int, default=40, help="requests to each list and its peer (default 40)")
    parser.add_argument("--load-seconds", type=int, default=load.RUN_SECONDS, help="locust run time (default 60)")
    options = parser.parse_args(argv)
    unknown = sorted(set(options.names) - set(names))
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(names)}")
    return options


def interpreter():
    """The Python that runs the benchmarks and the gunicorn they start, and how it was configured: the CPU
    figures depend on its build as well as on the portal. On this project's machine, the same pages took
    a sixth less CPU on CPython built with --enable-optimizations --with-lto (profile-guided, link-time
    optimised) than on pyenv's default build, which has neither (README, "Deploying"). Distributions
    optimise their builds without always saying so in these options."""
    options = sysconfig.get_config_var("CONFIG_ARGS") or ""
    named = ("--enable-optimizations", "--with-lto", "--enable-shared")
    said = " ".join(name for name in named if name in options) or "none"
    return f"Python {sys.version.split()[0]} ({sys.executable}); of {', '.join(named)}, configured with: {said}"


def main(argv=None):
    options = parse_arguments(argv)
    chosen = [b for b in BENCHMARKS if not options.names or benchmark_name(b) in options.names]
    print(interpreter(), flush=True)
    results = []
    with (
        scratch_database(keep=options.keep) as url,
        tempfile.TemporaryDirectory(prefix="percontohan-bench-") as workdir,
    ):
        setup_django(url)
        ctx = Context(workdir, url, requests=options.requests, load_seconds=options.load_seconds)
        try:
            for benchmark in chosen:
                print(f"Running {benchmark_name(benchmark)} …", flush=True)
                started = time.monotonic()
                results.extend(benchmark(ctx))
                print(f"  ({time.monotonic() - started:.0f} s)", flush=True)
        finally:
            ctx.close()
    return print_report(results)


if __name__ == "__main__":
    sys.exit(main())
