"""The portal as production serves it, for the page benchmarks: gunicorn with DEBUG off, 2 workers,
on 127.0.0.1 and a free port, static files collected (hashed, compressed) and served by whitenoise.

Requests go through http.client, which does not decompress: the bytes counted are the bytes sent.
"""

import base64
import gzip
import hashlib
import http.client
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
# Collected static files, kept between runs: collecting compresses every file (gzip and brotli), which
# takes about 45 s of CPU; it is done again only when a source file changes.
STATIC_ROOT = BASE_DIR / "var" / "bench-static"
WORKERS = 2
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The app's CPU time for a response, added by benchmarks/wsgi.py.
CPU_HEADER = "X-Bench-App-Cpu-Ms"


@dataclass
class Response:
    status: int
    headers: dict  # lower-case names
    body: bytes  # as sent (compressed when the server compressed it)
    seconds: float

    @property
    def cpu_ms(self):
        """The app's CPU time for this response (benchmarks/wsgi.py), or None for a response without it."""
        value = self.headers.get(CPU_HEADER.lower())
        return float(value) if value is not None else None

    def text(self):
        body = gzip.decompress(self.body) if self.headers.get("content-encoding") == "gzip" else self.body
        return body.decode("utf-8", errors="replace")


def setup_django(database_url):
    """Django in this process, on `database_url` (the benchmarks' data, their sessions and users)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "percontohan.settings")
    # The sessions the benchmarks hand to clients are signed with it; the portal under gunicorn gets it too.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    # The generated trainees' NIKs are encrypted and hashed with fixed keys, so that a kept scratch database
    # (--keep) can still be read by the next run (whose SECRET_KEY is new). Generated data only.
    os.environ.setdefault("NIK_ENCRYPTION_KEYS", base64.urlsafe_b64encode(b"percontohan-bench-nik-key-32byte").decode())
    os.environ.setdefault("NIK_HASH_KEY", "percontohan-bench-nik-hash-key")
    import django
    from django.conf import settings

    django.setup()
    # `make bench` sets DEBUG for the development settings; production does not
    # log every SQL statement, so neither does the measurement.
    settings.DEBUG = False


def _static_sources_digest():
    """A digest of every static source file (name, size, modification time), as the finders see them."""
    from django.contrib.staticfiles import finders

    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static(env):
    """collectstatic into STATIC_ROOT (hashed names, gzip and brotli files), unless the sources are unchanged."""
    stamp = STATIC_ROOT / ".sources"
    digest = _static_sources_digest()
    if stamp.is_file() and stamp.read_text() == digest:
        return
    print("  collecting static files (hashed, compressed; kept for the next run) …", flush=True)
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    subprocess.run(  # noqa: S603 — this interpreter, this project's manage.py
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=BASE_DIR, env=env, check=True
    )
    stamp.write_text(digest)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Portal:
    """A gunicorn serving the portal from `database_url`; start() then stop(), or use it as a context manager."""

    def __init__(self, database_url, secret_key, workdir):
        self.database_url = database_url
        self.secret_key = secret_key
        self.workdir = Path(workdir)
        self.port = free_port()
        self.process = None
        self.log = self.workdir / "gunicorn.log"

    def environment(self):
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": self.secret_key,  # the one the sessions handed to clients were signed with
            "DEBUG": "false",
            # Plain HTTP on 127.0.0.1: no HTTPS redirect, cookies not marked secure.
            "SECURE_HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_MANIFEST": "true",
            "STATIC_ROOT": str(STATIC_ROOT),
            "ENV_FILE": "/dev/null",  # the developer's .env must not change what is measured
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }

    def start(self):
        env = self.environment()
        collect_static(env)
        command = [sys.executable, "-m", "gunicorn", "benchmarks.wsgi:application"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS), "--log-level", "warning"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 — this interpreter, gunicorn, fixed arguments
                command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start (exit {self.process.returncode}):\n{self.log_tail()}")
            try:
                if self.get("/akun/masuk/").status == 200:
                    print(f"  gunicorn serving on http://127.0.0.1:{self.port}/ ({WORKERS} workers)", flush=True)
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within 60 s:\n{self.log_tail()}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *_exc):
        self.stop()

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path, cookie=None, headers=None):
        return get(self.base_url + path, cookie=cookie, headers=headers)

    def post(self, path, data, cookie=None, headers=None):
        return post(self.base_url + path, data, cookie=cookie, headers=headers)

    def workers(self):
        """The worker processes' ids (the master's children)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        if children.exists():
            return [int(child) for child in children.read_text().split()]
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
        return found

    def workers_cpu_seconds(self):
        """User and system CPU time used so far by the workers (from /proc), in seconds."""
        total = 0
        for worker in self.workers():
            try:
                fields = Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # a worker that just ended
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return total / CLOCK_TICKS


def get(url, cookie=None, headers=None):
    """GET `url` as a browser asking for gzip would; returns the response as sent and the seconds it took."""
    return send("GET", url, cookie=cookie, headers=headers)


def post(url, data, cookie=None, headers=None):
    """POST a form to `url` with a CSRF token (cookie and header, as htmx sends it); returns the response."""
    # A CSRF secret as Django makes them: 32 letters and digits.
    token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    sent = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": token,
        "HX-Request": "true",
        **(headers or {}),
    }
    cookies = "; ".join(part for part in (cookie, f"csrftoken={token}") if part)
    return send("POST", url, cookie=cookies, headers=sent, body=urlencode(data).encode())


def send(method, url, cookie=None, headers=None, body=None):
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    sent = {"Accept-Encoding": "gzip", "Accept": "text/html,application/xhtml+xml,*/*;q=0.8", **(headers or {})}
    if cookie:
        sent["Cookie"] = cookie
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=sent)
        answer = connection.getresponse()
        body = answer.read()
        seconds = time.perf_counter() - started
    finally:
        connection.close()
    return Response(answer.status, {name.lower(): value for name, value in answer.getheaders()}, body, seconds)


def session_cookie(user):
    """A logged-in session for `user`, stored in the database as logging in would store it; returns the
    Cookie header. Used instead of the login form so that password hashing (deliberately slow) is not
    part of what the benchmarks measure."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "percontohan.auth.PortalModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
