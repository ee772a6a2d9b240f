"""Indexes that serve the lists' `?q=` searches, and the planner's statistics of the tables."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import connection
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


def analyze_unanalyzed_tables():
    """ANALYZE every table PostgreSQL has no statistics of yet; returns how many.

    Autovacuum analyzes a table once 50 rows (and 10 %) changed, so a table of a few rows — the
    programme's four pilot villages — is never analyzed, and PostgreSQL plans it as if it held hundreds:
    the pilot village list read all 83,762 villages in their regency order to find its four (126 ms,
    against 0.2 ms once analyzed). Run after loading the demo and by the daily upkeep.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(relname) FROM pg_stat_user_tables"
            " WHERE last_analyze IS NULL AND last_autoanalyze IS NULL ORDER BY 1"
        )
        tables = [table for (table,) in cursor.fetchall()]
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
    return len(tables)
