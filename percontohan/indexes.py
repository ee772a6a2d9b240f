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
