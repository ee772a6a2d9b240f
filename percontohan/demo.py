"""The demo: the real Barito Kuala pilot village programme (DESIGN.md §1), loaded by `manage.py load_demo`.

Each app loads its own part in its `demo.py` (`load()`, idempotent: a second run
changes nothing); the core runs them lowest layer first (INSTALLED_APPS order:
regions → partners → villages → agreements → …) in one transaction, without
knowing what they are (see percontohan.registry).
"""

import os
from pathlib import Path

from django.conf import settings
from django.db import transaction

from percontohan.registry import app_modules


class DemoNotReady(Exception):
    """What the demo needs is missing (e.g. the regions were not imported); the message says what to run."""


def shared_data_dir():
    """The real data folder beside the project (../shared/data), if present; SHARED_DATA_DIR overrides."""
    folder = Path(os.environ.get("SHARED_DATA_DIR", settings.BASE_DIR.parent / "shared" / "data"))
    return folder if folder.is_dir() else None


@transaction.atomic
def demo_load():
    """Every app's demo, lowest layer first; returns the demo logins (username, password, role label)."""
    logins = []
    for module in app_modules("demo"):
        logins.extend(module.load() or ())
    return logins


def demo_save(record, **values):
    """Set `values` on a demo record and save it only when it is new or something changed (so a second
    load leaves versions and history alone); returns the record."""
    changed = record.pk is None
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    if changed:
        record.full_clean()
        record.save()
    return record
