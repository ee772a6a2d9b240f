"""History and optimistic locking, shared by every domain model.

History is recorded by PostgreSQL triggers (django-pghistory), so bulk and
cascade writes are caught too; the middleware attaches the acting user to
every event written during a request. Concurrent edits are caught with a
version column: saving a record someone changed meanwhile raises
`StaleRecordError` instead of silently overwriting it.
"""

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import PurePath

import pghistory
import pghistory.middleware
import pghistory.models
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, localize
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from percontohan.records import PortalModel


def tracked(**kwargs):
    """Record every insert, update and delete of the decorated model with who and when.

    A save that changes nothing but the version column records no event.
    """

    def decorator(model):
        has_version = any(field.name == "version" for field in model._meta.concrete_fields)
        condition = pghistory.AnyChange(exclude=["version"]) if has_version else pghistory.AnyChange()
        trackers = (pghistory.InsertEvent(), pghistory.UpdateEvent(condition=condition), pghistory.DeleteEvent())
        return pghistory.track(*trackers, **kwargs)(model)

    return decorator


class HistoryMiddleware(pghistory.middleware.HistoryMiddleware):
    """Attach the user and the URL to every history event of a request."""

    def get_context(self, request):
        context = super().get_context(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context["username"] = user.get_username()
        return context


class StaleRecordError(Exception):
    """The record was changed by someone else after it was read."""

    message = _(
        "Data ini telah diubah oleh pengguna lain sejak Anda membukanya. "
        "Perubahan Anda tidak disimpan; muat ulang halaman untuk melihat versi terbaru, lalu ulangi perubahan Anda."
    )


class VersionedModel(PortalModel):
    """A model whose rows carry a version; an update must name the version it read."""

    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            # Lock the row, then compare: a concurrent writer waits here and
            # then sees the version the first writer left behind.
            current = (
                type(self)
                ._base_manager.select_for_update()
                .filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != self.version:
                raise StaleRecordError(StaleRecordError.message)
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            try:
                return super().save(*args, **kwargs)
            except Exception:
                self.version -= 1
                raise


def is_tracked(model):
    """Whether the history of `model`'s rows is recorded (by `tracked` or another pghistory tracker)."""
    model = model._meta.concrete_model
    return any(
        issubclass(candidate, pghistory.models.Event)
        and candidate.pgh_tracked_model is not None
        and candidate.pgh_tracked_model._meta.concrete_model is model
        for candidate in apps.get_models()
    )


def history_of(obj):
    """The history events of one record, newest first, as people read them.

    Each event carries `kind` (insert, update or delete), `user` (who acted; None for the system) and,
    for an update, `changes`: (field label, old value, new value), the values shown as the portal shows
    them — a related record's name rather than its id, a choice's label rather than its code, dates and
    times in the portal's format and time zone. Related records (the acting users among them) are read
    with one query per related model, whatever the length of the history.
    """
    events = list(pghistory.models.Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id"))
    columns = {field.column: field for field in type(obj)._meta.concrete_fields if field.name != "version"}
    user_model = get_user_model()
    wanted = defaultdict(set)  # (related model, target attribute) → values to read
    for event in events:
        user_id = (event.pgh_context or {}).get("user")
        if user_id is not None:
            wanted[user_model, user_model._meta.pk.attname].add(user_id)
        for column, values in (event.pgh_diff or {}).items():
            field = columns.get(column)
            if field is not None and field.is_relation:
                wanted[_target(field)].update(value for value in values if value is not None)
    related = {key: _rows_by(*key, values) for key, values in wanted.items()}
    users = related.get((user_model, user_model._meta.pk.attname), {})
    for event in events:
        context = event.pgh_context or {}
        event.user = users.get(context.get("user")) or context.get("username")
        event.kind = event.pgh_label
        diff = sorted((event.pgh_diff or {}).items())
        event.changes = [_change(columns[column], values, related) for column, values in diff if column in columns]
    return events


def _change(field, values, related):
    """(label, old value, new value) of one field's change."""
    before, after = values
    return str(field.verbose_name), _shown(field, before, related), _shown(field, after, related)


def _rows_by(model, attname, values):
    """The rows of `model` whose `attname` is one of `values`, by that value (one query)."""
    return {getattr(row, attname): row for row in model._base_manager.filter(**{f"{attname}__in": values})}


def _target(field):
    """The related model of a foreign key and the attribute its stored value refers to."""
    return field.related_model, field.target_field.attname


def _shown(field, value, related):
    """A stored (JSON) value as the portal shows it; None for an empty one."""
    if value is None or value == "":
        return None
    if field.is_relation:
        row = related.get(_target(field), {}).get(value)
        return str(row) if row is not None else gettext("%(value)s (sudah dihapus)") % {"value": value}
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return gettext("Ya") if value else gettext("Tidak")
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else str(value)
    if isinstance(field, models.DateField):
        day = parse_date(str(value))
        return date_format(day) if day else str(value)
    if isinstance(field, models.DecimalField | models.FloatField):
        return localize(Decimal(str(value)))
    if isinstance(field, models.FileField):
        return PurePath(str(value)).name
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
