"""How the read rule is said to PostgreSQL (percontohan.scoping): what a user sees must not change,
however the filter is written to be cheap.

A scope is sent as one array parameter (`in_array`), and a village's scope also as the span of codes its
regencies' villages lie in; both are checked here against the plain rule — the villages whose kecamatan
lies in one of the user's regencies — on the real national regions.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from partners.models import Organisation
from percontohan.models import User
from percontohan.scoping import _compiled_keys
from regions.models import District, Province, Regency, Village
from tests.agreements.factories_documents import make_agreement
from tests.factories import UserFactory

SCOPES = [
    pytest.param(("63.04",), id="one regency"),
    # Kalimantan Tengah and Selatan: 27 regencies, from 62.01 to 63.72.
    pytest.param(("62", "63"), id="two provinces"),
    # Regencies far apart: the span holds other regions' villages, the rule keeps them out.
    pytest.param(("11.01", "63.04", "94.71"), id="far apart"),
    # 63.09 is followed by 63.10: the span's end is a carried number, not a string's next character.
    pytest.param(("63.09",), id="carried end"),
    pytest.param(("11", "96"), id="the first and last provinces"),
]


def plain_rule(user):
    codes = set(user.scope_regencies.values_list("code", flat=True))
    return set(Village.objects.filter(district__regency__in=codes).values_list("code", flat=True))


@pytest.mark.parametrize("regions", SCOPES)
def test_a_user_sees_exactly_the_villages_of_their_regencies(db, regions):
    user = UserFactory(regencies=regions)
    user = User.objects.get(pk=user.pk)

    visible = set(Village.objects.visible_to(user).values_list("code", flat=True))

    assert visible == plain_rule(user)
    assert visible


def test_the_village_list_of_a_regional_user_starts_at_their_first_regency(db):
    # Without the span, PostgreSQL read the villages of Sumatra and Java before Kalimantan's.
    user = User.objects.get(pk=UserFactory(regencies=("62", "63")).pk)

    with CaptureQueriesContext(connection) as queries:
        first = list(Village.objects.visible_to(user).order_by("code").values_list("code", flat=True)[:3])

    assert first == ["62.01.01.1011", "62.01.01.1012", "62.01.01.1013"]
    sql = queries.captured_queries[-1]["sql"]
    assert '"regions_village"."code" >= \'62.01\'' in sql
    assert '"regions_village"."code" < \'63.73\'' in sql


@pytest.mark.parametrize(
    ("model", "expected"),
    [(Province, {"62", "63"}), (Regency, None), (District, None)],
)
def test_every_level_of_regions_is_read_through_the_scope(db, model, expected):
    user = User.objects.get(pk=UserFactory(regencies=("62", "63")).pk)
    regencies = set(user.scope_regencies.values_list("code", flat=True))

    codes = set(model.objects.visible_to(user).values_list("code", flat=True))

    if expected is not None:
        assert codes == expected
    else:
        assert {code[:5] for code in codes} == regencies


def test_a_scope_is_sent_as_one_parameter(db):
    user = User.objects.get(pk=UserFactory(role="staf_blm", regencies=("62", "63")).pk)
    assert len(user.scope_regency_codes) == 27

    with CaptureQueriesContext(connection) as queries:
        list(Village.objects.visible_to(user).values_list("code")[:1])
        list(Agreement.objects.visible_to(user).values_list("pk")[:1])
        list(Organisation.objects.editable_by(user).values_list("pk")[:1])

    assert len(queries.captured_queries) == 3
    for query in queries.captured_queries:
        assert " IN ('62.01'" not in query["sql"]
        assert "ANY('{62.01,62.02," in query["sql"]


def test_the_array_lookup_matches_in_on_a_column_and_through_a_relation(db):
    codes = ["63.04", "11.01"]

    assert set(Village.objects.filter(district__regency__in_array=codes)) == set(
        Village.objects.filter(district__regency__in=codes)
    )
    assert set(District.objects.exclude(regency_id__in_array=codes)) == set(
        District.objects.exclude(regency_id__in=codes)
    )
    assert not Regency.objects.filter(code__in_array=[]).exists()


def test_a_scope_may_be_a_subquery_of_codes(db):
    # The agreement list's region filter scopes by a province's regencies, read in the same query.
    codes = Regency.objects.filter(province="63").values("code")
    inside, outside = make_agreement("63.04"), make_agreement("11.01")

    assert set(Village.objects.filter(Village.objects.scope_q(codes))) == set(
        Village.objects.filter(district__regency__province="63")
    )
    assert set(Agreement.objects.filter(Agreement.objects.scope_q(codes))) == set(
        Agreement.objects.filter(Agreement.objects.scope_q(list(codes.values_list("code", flat=True))))
    )
    assert set(Agreement.objects.filter(Agreement.objects.scope_q(codes))) == {inside}
    assert outside not in Agreement.objects.filter(Agreement.objects.scope_q(codes))


def test_a_scope_subquery_is_compiled_once_and_still_reads_the_rows_of_the_moment(db):
    # scope_keys keeps the SQL of an agreement's scope per list of regencies, never its rows.
    user = User.objects.get(pk=UserFactory(role="staf_blm", regencies=("63.04",)).pk)
    first = make_agreement("63.04")
    assert set(Agreement.objects.visible_to(user)) == {first}
    compiled = _compiled_keys.cache_info().misses

    second, elsewhere = make_agreement("63.04"), make_agreement("11.01")

    assert set(Agreement.objects.visible_to(user)) == {first, second}
    assert set(Agreement.objects.editable_by(user)) == {first, second}
    assert _compiled_keys.cache_info().misses == compiled + 1  # the write rule's own subquery, once
    assert set(Agreement.objects.editable_by(user)) == {first, second}
    assert _compiled_keys.cache_info().misses == compiled + 1
    elsewhere.regencies.add(Regency.objects.get(code="63.04"))
    assert elsewhere in Agreement.objects.visible_to(user)
    assert elsewhere not in Agreement.objects.editable_by(user)  # it still reaches Aceh


def test_the_read_scope_of_a_user_is_what_visible_to_reads(db):
    from percontohan.scoping import read_scope

    blm = User.objects.get(pk=UserFactory(role="staf_blm", regencies=("63.71", "63.04")).pk)
    national = User.objects.get(pk=UserFactory(role="admin").pk)
    gone = User.objects.get(pk=UserFactory(role="staf_blm", regencies=("63.04",), is_active=False).pk)
    inside, outside = make_agreement("63.04"), make_agreement("11.01")

    assert read_scope(blm) == ["63.04", "63.71"]
    assert read_scope(national) is None
    assert read_scope(gone) == read_scope(None) == []
    for user in (blm, national, gone):
        assert set(Agreement.objects.within(read_scope(user))) == set(Agreement.objects.visible_to(user))
    assert set(Agreement.objects.within(read_scope(blm))) == {inside}
    assert outside in Agreement.objects.within(None)


def test_a_list_of_codes_is_written_into_the_sql_as_psycopg_writes_it_and_kept(db):
    from django.db import connection
    from psycopg.adapt import PyFormat, Transformer
    from psycopg.types.array import ListDumper

    from percontohan.scoping import ListOfCodesDumper

    connection.ensure_connection()
    lists = [["63.04", "62.01"], ["63.04", "It's \\ {x}"], [63, 7], ["63.04"], []]
    with connection.connection.cursor() as cursor:
        for values in lists:
            dumper = Transformer(cursor).get_dumper(values, PyFormat.TEXT)
            assert isinstance(dumper, ListOfCodesDumper)
            for _twice in range(2):
                assert bytes(dumper.quote(values)) == bytes(ListDumper.quote(dumper, values))
            texts = [str(value) for value in values]
            cursor.execute("SELECT %s::text[]", [texts])
            assert cursor.fetchone()[0] == texts
    assert any(key[2] == ("63.04", "62.01") for key in ListOfCodesDumper._literals)
    assert not any("It's" in "".join(map(str, key[2])) for key in ListOfCodesDumper._literals)


def test_the_prepared_write_rule_of_one_record_says_what_editable_by_says_of_every_record_of_the_demo(demo):
    """can_edit asks a query prepared once per model (records.Prepared); a model whose rule cannot be
    prepared so (reference data, which no regional editor changes) is asked through the ORM."""
    from django.apps import apps

    from percontohan.scoping import _EDITABLE_RECORD, ScopedQuerySet, can_edit

    editors = [
        User.objects.get(username="blm.banjarmasin"),
        UserFactory(role="staf_blm", username="blm-batola", regencies=("63.04",)),
        UserFactory(role="staf_blm", username="blm-aceh", regencies=("11.01",)),
    ]
    answers = []
    for model in apps.get_models():
        rows = model._default_manager.all()
        if not isinstance(rows, ScopedQuerySet) or (model.__name__ == "IndexImport") or model._meta.proxy:
            continue
        for record in rows.order_by("pk")[:40]:
            for user in editors:
                expected = model._default_manager.editable_by(user).filter(pk=record.pk).exists()
                assert can_edit(user, record) is expected, (model.__name__, record.pk, user.username)
                answers.append((model, expected))

    prepared = {model for model, query in _EDITABLE_RECORD.items() if query is not None}
    assert {"Agreement", "Commitment", "Organisation", "PilotVillage", "Batch"} <= {m.__name__ for m in prepared}
    assert {"Village", "Regency"} <= {m.__name__ for m, query in _EDITABLE_RECORD.items() if query is None}
    assert {True, False} <= {expected for model, expected in answers if model in prepared}
