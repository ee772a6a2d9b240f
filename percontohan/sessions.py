"""Django's database sessions, read on every request in one plain statement.

Every page reads its session (to find who is signed in) and most never write it. Django reads it through
the ORM, whose query building cost about as much CPU as the rest of the page's base; the same statement
written once costs a third. Writing, expiring and deleting sessions stay Django's own (the same table,
the same rows): a session signed out on one worker is gone for all of them, which a signed cookie or a
per-process cache could not promise.
"""

import functools

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        key = self.session_key
        if key is None:
            return None
        model = self.model
        with connections[router.db_for_read(model)].cursor() as cursor:
            cursor.execute(_select(model), [key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0], expire_date=row[1])


@functools.cache
def _select(model):
    """Django's get(session_key=…, expire_date__gt=now) as SQL, from the model's own names."""
    meta = model._meta
    table = meta.db_table
    data, expires, key = (meta.get_field(name).column for name in ("session_data", "expire_date", "session_key"))
    # The names are the model's own; the key and the time are parameters.
    return f'SELECT "{data}", "{expires}" FROM "{table}" WHERE "{key}" = %s AND "{expires}" > %s'  # noqa: S608
