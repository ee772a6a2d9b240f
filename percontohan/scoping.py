"""The one regional scoping mechanism.

Every domain model's manager is built from `ScopedQuerySet`, and every list,
detail, form choice, export and endpoint loads records through
`Model.objects.visible_to(user)`. A model says how it reaches a regency by
overriding `scope_q(regency_codes)` on its queryset (most only name a lookup
path in `scope_lookup`).
"""

from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404


class ScopedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to what a user may see."""

    # Path from the model to a regency code, e.g. "district__regency" for a village.
    scope_lookup = None

    def scope_q(self, regency_codes):
        """A filter keeping rows inside the given regencies; override for models with several regions."""
        if self.scope_lookup is None:
            raise NotImplementedError(f"{self.model.__name__} must define how it is scoped")
        return models.Q(**{f"{self.scope_lookup}__in": regency_codes})

    def visible_to(self, user):
        """The rows `user` may see: everything for a national scope, else rows in the user's regencies."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        codes = user.scope_regency_codes
        if codes is None:
            return self
        if not codes:
            return self.none()
        return self.filter(self.scope_q(sorted(codes)))


def get_visible_or_404(queryset_or_model, user, **lookup):
    """Load one record the user may see; anything else is a 404 (no hint that it exists)."""
    queryset = queryset_or_model
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    if not hasattr(queryset, "visible_to"):
        raise Http404
    return get_object_or_404(queryset.visible_to(user), **lookup)
