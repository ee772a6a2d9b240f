"""The embedded PostgreSQL cluster used when no DATABASE_URL is given.

A fresh machine needs no database set-up: ``python -m percontohan.embedded_db
start`` creates a cluster under ``var/pg`` on first use (kept between runs)
from the system's PostgreSQL binaries and starts it on a Unix socket only, so
it never clashes with another server. Production sets DATABASE_URL and never
touches this module.

PostgreSQL refuses to run as root, so as root the cluster belongs to the
``postgres`` system user; when that user cannot reach the project folder (a
checkout under /root, say) the data lives under /var/lib/percontohan and
``var/pg`` is a link to it.

Standard library only: the Makefile runs it before Django is importable.
"""

import glob
import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_LINK = BASE_DIR / "var" / "pg"
DB_NAME = "percontohan"
DB_USER = "postgres"


def _key():
    return hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:10]


def socket_dir() -> Path:
    """A short path for the socket (Unix socket paths are limited to ~107 bytes)."""
    return Path("/tmp") / f"percontohan-pg-{_key()}"


def database_url() -> str:
    return f"postgres:///{DB_NAME}?host={socket_dir()}&user={DB_USER}"


def _bindir() -> Path:
    for pattern in ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin"):
        found = sorted(glob.glob(pattern), key=lambda p: [int(x) for x in p.split("/") if x.isdigit()] or [0])
        if found and os.path.exists(os.path.join(found[-1], "pg_ctl")):
            return Path(found[-1])
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).resolve().parent
    sys.exit(
        "PostgreSQL server binaries not found. Install them (Debian: apt-get install postgresql) "
        "or set DATABASE_URL to an existing server."
    )


def _is_root():
    return os.geteuid() == 0


def _as_owner(args, **kwargs):
    """Run a PostgreSQL binary as the cluster owner (postgres when we are root)."""
    if _is_root():
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=False, **kwargs)


def _postgres_can_reach(path: Path) -> bool:
    probe = _as_owner(["test", "-w", str(path)], capture_output=True)
    return probe.returncode == 0


def _data_dir() -> Path:
    if DATA_LINK.is_symlink() or DATA_LINK.exists():
        return DATA_LINK.resolve()
    DATA_LINK.parent.mkdir(parents=True, exist_ok=True)
    DATA_LINK.mkdir()
    if not _is_root():
        return DATA_LINK
    pg = pwd.getpwnam("postgres")
    os.chown(DATA_LINK, pg.pw_uid, pg.pw_gid)
    if _postgres_can_reach(DATA_LINK):
        return DATA_LINK
    DATA_LINK.rmdir()
    elsewhere = Path("/var/lib/percontohan") / _key()
    elsewhere.mkdir(parents=True, exist_ok=True)
    os.chown(elsewhere, pg.pw_uid, pg.pw_gid)
    DATA_LINK.symlink_to(elsewhere)
    return elsewhere


def _prepare_socket_dir():
    sock = socket_dir()
    sock.mkdir(mode=0o775, exist_ok=True)
    if _is_root():
        pg = pwd.getpwnam("postgres")
        os.chown(sock, pg.pw_uid, pg.pw_gid)
    return sock


def is_running() -> bool:
    data = _data_dir()
    if not (data / "PG_VERSION").exists():
        return False
    result = _as_owner([str(_bindir() / "pg_ctl"), "status", "-D", str(data)], capture_output=True)
    return result.returncode == 0


def start():
    bindir, data = _bindir(), _data_dir()
    if not (data / "PG_VERSION").exists():
        print(f"Creating the embedded PostgreSQL cluster in {data} …", flush=True)
        result = _as_owner(
            [str(bindir / "initdb"), "-D", str(data), "-U", DB_USER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            sys.exit(f"initdb failed:\n{result.stdout}\n{result.stderr}")
    if is_running():
        print("Embedded PostgreSQL is already running.", flush=True)
    else:
        sock = _prepare_socket_dir()
        # PostgreSQL's default 128 MB of shared buffers is smaller than the people table alone (500,000
        # people, 156 MB): a search across it read half its pages from the kernel on every request.
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{sock}' -c synchronous_commit=off"
            " -c shared_buffers=1GB -c effective_cache_size=4GB"
        )
        result = _as_owner(
            [
                str(bindir / "pg_ctl"),
                "start",
                "-w",
                "-t",
                "60",
                "-D",
                str(data),
                "-l",
                str(data / "server.log"),
                "-o",
                options,
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            log = (data / "server.log").read_text(errors="replace")[-2000:] if (data / "server.log").exists() else ""
            sys.exit(f"Embedded PostgreSQL did not start:\n{result.stderr}\n{log}")
        print(f"Embedded PostgreSQL started (socket {sock}).", flush=True)
    _ensure_database(bindir)


def _ensure_database(bindir: Path):
    for _ in range(50):
        ready = subprocess.run([str(bindir / "pg_isready"), "-h", str(socket_dir())], capture_output=True)
        if ready.returncode == 0:
            break
        time.sleep(0.2)
    psql = [str(bindir / "psql"), "-h", str(socket_dir()), "-U", DB_USER, "-d", "postgres", "-tAc"]
    exists = subprocess.run(
        [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"], capture_output=True, text=True
    )
    if exists.stdout.strip() != "1":
        subprocess.run([*psql, f'CREATE DATABASE "{DB_NAME}"'], check=True, capture_output=True)


def stop():
    data = _data_dir()
    if is_running():
        _as_owner([str(_bindir() / "pg_ctl"), "stop", "-m", "fast", "-w", "-D", str(data)], capture_output=True)
        print("Embedded PostgreSQL stopped.", flush=True)
    else:
        print("Embedded PostgreSQL is not running.", flush=True)


def main(argv):
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        start()
    elif command == "stop":
        stop()
    elif command == "status":
        print("running" if is_running() else "stopped")
    elif command == "url":
        print(database_url())
    else:
        sys.exit("usage: python -m percontohan.embedded_db start|stop|status|url")


if __name__ == "__main__":
    main(sys.argv)
