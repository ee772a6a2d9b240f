"""A fingerprint of database tables, to show that a failed import changed nothing at all."""

from django.apps import apps
from django.db import connection


def tables_checksum(*models):
    """md5 of every row of the models' tables and of their history (event) tables, each read in
    primary-key order: the same before and after means not one row was added, changed or removed."""
    tracked = set(models)
    events = [model for model in apps.get_models() if getattr(model, "pgh_tracked_model", None) in tracked]
    quote = connection.ops.quote_name
    digests = []
    with connection.cursor() as cursor:
        for model in [*models, *events]:
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            rows = f"string_agg(t::text, E'\\n' ORDER BY t.{pk})"
            cursor.execute(
                f"SELECT %s || ':' || count(*) || ':' || md5(coalesce({rows}, '')) FROM {table} AS t",  # noqa: S608
                [model._meta.label],
            )
            digests.append(cursor.fetchone()[0])
    return "\n".join(digests)
