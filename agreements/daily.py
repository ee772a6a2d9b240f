"""The agreements' daily upkeep (run by `manage.py run_daily`, see percontohan.registry)."""

from agreements.reminders import reminders_send
from agreements.services import agreements_refresh_statuses


def run(today=None):
    """Agreements become active or expired by their dates, then reminders go out.

    Returns a summary: agreements moved, reminders, notifications created, e-mails sent.
    """
    moved = agreements_refresh_statuses(today=today)
    return {"statuses_changed": moved, **reminders_send(today=today)}
