"""Indexes that serve the lists' `?q=` searches."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models.functions import Upper


def name_search_index(field, name):
    """A pg_trgm GIN index that serves `<field>__icontains`, the lists' search on a name.

    On PostgreSQL Django writes `icontains` as `UPPER(<field>::text) LIKE UPPER('%…%')`: an index on the
    column itself is not used for it, one on that same expression is (for a fragment of three characters
    or more). The pg_trgm extension comes from PostgreSQL's contrib, which Debian's server package
    includes; regions' migration 0003 creates it.
    """
    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)


def any_of(*ids):
    """The keys that any of the querysets of keys (`.values("pk")` or a foreign key) gives, as one UNION.

    For a search over several columns or related rows, `pk__in=any_of(…)` in place of OR-ed conditions:
    PostgreSQL reads an OR of conditions on different columns — or of a condition and an `IN (subquery)` —
    by reading every row, while each branch of a UNION is planned alone and reads its own index.
    """
    first, *others = (queryset.order_by() for queryset in ids)
    return first.union(*others)
