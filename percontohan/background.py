"""What every record of background work shares — an import of a file, an export of a long list: its
status, its progress while it runs (rows done of rows in all), a heartbeat by which work whose worker
died is recognised, and `Progress`, which writes the progress about once a second.

The work itself runs as a task of Django's tasks framework (a database-backed worker; in tests, inside
the request); its page polls the record with htmx and shows a progress bar until it is finished.
"""

import time
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from percontohan.records import PortalModel

PROGRESS_SECONDS = 1.0  # progress is written to the record at most this often
STALE_AFTER = timedelta(minutes=15)  # running work silent this long has lost its worker


class TaskStatus(models.TextChoices):
    QUEUED = "antre", gettext_lazy("Menunggu")
    RUNNING = "berjalan", gettext_lazy("Sedang diproses")
    DONE = "selesai", gettext_lazy("Selesai")
    FAILED = "gagal", gettext_lazy("Gagal — tidak ada yang diubah")


class TaskRecord(PortalModel):
    """Status, progress and heartbeat of one piece of background work."""

    status = models.CharField(gettext_lazy("status"), max_length=10, choices=TaskStatus, default=TaskStatus.QUEUED)
    total_rows = models.PositiveIntegerField(gettext_lazy("jumlah baris"), default=0)
    processed_rows = models.PositiveIntegerField(gettext_lazy("baris diproses"), default=0)
    heartbeat_at = models.DateTimeField(gettext_lazy("tanda hidup terakhir"), default=timezone.now)
    finished_at = models.DateTimeField(gettext_lazy("selesai"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def percent(self):
        if self.is_finished:
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def is_finished(self):
        return self.status in (TaskStatus.DONE, TaskStatus.FAILED)

    def _set(self, **fields):
        """Write fields with one UPDATE (progress written meanwhile is never overwritten by a stale save)."""
        for name, value in fields.items():
            setattr(self, name, value)
        type(self)._default_manager.filter(pk=self.pk).update(**fields)

    @classmethod
    def stale(cls, now=None):
        """Records left running by a worker that has given no sign of life for STALE_AFTER."""
        now = now or timezone.now()
        return cls._default_manager.filter(status=TaskStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)


class Progress:
    """Rows done so far, written to the record (with its heartbeat) about once a second; nothing when
    there is no record."""

    def __init__(self, record, total):
        self.record, self.total, self._last = record, total, time.monotonic()
        if record is not None:
            record._set(total_rows=total, processed_rows=0, heartbeat_at=timezone.now())

    def __call__(self, done):
        if self.record is not None and time.monotonic() - self._last >= PROGRESS_SECONDS:
            self._last = time.monotonic()
            self.record._set(processed_rows=done, heartbeat_at=timezone.now())

    def checked(self):
        """Every row is done (an import: checked; its writing begins)."""
        if self.record is not None:
            self.record._set(processed_rows=self.total, heartbeat_at=timezone.now())

    def counted(self, rows):
        """`rows`, passed through, with the progress written as they are consumed."""
        for done, row in enumerate(rows, start=1):
            self(done)
            yield row
