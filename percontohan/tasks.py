"""Background tasks of the core (Django's tasks framework; a database-backed worker)."""

import datetime

from django.tasks import task

from percontohan.registry import app_modules


@task
def daily_upkeep(today: str | None = None):
    """Once a day: every app's daily upkeep (`<app>/daily.py`), lowest layer first.

    `today` (ISO date) is for tests and catching up; by default the local date. Returns
    {app: its summary}, stored with the task result.
    """
    day = datetime.date.fromisoformat(today) if today else None
    return {module.__name__.split(".")[0]: module.run(today=day) for module in app_modules("daily")}
