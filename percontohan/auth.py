"""How the portal signs a user in: Django's ModelBackend, reading the signed-in user on every request in
one plain statement, with the count of their unread notifications, which the user menu of every page
shows, and the regencies of their scope, which every scoped query reads (two queries a page fewer)."""

import functools

from django.contrib.auth.backends import ModelBackend
from django.db.models.expressions import RawSQL

from percontohan import records
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


def scope_codes():
    """The codes of the regencies in a user's scope, as an array subquery of the user's row (what
    User.scope_regency_codes reads otherwise, in a query of its own on every regional user's page)."""
    through, user = User.scope_regencies.through._meta, User._meta
    user_column = through.get_field("user").column
    regency_column = through.get_field("regency").column
    # The names are the models' own; nothing of a request goes into the SQL.
    return RawSQL(  # noqa: S611
        f'ARRAY(SELECT "{through.db_table}"."{regency_column}" FROM "{through.db_table}" '  # noqa: S608
        f'WHERE "{through.db_table}"."{user_column}" = "{user.db_table}"."{user.pk.column}")',
        (),
    )


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def signed_in_user(user_id):
    """User.objects.annotate(unread_notification_count=…).get(pk=user_id), or None, with its
    `scope_regency_codes` already known: the user of every request, read through SQL written once
    (percontohan.records; the ORM built this query anew on every page, three times the cost of running it)."""
    users = records.read(User, _user_select(), [user_id], annotations=("unread_notification_count", "scope_codes"))
    if not users:
        return None
    user = users[0]
    # User.scope_regency_codes (a cached property), read with the user.
    codes = user.__dict__.pop("scope_codes")
    user.__dict__["scope_regency_codes"] = None if user.sees_everything else frozenset(codes)
    return user


@functools.cache
def _user_select():
    table, key = User._meta.db_table, User._meta.pk.column
    # The names are the model's own; the user's id is a parameter.
    return (
        f'SELECT {records.columns(User)}, ({unread_notifications().sql}), {scope_codes().sql} FROM "{table}" '  # noqa: S608
        f'WHERE "{table}"."{key}" = %s'
    )
