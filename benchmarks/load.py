"""Throughput (issue 9): the locust scenario (benchmarks/locustfile.py) against gunicorn on 127.0.0.1,
headless and bounded in time — 50 users, half BLM staff, half Pemda officials, 3–8 s between pages.
Targets: no failed request, p95 ≤ 300 ms, app CPU per request ≤ 20 ms (the workers' CPU from /proc
over the run, divided by the requests served).

`make bench` runs it on the scratch database (benchmarks/run.py, "load"); `make load` runs it alone
on the development database — `make run`'s data: the regions and the demo (`python -m benchmarks.load`).
"""

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.server import Portal, setup_django
from benchmarks.stats import Result, print_report
from percontohan import embedded_db

BASE_DIR = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
USERS = 50
SPAWN_RATE = 10  # users started per second
RUN_SECONDS = 60
P95_TARGET_MS = 300
CPU_TARGET_MS = 20
# The demo's BLM staff and Pemda official (partners/demo.py).
ROLES = ("blm.banjarmasin", "pemda.baritokuala")


def _sessions(users):
    """One logged-in session per simulated user, alternately of each role; returns (sessions, their keys)."""
    from benchmarks.server import session_cookie
    from percontohan.models import User

    people = {user.username: user for user in User.objects.filter(username__in=ROLES, is_active=True)}
    missing = [name for name in ROLES if name not in people]
    if missing:
        raise RuntimeError(f"the demo users {', '.join(missing)} are missing: load the demo (manage.py load_demo)")
    sessions = [{"role": ROLES[n % 2], "cookie": session_cookie(people[ROLES[n % 2]])} for n in range(users)]
    return sessions, [session["cookie"].partition("=")[2] for session in sessions]


def run_locust(base_url, workdir, users=USERS, seconds=RUN_SECONDS, sessions_file=None):
    """Run the scenario headless; returns the rows of locust's statistics (the last is "Aggregated")."""
    prefix = Path(workdir) / "locust"
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary"]
    command += ["--users", str(users), "--spawn-rate", str(SPAWN_RATE), "--run-time", f"{seconds}s"]
    command += ["--host", base_url, "--csv", str(prefix), "--stop-timeout", "10", "--loglevel", "WARNING"]
    env = {**os.environ, **({"BENCH_SESSIONS": str(sessions_file)} if sessions_file else {})}
    # Exit status 1 means some request failed: the figures say which, so they are read either way.
    completed = subprocess.run(  # noqa: S603 — this interpreter, locust, fixed arguments
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=seconds + 120
    )
    stats = prefix.with_name("locust_stats.csv")
    if not stats.is_file():
        raise RuntimeError(f"locust wrote no statistics (exit {completed.returncode}):\n{completed.stderr[-3000:]}")
    with stats.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _ms(row, column):
    value = row.get(column) or "0"
    return float(value) if value != "N/A" else 0.0


def load_results(rows, cpu_seconds, locust_cpu_seconds, users, seconds):
    """The table's rows from locust's statistics and the workers' CPU over the run."""
    total = rows[-1]
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    print(f"  {'request':<28} {'count':>6} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7}", flush=True)
    for row in rows:
        print(
            f"  {row['Name'][:28]:<28} {row['Request Count']:>6} {row['Failure Count']:>5}"
            f" {_ms(row, '50%'):>7.0f} {_ms(row, '95%'):>7.0f}",
            flush=True,
        )
    scenario = f"{users} users, {seconds} s, 3–8 s think time"
    rate = float(total.get("Requests/s") or 0)
    return [
        Result("load: requests served", requests, unit="", peer=f"{scenario}, {rate:.1f} requests/s"),
        Result("load: failed requests", failures, target=0, unit="", peer=f"of {requests:,}"),
        Result("load: p50", _ms(total, "50%"), unit="ms", peer=scenario),
        Result("load: p95", _ms(total, "95%"), target=P95_TARGET_MS, unit="ms", peer=scenario),
        Result(
            "load: app CPU per request (workers, /proc)",
            cpu_seconds * 1000 / max(requests, 1),
            target=CPU_TARGET_MS,
            unit="ms",
            peer=f"{cpu_seconds:.1f} s of CPU over the run; locust itself used {locust_cpu_seconds:.1f} s",
        ),
    ]


def measure_load(portal, workdir, users=USERS, seconds=RUN_SECONDS):
    """Log the users in (sessions in the database), run the scenario against `portal`, forget the sessions."""
    from django.contrib.sessions.models import Session

    sessions, keys = _sessions(users)
    sessions_file = Path(workdir) / "sessions.json"
    sessions_file.write_text(json.dumps(sessions), encoding="utf-8")
    print(f"  locust: {users} users for {seconds} s against {portal.base_url}/ …", flush=True)
    try:
        started, locust_started = portal.workers_cpu_seconds(), _children_cpu_seconds()
        rows = run_locust(portal.base_url, workdir, users, seconds, sessions_file)
        cpu, locust_cpu = portal.workers_cpu_seconds() - started, _children_cpu_seconds() - locust_started
    finally:
        Session.objects.filter(session_key__in=keys).delete()
    return load_results(rows, cpu, locust_cpu, users, seconds)


def _children_cpu_seconds():
    """CPU time of this process's finished children (locust, once it has ended)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_load(ctx):
    """Throughput: the locust scenario, 50 users with think time, on the national data."""
    return measure_load(ctx.portal(), ctx.workdir, seconds=ctx.load_seconds)


def main(argv=None):
    """`make load`: the scenario alone against the development database (make run's data)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=main.__doc__)
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--seconds", type=int, default=RUN_SECONDS)
    options = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL") or embedded_db.database_url()
    setup_django(database_url)
    from django.conf import settings

    with (
        tempfile.TemporaryDirectory(prefix="percontohan-load-") as workdir,
        Portal(database_url, settings.SECRET_KEY, workdir) as portal,
    ):
        results = measure_load(portal, workdir, options.users, options.seconds)
    return print_report(results)


if __name__ == "__main__":
    sys.exit(main())
