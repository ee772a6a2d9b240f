"""The base of every list's filter set: choice lists hold only what the user may see."""

import django_filters


class ScopedFilterSet(django_filters.FilterSet):
    """Narrows every model choice list through the model's `visible_to(user)` (the one scoping mechanism)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for filter_ in self.filters.values():
            queryset = getattr(filter_, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                filter_.queryset = queryset.visible_to(user)
