"""Background tasks of the villages app (Django's tasks framework; a database-backed worker)."""

import pghistory
from django.tasks import task


@task
def run_index_import(import_id: int, scope_codes: list[str] | None = None):
    """Run an uploaded index file import; progress and results are stored on the IndexImport."""
    from villages.index_import import index_import_run
    from villages.models import IndexImport

    record = IndexImport.objects.select_related("scheme").get(pk=import_id)
    # The worker has no request: name the uploader in the history of every score it changes.
    with pghistory.context(user=record.started_by_id, index_import=record.pk):
        index_import_run(record, scope_codes=set(scope_codes) if scope_codes is not None else None)
