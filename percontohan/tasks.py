"""Background tasks of the core (Django's tasks framework; a database-backed worker)."""

import datetime

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from percontohan.indexes import analyze_unanalyzed_tables
from percontohan.registry import app_modules


@task
def daily_upkeep(today: str | None = None):
    """Once a day: every app's daily upkeep (`<app>/daily.py`), lowest layer first.

    `today` (ISO date) is for tests and catching up; by default the local date. Returns
    {app: its summary}, stored with the task result.
    """
    day = datetime.date.fromisoformat(today) if today else None
    summary = {
        "percontohan": {"exports_deleted": delete_old_exports(day), "tables_analyzed": analyze_unanalyzed_tables()}
    }
    return summary | {module.__name__.split(".")[0]: module.run(today=day) for module in app_modules("daily")}


def delete_old_exports(today=None):
    """Delete the exports (records and files) older than settings.EXPORT_KEEP_DAYS; how many."""
    from percontohan.models import Export

    today = today or timezone.localdate()
    old = Export.objects.filter(created_at__date__lt=today - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS))
    deleted = 0
    for export in old.iterator():
        if export.file:
            export.file.delete(save=False)
        export.delete()
        deleted += 1
    return deleted
