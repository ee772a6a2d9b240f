"""Background tasks of the villages app (Django's tasks framework; a database-backed worker)."""

import contextlib

from django.db import transaction
from django.tasks import task

from percontohan.imports import ImportFailed, import_run
from percontohan.scoping import editable_regency_codes
from villages.index_import import index_import_file
from villages.models import IndexImport


def index_import_start(*, scheme, year, upload, user):
    """Store an uploaded file as an IndexImport started by `user` and run it in the background
    once the upload is committed. Only the villages `user` may change are written (the write rule:
    a BLM's working area); the rows of other villages are reported as out of scope."""
    record = IndexImport(scheme=scheme, year=year, original_name=upload.name[:255], started_by=user)
    record.file.save(upload.name, upload)
    codes = editable_regency_codes(user)
    scope_codes = None if codes is None else sorted(codes)
    transaction.on_commit(lambda: run_index_import.enqueue(import_id=record.pk, scope_codes=scope_codes))
    return record


@task
def run_index_import(import_id: int, scope_codes: list[str] | None = None):
    """Run an uploaded index file import; progress and the outcome (done, or failed with its errors)
    are stored on the IndexImport."""
    record = IndexImport.objects.select_related("scheme").get(pk=import_id)
    # A bad file is the user's to fix: the record lists why, and the task itself did its work.
    with contextlib.suppress(ImportFailed):
        # The worker has no request: name the uploader in the history of every score it changes.
        import_run(
            record,
            lambda: index_import_file(record, scope_codes=set(scope_codes) if scope_codes is not None else None),
            history={"user": record.started_by_id, "index_import": record.pk},
        )
