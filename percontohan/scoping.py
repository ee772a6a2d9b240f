"""The one regional scoping mechanism, and the one write rule.

Reading: every domain model's manager is built from `ScopedQuerySet`, and every
list, detail, form choice, export and endpoint loads records through
`Model.objects.visible_to(user)`. A model says how it reaches a regency by
overriding `scope_q(regency_codes)` on its queryset (most only name a lookup
path in `scope_lookup`).

Writing is a separate rule: `Model.objects.editable_by(user)`. Only editors
(Admin, Staf BLM) change anything; an editor whose scope is all of Indonesia
may change every record, a regional editor only records lying wholly inside
their regencies — a record that reaches no regency (a national or provincial
organisation) or also reaches regencies outside the scope is for Admin. A model
whose read rule is wider than that overrides `edit_scope_q(regency_codes)`.
Every edit, delete, lifecycle and upload view loads its record through
`get_editable_or_404` (before the edit) and calls `check_can_save` once the
record is written (after the edit), so no edit can move a record out of the
editor's scope.
"""

import re
from functools import lru_cache, partial

import psycopg
from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Lookup
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from psycopg.types.array import ListDumper

from percontohan.records import Prepared

OUT_OF_SCOPE_MESSAGE = _(
    "Data ini tidak dapat Anda simpan seperti ini: hasilnya berada di luar wilayah kerja Anda. "
    "Instansi tingkat nasional atau provinsi dan data yang mencakup wilayah lain diubah oleh Admin."
)


@models.Field.register_lookup
class InArray(Lookup):
    """`<field>__in_array=codes`: the rows whose value is one of `codes`, sent as one array parameter
    (or, for a subquery of codes, the rows whose value it selects).

    PostgreSQL reads `x = ANY(%s)` exactly as `x IN (…)`, with the same index; but Django builds, adapts
    and sends an `IN` list one parameter per value, for every scoped query of every page — a sixth of a
    BLM's home page (its 27 regencies in each of a dozen subqueries). Every scope filter uses this lookup.
    """

    lookup_name = "in_array"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if hasattr(self.rhs, "as_sql"):
            # The codes as a subquery (a province's regencies): IN it, as `__in` would.
            rhs, rhs_params = self.process_rhs(compiler, connection)
            return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


# A relation keeps its own lookups (`regency__in_array` compares the foreign key's column).
models.ForeignObject.register_lookup(InArray)


class ListOfCodesDumper(ListDumper):
    """psycopg's array of a Python list, written once per process for each list of codes.

    Django binds parameters on the client: psycopg writes each one into the SQL, and a list element by
    element, with a regular expression and an escape for each. A scope's codes go into most queries of a
    regional user's page (27 regencies for BLM Banjarmasin): a fourteenth of their home page. A list of
    plain codes (letters, digits, dots) reads the same in any connection, so its literal is kept (256 of
    them at most); any other list is written as psycopg writes it.
    """

    SIZE = 256
    PLAIN = re.compile(r"[0-9A-Za-z._-]*")
    _literals = {}

    def quote(self, obj):
        if len(obj) < 2 or not all(type(value) is str for value in obj):
            return super().quote(obj)
        joined = "".join(obj)
        if not self.PLAIN.fullmatch(joined):
            return super().quote(obj)
        key = (type(self.sub_dumper), self.oid, tuple(obj))
        literal = self._literals.get(key)
        if literal is None:
            if len(self._literals) >= self.SIZE:
                self._literals.clear()
            literal = self._literals[key] = bytes(super().quote(obj))
        return literal


def write_lists_of_codes_once():
    """Have psycopg write lists of codes through ListOfCodesDumper (at start-up, before any connection)."""
    psycopg.adapters.register_dumper(list, ListOfCodesDumper)


def scope_keys(build, regency_codes):
    """The keys `build(regency_codes)` selects (a queryset of keys: `.values("pk")`, a foreign key, a
    UNION of them), as a subquery compiled once per process for a given list of regencies.

    A scope that reaches its regencies through other tables (an agreement through the villages, areas and
    regencies it covers; a batch through its venue and target villages) is a subquery of keys, the same
    for every query a user's page makes: built and compiled by the ORM, it was a tenth of a BLM's page.
    The subquery must not refer to the outer query (it never does: it selects keys by their regencies).
    Codes given as a subquery (a province's regencies) are built as they are, each time.
    """
    if hasattr(regency_codes, "query") or hasattr(regency_codes, "as_sql"):
        return build(regency_codes)
    sql, params = _compiled_keys(build, tuple(regency_codes))
    # The ORM's own SQL, compiled from querysets; the codes stay parameters.
    return RawSQL(sql, params, output_field=models.BigIntegerField())  # noqa: S611


@lru_cache(maxsize=1024)
def _compiled_keys(build, codes):
    # No ORDER BY: a subquery's order means nothing, and the model's default one names no selected column.
    return build(list(codes)).order_by().query.get_compiler(DEFAULT_DB_ALIAS).as_sql()


def read_scope(user):
    """The regencies whose rows `user` may see, as `within()` takes them: None for all of Indonesia, a
    sorted list of codes, or an empty list (nothing) for a visitor or a deactivated user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    codes = user.scope_regency_codes
    return None if codes is None else sorted(codes)


def is_editor(user):
    """The role half of the write rule: Admins and Staf BLM change data; the others only read."""
    return user is not None and user.is_authenticated and user.is_editor


def editable_regency_codes(user):
    """The regencies in which `user` may change records: None for all of Indonesia, an empty set for none."""
    if not is_editor(user):
        return frozenset()
    return user.scope_regency_codes


def editable_scope_state(user):
    """`editable_regency_codes(user)` as a hashable value — ("all",), () or the sorted codes — for a list
    whose rows carry `with_can_edit(user)` (its `list_query_state`)."""
    codes = editable_regency_codes(user)
    return ("all",) if codes is None else tuple(sorted(codes))


class ScopedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to what a user may see, and to what a user may change."""

    # Path from the model to a regency code, e.g. "district__regency" for a village.
    scope_lookup = None

    def scope_q(self, regency_codes):
        """A filter keeping rows inside the given regencies; override for models with several regions."""
        if self.scope_lookup is None:
            raise NotImplementedError(f"{self.model.__name__} must define how it is scoped")
        return models.Q(**{f"{self.scope_lookup}__in_array": regency_codes})

    def edit_scope_q(self, regency_codes):
        """A filter keeping rows whose every region lies in the given regencies.

        For a model that reaches exactly one regency (`scope_lookup`) that is the read filter;
        models that reach several regions, or none, override it.
        """
        return self.scope_q(regency_codes)

    def visible_to(self, user):
        """The rows `user` may see: everything for a national scope, else rows in the user's regencies."""
        return self.within(read_scope(user))

    def within(self, regency_codes):
        """The rows inside the given regencies (`read_scope(user)`): every row for None (all of Indonesia),
        none for no regency. The read rule of `visible_to`, for a query prepared once for any scope
        (percontohan.records.Prepared), which takes the user's codes as a key."""
        if regency_codes is None:
            return self
        if not regency_codes:
            return self.none()
        return self.filter(self.scope_q(sorted(regency_codes)))

    def editable_by(self, user):
        """The rows `user` may change: none for readers, everything for a national editor,
        else the rows lying wholly inside the editor's regencies."""
        codes = editable_regency_codes(user)
        if codes is None:
            return self
        if not codes:
            return self.none()
        return self.filter(self.edit_scope_q(sorted(codes)))

    def with_can_edit(self, user):
        """Rows annotated with `can_edit` (the rule of `editable_by`), for a list offering an action per row."""
        codes = editable_regency_codes(user)
        if codes is None or not codes:
            return self.annotate(can_edit=models.Value(codes is None))
        return self.annotate(can_edit=models.ExpressionWrapper(self.edit_scope_q(sorted(codes)), models.BooleanField()))


def _queryset(queryset_or_model):
    if isinstance(queryset_or_model, type):
        return queryset_or_model._default_manager.all()
    return queryset_or_model


def get_visible_or_404(queryset_or_model, user, **lookup):
    """Load one record the user may see; anything else is a 404 (no hint that it exists)."""
    queryset = _queryset(queryset_or_model)
    if not hasattr(queryset, "visible_to"):
        raise Http404
    return get_object_or_404(queryset.visible_to(user), **lookup)


def get_editable_or_404(queryset_or_model, user, **lookup):
    """Load one record for changing it.

    A user whose role does not change data gets 403 before anything is looked up; a record
    the user may not see is a 404 (no hint that it exists); one the user sees but may not
    change (a national organisation for a BLM, an agreement reaching another region) is a 403.
    """
    if not is_editor(user):
        raise PermissionDenied
    record = get_visible_or_404(queryset_or_model, user, **lookup)
    if not can_edit(user, record):
        raise PermissionDenied
    return record


def can_edit(user, record):
    """Whether `user` may change `record` (as it is stored now): the rule of `editable_by`, for one row.

    Asked of every record page a regional editor opens (its edit buttons) and of every edit, so the query
    is prepared once per process for each model (records.Prepared, the editor's regencies and the key as
    its keys); a model whose rule cannot be prepared so is asked through the ORM, as before."""
    codes = editable_regency_codes(user)
    if codes is None:
        return True
    if not codes or record.pk is None:
        return False
    model = type(record)
    query = _EDITABLE_RECORD.get(model, _NOT_YET) if isinstance(record.pk, int | str) else None
    if query is _NOT_YET:
        query = _EDITABLE_RECORD[model] = Prepared(partial(_editable_record, model))
    if query is not None:
        try:
            return bool(query(sorted(codes), record.pk))
        except (ValueError, EmptyResultSet):
            # Compiling found a parameter computed from the codes (an organisation's province), or a rule
            # no regional editor meets (reference data): the model is asked through the ORM from now on.
            _EDITABLE_RECORD[model] = None
    return model._default_manager.editable_by(user).filter(pk=record.pk).exists()


# {model: the prepared query of `can_edit`, or None for a model whose rule cannot be prepared}
_EDITABLE_RECORD = {}
_NOT_YET = object()


def _editable_record(model, codes, pk):
    """The key of the record `pk` of `model` if an editor of the regencies `codes` may change it."""
    rows = model._default_manager.all()
    return rows.filter(rows.edit_scope_q(codes), pk=pk).values_list("pk", flat=True)[:1]


def check_can_save(user, record):
    """The after-the-edit half of the write rule: refuse a written record that `user` could not change.

    Call it inside the saving transaction, once the record and its many-to-many rows are
    written: the ValidationError it raises rolls the whole edit back, so a BLM cannot move an
    organisation to Aceh, make it national, or widen an agreement beyond its working area.
    """
    if not can_edit(user, record):
        raise ValidationError(OUT_OF_SCOPE_MESSAGE, code="out_of_scope")
