"""Background tasks of trainings (Django's tasks framework; a database-backed worker)."""

import contextlib
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task

from percontohan.imports import ImportFailed, import_run
from trainings.fields import nik_fernet
from trainings.imports import participant_import_file
from trainings.models import ParticipantImport


def participant_import_start(*, batch, upload, user):
    """Store an uploaded registration list as a ParticipantImport of `batch` started by `user`, and run it
    in the background once the upload is committed.

    The list holds NIKs in clear, so it is stored encrypted (with the NIK keys) and deleted once imported.
    """
    name = PurePath(upload.name or "peserta").name[-255:]
    record = ParticipantImport(batch=batch, original_name=name, started_by=user)
    record.file.save(f"{name}.enc", ContentFile(nik_fernet().encrypt(upload.read())))
    transaction.on_commit(lambda: run_participant_import.enqueue(import_id=record.pk))
    return record


@task
def run_participant_import(import_id: int):
    """Run an uploaded participant list's import; progress and the outcome (done, or failed with its
    errors by row) are stored on the ParticipantImport. The uploaded file is deleted afterwards."""
    record = ParticipantImport.objects.select_related("batch", "started_by").get(pk=import_id)
    try:
        # A bad file is the user's to fix: the record lists why, and the task itself did its work.
        with contextlib.suppress(ImportFailed):
            # The worker has no request: name the uploader in the history of everything it writes.
            import_run(
                record,
                lambda: participant_import_file(record),
                history={"user": record.started_by_id, "participant_import": record.pk},
            )
    finally:
        if record.file:
            record.file.delete(save=False)
            ParticipantImport.objects.filter(pk=record.pk).update(file="")
