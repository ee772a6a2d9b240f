"""Predicates shared by every app's `rules.py`."""

import rules


@rules.predicate
def is_editor(user):
    """Admins and BLM staff change data; officials and ministry viewers read."""
    return user.is_authenticated and user.is_editor


@rules.predicate
def is_in_scope(user, obj):
    """The record lies in the user's regions (through its model's `visible_to`)."""
    if obj is None:
        return True
    return type(obj)._default_manager.visible_to(user).filter(pk=obj.pk).exists()
