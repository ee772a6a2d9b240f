"""Model instances read from the database: every portal model's base (`PortalModel`), and SQL written once
per process for the few fixed queries that run on most pages (the signed-in user, the default index scheme).

The ORM builds and compiles a query anew each time it runs, which for such small queries costs several
times the query itself (a scheme and its statuses: 2.4 ms of CPU against 0.4 ms). Here a caller writes its
SQL once, selecting `columns(Model)` first, and `read()` makes the instances as the ORM would: every
concrete field, through the same conversions from the database, not marked as new; then any annotations
the SQL selects after them. `prefetched()` hands an instance's related records to it as
prefetch_related() would, so `instance.things.all()` runs no query.
"""

import functools

from django.db import connections, models, router
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


class PortalModel(models.Model):
    """The base of every portal model: a row read from the database becomes an instance without going
    through `Model.__init__`.

    `from_db()` is Django's documented place to change how instances are loaded. Django's own calls
    `__init__`, which sends two signals and sets the fields one by one — about 5 µs for a village, 9 µs for
    a commitment, where putting the values in place takes 1.5–2 µs; a list of 100 villages (each with its
    district, regency and province) makes 400 of them. The instance is the same: every field's value, not
    marked as new, the database and fetch mode noted. Django's way is kept whenever it does more: some
    fields deferred (only(), defer()), a receiver of `pre_init` / `post_init` connected, or a model with
    an `__init__` of its own.
    """

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        attnames = _attnames(cls)
        if attnames is None or len(values) != len(attnames) or pre_init.receivers or post_init.receivers:
            return super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        instance = cls.__new__(cls)
        # A field's descriptor, where it has one, reads from and writes to the instance's __dict__ by the
        # field's attname, so the values go straight there.
        instance.__dict__.update(zip(attnames, values, strict=True))
        state = instance._state = ModelState()
        state.adding, state.db = False, db
        if fetch_mode is not None:
            state.fetch_mode = fetch_mode
        return instance


@functools.cache
def _attnames(model):
    """The attribute of each concrete field, in the order of a row's values; None for a model that has an
    `__init__` of its own, which must run."""
    if model.__init__ is not models.Model.__init__:
        return None
    return tuple(field.attname for field in model._meta.concrete_fields)


def columns(model):
    """The SELECT list of every concrete field of `model`, table-qualified, in the model's order."""
    return _layout(model, router.db_for_read(model))[0]


def read(model, sql, params=(), annotations=()):
    """The instances of `model` that `sql` selects: `columns(model)`, then one column per annotation."""
    db = router.db_for_read(model)
    _select, attnames, converters = _layout(model, db)
    connection = connections[db]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    count = len(attnames)
    records = []
    for row in rows:
        values = list(row[:count])
        for index, expression, functions in converters:
            for function in functions:
                values[index] = function(values[index], expression, connection)
        record = model.from_db(db, attnames, values)
        for name, value in zip(annotations, row[count:], strict=True):
            setattr(record, name, value)
        records.append(record)
    return records


def prefetched(instance, name, records):
    """Give `instance` its related `records` (the reverse relation `name`) as prefetch_related() does."""
    manager = getattr(instance, name)
    # Where Django's prefetch keeps them: a many-to-many manager names it, a reverse foreign key's is its field's.
    cache_name = getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name
    queryset = manager.all()
    queryset._result_cache = list(records)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[cache_name] = queryset
    return instance


@functools.cache
def _layout(model, db):
    meta = model._meta
    connection = connections[db]
    fields = meta.concrete_fields
    select = ", ".join(
        f"{connection.ops.quote_name(meta.db_table)}.{connection.ops.quote_name(f.column)}" for f in fields
    )
    converters = []
    for index, field in enumerate(fields):
        expression = field.get_col(meta.db_table)
        functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        if functions:
            converters.append((index, expression, functions))
    return select, [field.attname for field in fields], converters
