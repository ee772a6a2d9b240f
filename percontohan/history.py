"""History and optimistic locking, shared by every domain model.

History is recorded by PostgreSQL triggers (django-pghistory), so bulk and
cascade writes are caught too; the middleware attaches the acting user to
every event written during a request. Concurrent edits are caught with a
version column: saving a record someone changed meanwhile raises
`StaleRecordError` instead of silently overwriting it.
"""

import pghistory
import pghistory.middleware
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


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


class VersionedModel(models.Model):
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


def _shown(fields, name, value):
    """A stored value as a person reads it: the label of a choice rather than its code."""
    field = fields.get(name)
    choices = dict(field.flatchoices) if field is not None and getattr(field, "choices", None) else None
    return choices.get(value, value) if choices else value


def history_of(obj):
    """The history events of one record, newest first, with the acting user resolved."""
    events = list(pghistory.models.Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id"))
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context and e.pgh_context.get("user")}
    users = get_user_model().objects.in_bulk(user_ids)
    fields = {f.name: f for f in type(obj)._meta.get_fields() if hasattr(f, "verbose_name")}
    for event in events:
        context = event.pgh_context or {}
        event.user = users.get(context.get("user"))
        event.kind = event.pgh_label
        event.changes = [
            (
                str(fields[name].verbose_name) if name in fields else name,
                _shown(fields, name, before),
                _shown(fields, name, after),
            )
            for name, (before, after) in sorted((event.pgh_diff or {}).items())
            if name != "version"
        ]
    return events
