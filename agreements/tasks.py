"""Background tasks of the agreements app (Django's tasks framework; a database-backed worker)."""

import datetime

from django.tasks import task


@task
def daily_agreement_upkeep(today: str | None = None):
    """Once a day: agreements become active or expired by their dates, then reminders go out.

    `today` (ISO date) is for tests and catching up; by default the local date. Returns a summary
    (stored with the task result): agreements moved, reminders, notifications created, e-mails sent.
    """
    from agreements.reminders import reminders_send
    from agreements.services import agreements_refresh_statuses

    day = datetime.date.fromisoformat(today) if today else None
    moved = agreements_refresh_statuses(today=day)
    return {"statuses_changed": moved, **reminders_send(today=day)}
