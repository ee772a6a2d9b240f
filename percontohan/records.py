"""Model instances read from the database: every portal model's base (`PortalModel`), and SQL written once
per process for the few fixed queries that run on most pages (the signed-in user, the default index scheme).

The ORM builds and compiles a query anew each time it runs, which for such small queries costs several
times the query itself (a scheme and its statuses: 2.4 ms of CPU against 0.4 ms). Here a caller writes its
SQL once, selecting `columns(Model)` first, and `read()` makes the instances as the ORM would: every
concrete field, through the same conversions from the database, not marked as new; then any annotations
the SQL selects after them. `prefetched()` hands an instance's related records to it as
prefetch_related() would, so `instance.things.all()` runs no query.
"""

import copy
import functools
import threading
from collections import OrderedDict, defaultdict
from datetime import date, timedelta
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
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
    marked as new, the database and fetch mode noted. With some fields deferred (only(), defer()) the
    loaded ones are put in place and the others left out, as `__init__` leaves them, for their descriptor
    to read when asked. Django's way is kept whenever it does more: a receiver of `pre_init` / `post_init`
    connected, or a model with an `__init__` of its own.
    """

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        attnames = _attnames(cls)
        if attnames is None or pre_init.receivers or post_init.receivers:
            return super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        instance = cls.__new__(cls)
        # A field's descriptor, where it has one, reads from and writes to the instance's __dict__ by the
        # field's attname, so the values go straight there. A full row is in the fields' order; a row
        # with fields deferred holds the values of `field_names` (attnames), in their order.
        loaded = attnames if len(values) == len(attnames) else field_names
        instance.__dict__.update(zip(loaded, values, strict=True))
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


NONE = type(None)


def _shifted(text):
    return "".join(chr(ord(character) + 1) for character in text)


class CompiledSQL(NamedTuple):
    """A query's SQL and its parameters, compiled before (Prepared.sql)."""

    sql: str
    params: tuple


STAND_IN_MARK = "\x1fprepared stand-in"


class Prepared:
    """A query of fixed shape whose SQL the ORM builds and compiles once per process, then runs with each
    call's keys.

    `build(*keys)` returns the queryset for some keys: primary or foreign keys (integers or strings), dates,
    a list of codes (a scope, `within(codes)`), or None. It is built once with stand-in keys and compiled;
    each call runs that SQL with its own keys in their places, and the ORM makes the instances as it always
    does, select_related() included. Building and compiling cost 0.5–1 ms a query, more than running the
    small queries of a record's page. So `build` may vary in nothing but its keys, and must pass each key
    to the ORM as it is, never a value computed from it (today + 30 days is a key of its own). A None key
    gives a query of another shape (no scope: all of Indonesia), compiled once too, with None as it is.
    A list stand-in is no regency code: a scope on Village itself (`Village.objects.within`) would lose
    the span of codes it is also said with (regions.models.VillageQuerySet); scope related rows instead.
    """

    # Stand-ins no real key equals (a date no record has; the integer within an integer column's range,
    # not a small integer's: Django compiles a value out of a column's range as matching nothing), so each
    # is found among the compiled query's parameters.
    STAND_INS = {
        int: -2_000_000_000,
        str: f"{STAND_IN_MARK} ",
        list: [f"{STAND_IN_MARK} list "],
        date: date(1, 1, 1),
    }
    # Others, each character of their text another, to find a parameter computed from a key (_compile).
    OTHER_STAND_INS = {
        int: -1_900_000_000,
        str: _shifted(STAND_INS[str]),
        list: [_shifted(STAND_INS[list][0])],
        date: date(2, 2, 2),
    }

    def __init__(self, build):
        self.build = build
        self._compiled = {}

    def __call__(self, *keys):
        """The instances the query selects for these keys, as a list."""
        queryset, compiler, sql, params = self._with_keys(keys)
        return run_compiled(queryset, compiler, sql, params)

    def sql(self, *keys):
        """The query's SQL and its parameters for these keys, to run inside another query (the home page
        counts its figures in one: percontohan.registry.count_each)."""
        _queryset, _compiler, sql, params = self._with_keys(keys)
        return CompiledSQL(sql, tuple(params))

    def _with_keys(self, keys):
        kinds = tuple(type(key) for key in keys)
        compiled = self._compiled.get(kinds) or self._compile(kinds)
        queryset, compiler, sql, params, places = compiled
        params = list(params)
        for place, index in places:
            params[place] = keys[index]
        return queryset, compiler, sql, params

    def _compile(self, kinds):
        stand_ins = [self._stand_in(kind, index) for index, kind in enumerate(kinds)]
        queryset = self.build(*stand_ins)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        places = [
            (place, index)
            for place, param in enumerate(params)
            for index, stand_in in enumerate(stand_ins)
            if type(param) is type(stand_in) and param == stand_in
        ]
        if {index for _place, index in places} != {index for index, kind in enumerate(kinds) if kind is not NONE}:
            raise ValueError("Each key of a prepared query must reach its SQL as a parameter of its own.")
        # Built again with the other stand-ins: the same SQL, with the keys in the same places and every
        # other parameter the same, or some parameter was computed from a key (a province from a
        # regency's code, a span of codes), which the keys of a later call would not reach.
        others = [self._stand_in(kind, index, other=True) for index, kind in enumerate(kinds)]
        other = self.build(*others)
        other_sql, other_params = other.query.get_compiler(using=other.db).as_sql()
        matched = dict(places)
        if (
            other_sql != sql
            or len(other_params) != len(params)
            or any(
                other_params[place] != (others[matched[place]] if place in matched else param)
                for place, param in enumerate(params)
            )
        ):
            raise ValueError("A prepared query's parameter was computed from a key: make it a key of its own.")
        self._compiled[kinds] = compiled = (queryset, compiler, sql, tuple(params), places)
        return compiled

    def _stand_in(self, kind, index, other=False):
        if kind is NONE:
            return None
        if kind not in self.STAND_INS:
            raise TypeError(f"A prepared query's keys are integers, strings, dates or lists, not {kind.__name__}.")
        stand_in = (self.OTHER_STAND_INS if other else self.STAND_INS)[kind]
        if kind is int:
            return stand_in - index
        if kind is date:
            return stand_in + timedelta(days=index)
        if kind is list:
            return [f"{stand_in[0]}{index}"]
        return f"{stand_in}{index}"


def run_compiled(queryset, compiler, sql, params):
    """The instances `queryset` selects, read with SQL compiled before (by `compiler`, for a queryset of
    the same shape): the ORM makes them as it always does, select_related() and annotations included."""
    runner = copy.copy(compiler)
    runner.connection = connections[queryset.db]
    runner.as_sql = lambda *args, **kwargs: (sql, params)
    queryset = queryset._chain()
    queryset.query.get_compiler = lambda *args, **kwargs: runner
    return list(queryset)


class KeptUnderKeys:
    """What was built for the `size` keys used last, per process (the caller's key names everything it
    depends on)."""

    def __init__(self, size=256):
        self.size = size
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def clear(self):
        with self._lock:
            self._entries.clear()

    def _get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def _put(self, key, entry):
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return entry


class BuiltQuerysets(KeptUnderKeys):
    """Querysets built once per process under keys that name everything they depend on (a list's scope,
    the request's parameters, its state), each use given a clone of its own: building a list's queryset —
    its scope, annotations and prefetches — cost more than a millisecond a page. The queryset kept is
    never read itself, so no request sees rows another one read."""

    def get(self, key, build):
        """A clone of the queryset kept under `key`, built by `build()` when there is none."""
        queryset = self._get(key)
        if queryset is None:
            queryset = self._put(key, build())
        return queryset.all()


class CompiledQueries(KeptUnderKeys):
    """The SQL of querysets kept under keys that name everything it depends on, so that a queryset asked
    again under its key runs without being compiled (0.5–2 ms a query for a list's page and its COUNT).

    The caller's key must hold every input of the SQL: the scope's codes, the request's parameters, the
    records the filters looked up. The queryset itself is still given (and built): its model, related
    objects and prefetches make the instances. The `size` keys used last are kept, per process.
    """

    def rows(self, key, queryset):
        """list(queryset), its SQL compiled once for `key`."""
        entry = self._get(key)
        if entry is None:
            compiler = queryset.query.get_compiler(using=queryset.db)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                return list(queryset)  # a query that matches nothing (an empty scope): the ORM runs none
            entry = self._put(key, (compiler, sql, tuple(params)))
        compiler, sql, params = entry
        return run_compiled(queryset, compiler, sql, params)

    def rows_with_keys(self, key, queryset, keys):
        """The records of `queryset` whose primary key is among `keys` (in no order), its SQL compiled once
        for `key` with the keys as its one array parameter (`pk__in_array`)."""
        entry = self._get(key)
        if entry is None:
            stand_in = [f"{STAND_IN_MARK} keys"]
            compiler = queryset.filter(pk__in_array=stand_in).query.get_compiler(using=queryset.db)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                sql, params = None, ()
            places = [place for place, param in enumerate(params) if param == stand_in]
            if len(places) != 1 or any(_mentions_stand_in(p) for n, p in enumerate(params) if n not in places):
                return list(queryset.filter(pk__in_array=list(keys)))
            entry = self._put(key, (compiler, sql, tuple(params), places[0]))
        compiler, sql, params, place = entry
        params = list(params)
        params[place] = list(keys)
        return run_compiled(queryset, compiler, sql, params)

    def count(self, key, queryset):
        """queryset.count(), its SQL (the ORM's own, caught as it runs) kept for `key`."""
        entry = self._get(key)
        connection = connections[queryset.db]
        if entry is not None:
            sql, params = entry
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()[0]
        caught = []

        def catch(execute, sql, params, many, context):
            caught.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(catch):
            count = queryset.count()
        # One plain SELECT (no count already known, nothing added before it): kept to run again as it is.
        if len(caught) == 1 and isinstance(caught[0][0], str) and caught[0][0].lstrip()[:6].upper() == "SELECT":
            sql, params = caught[0]
            self._put(key, (sql, tuple(params) if isinstance(params, (list, tuple)) else params))
        return count


def _mentions_stand_in(param):
    if isinstance(param, str):
        return STAND_IN_MARK in param
    if isinstance(param, (list, tuple)):
        return any(_mentions_stand_in(value) for value in param)
    return False


def prefetched(instance, name, records):
    """Give `instance` its related `records` (the reverse relation `name`) as prefetch_related() does:
    `instance.name.all()` runs no query, and each record of a reverse foreign key knows `instance`."""
    manager = getattr(instance, name)
    many_to_many = hasattr(manager, "prefetch_cache_name")
    if not many_to_many:
        for record in records:
            manager.field.set_cached_value(record, instance)
    # Where Django's prefetch keeps them: a many-to-many manager names it, a reverse foreign key's is its field's.
    cache_name = manager.prefetch_cache_name if many_to_many else manager.field.remote_field.cache_name
    queryset = manager.all()
    queryset._result_cache = list(records)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[cache_name] = queryset
    return instance


def grouped(records, attname):
    """{value of `attname`: [the records with it, in their order]}, [] for any other value: the related
    records a prepared query read for several owners, ready for `prefetched()`."""
    groups = defaultdict(list)
    for record in records:
        groups[getattr(record, attname)].append(record)
    return groups


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
