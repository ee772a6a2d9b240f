"""How the portal signs a user in: Django's ModelBackend, reading the signed-in user on every request in
one plain statement, with the count of their unread notifications, which the user menu of every page
shows (one query a page fewer)."""

import functools

from django.contrib.auth.backends import ModelBackend
from django.db import connections, router
from django.db.models.expressions import RawSQL

from percontohan.models import Notification, User


def unread_notifications():
    """The number of a user's unread notifications, as a subquery of the user's row. In SQL: the ORM's
    Subquery cost more to compile than the query it saves."""
    notification, user = Notification._meta, User._meta
    # The names are the models' own; nothing of a request goes into the SQL.
    return RawSQL(  # noqa: S611
        f'SELECT COUNT(*) FROM "{notification.db_table}" WHERE "{notification.db_table}"."user_id" = '  # noqa: S608
        f'"{user.db_table}"."{user.pk.column}" AND "{notification.db_table}"."read_at" IS NULL',
        (),
    )


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def signed_in_user(user_id):
    """User.objects.annotate(unread_notification_count=…).get(pk=user_id), or None: the user of every
    request, read through SQL written once (the ORM built this query anew on every page, three times
    the cost of running it). The user's fields are plain columns, which need no conversion from the
    database (a test compares the two readings)."""
    sql, attnames = _user_select()
    with connections[router.db_for_read(User)].cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    user = User.from_db(router.db_for_read(User), attnames, row[:-1])
    user.unread_notification_count = row[-1]
    return user


@functools.cache
def _user_select():
    meta = User._meta
    fields = meta.concrete_fields
    columns = ", ".join(f'"{meta.db_table}"."{field.column}"' for field in fields)
    unread = unread_notifications().sql
    # The names are the model's own; the user's id is a parameter.
    sql = f'SELECT {columns}, ({unread}) FROM "{meta.db_table}" WHERE "{meta.db_table}"."{meta.pk.column}" = %s'  # noqa: S608
    return sql, [field.attname for field in fields]
