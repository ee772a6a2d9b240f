"""The portal's WSGI application as the benchmarks serve it: the same application, with each response
carrying the CPU time the worker spent producing it (header X-Bench-App-Cpu-Ms).

Used only by benchmarks/server.py (`gunicorn benchmarks.wsgi`); production serves percontohan.wsgi.
process_time() counts this worker process's CPU only — not time spent waiting for PostgreSQL — from
the request's arrival to its response being ready (a streamed body is produced later and not counted).
"""

import time

from benchmarks.server import CPU_HEADER
from percontohan.wsgi import application as portal


def application(environ, start_response):
    started = time.process_time()
    answer = {}

    def hold(status, headers, exc_info=None):
        answer.update(status=status, headers=headers, exc_info=exc_info)
        return _no_write

    body = portal(environ, hold)
    cpu_ms = (time.process_time() - started) * 1000
    start_response(answer["status"], [*answer["headers"], (CPU_HEADER, f"{cpu_ms:.3f}")], answer["exc_info"])
    return body


def _no_write(_data):
    raise NotImplementedError("the portal never uses WSGI's write()")
