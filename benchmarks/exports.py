"""Export benchmark (issue 9): the national village list (83,762 rows) exported as the background task
does it (percontohan.exports.run_background_export: the list's own view, as the user, every row), in a
worker process of its own so that its time and peak memory are its own — beside a PostgreSQL COPY of
the same rows and columns. Targets: CSV ≤ 10 s and ≤ 3× the COPY; XLSX ≤ 30 s and ≤ 300 MB.

`python -m benchmarks.exports EXPORT_ID` is that worker: it runs one recorded export and prints its
seconds (from the task's start, the portal's modules already imported, as in a running worker) and
peak memory as JSON.
"""

import json
import os
import subprocess
import sys
import time

from benchmarks.server import BASE_DIR
from benchmarks.stats import Result

CSV_SECONDS, CSV_COPY_RATIO = 10, 3
XLSX_SECONDS, XLSX_MB = 30, 300


def _village_list_rows(user):
    """The village list's rows and columns as its export holds them, as one query."""
    from regions.models import Village
    from villages.insights import default_scheme, latest_pilot_status, scheme_years, with_index

    scheme = default_scheme()
    years = scheme_years(scheme) if scheme else []
    rows = with_index(Village.objects.visible_to(user), scheme, years[0] if years else None)
    return (
        rows.annotate(pilot_status=latest_pilot_status())
        .order_by("code")
        .values_list(
            "code",
            "name",
            "district__name",
            "district__regency__name",
            "district__regency__province__name",
            "pilot_status",
            "index_value",
            "index_status_name",
        )
    )


def copy_seconds(queryset):
    """Seconds PostgreSQL takes to COPY the rows of `queryset` out as CSV (mean of two runs)."""
    import psycopg
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    connection.ensure_connection()
    statement = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
    timings = []
    for _run in range(2):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT (FORMAT csv)") as copy:
                for _chunk in copy:
                    pass
            timings.append(time.perf_counter() - started)
    return sum(timings) / len(timings)


def _run_worker(export, env):
    completed = subprocess.run(  # noqa: S603 — this interpreter, this module, a record's id
        [sys.executable, "-m", "benchmarks.exports", str(export.pk)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    export.refresh_from_db()
    from percontohan.background import TaskStatus

    if completed.returncode != 0 or export.status != TaskStatus.DONE:
        raise RuntimeError(
            f"the {export.export_format} export ended {export.status} ({export.error}):\n{completed.stderr[-3000:]}"
        )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def bench_exports(ctx):
    """The national village list exported in the background, CSV and XLSX, beside a COPY of its rows."""
    from django.conf import settings
    from django.urls import reverse

    from percontohan.models import Export, User

    ctx.page_data()
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    rows = _village_list_rows(user)
    count = rows.count()
    copy = copy_seconds(rows)
    env = {
        **os.environ,
        "DATABASE_URL": ctx.database_url,
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
        "SECURE_HTTPS": "false",
        "ENV_FILE": "/dev/null",
        "LOG_LEVEL": "WARNING",
        "PRIVATE_MEDIA_ROOT": str(ctx.workdir / "private"),
    }
    measured = {}
    for export_format in ("csv", "xlsx"):
        print(f"  {export_format.upper()} of /desa/ ({count:,} rows) …", flush=True)
        export = Export.objects.create(
            user=user,
            title="bench",
            path=reverse("villages:village_list"),
            export_format=export_format,
            filename=f"desa.{export_format}",
            language=settings.LANGUAGE_CODE,
        )
        try:
            measured[export_format] = _run_worker(export, env)
            if export.processed_rows != count:
                raise RuntimeError(f"the {export_format} export wrote {export.processed_rows} rows, not {count}")
        finally:
            user.notifications.filter(key=f"export:{export.pk}").delete()
            export.delete()
    csv_, xlsx = measured["csv"], measured["xlsx"]
    return [
        Result("COPY of the village list's rows (baseline)", copy, count),
        Result(
            "export CSV: national villages",
            csv_["seconds"],
            count,
            target=CSV_SECONDS,
            peer=f"{csv_['seconds'] / copy:.1f}× COPY, peak {csv_['peak_mb']:.0f} MB",
        ),
        Result(
            f"export CSV = {csv_['seconds'] / copy:.1f}× COPY (≤ {CSV_COPY_RATIO}×)",
            csv_["seconds"],
            count,
            target=CSV_COPY_RATIO * copy,
        ),
        Result(
            "export XLSX: national villages",
            xlsx["seconds"],
            count,
            target=XLSX_SECONDS,
            peer=f"{xlsx['seconds'] / copy:.1f}× COPY",
        ),
        Result("export XLSX: the worker's peak memory", xlsx["peak_mb"], target=XLSX_MB, unit="MB"),
    ]


def main(export_id):
    """The worker: run one recorded export; print its seconds and this process's peak memory."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "percontohan.settings")
    import django

    django.setup()
    from django.urls import resolve

    from percontohan.exports import run_background_export
    from percontohan.models import Export

    export = Export.objects.select_related("user").get(pk=export_id)
    # As a worker (manage.py db_worker) that has run a task before: the portal's views imported (1.5 s
    # of imports, WeasyPrint's among them, that a long-running worker pays once, not per export).
    resolve(export.path)
    started = time.perf_counter()
    run_background_export(export)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb()}))


def _peak_mb():
    """This process's peak resident memory. Not getrusage's ru_maxrss: Linux carries it over from the
    parent across fork and exec, so it would count the benchmark process's own memory."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    main(int(sys.argv[1]))
