"""Model instances read through SQL written once (percontohan/records.py) are the ORM's own: every field,
converted as the ORM converts it, saved as an existing row, their prefetched relations read without a
query; and the default index scheme read that way is the one the ORM would pick. A prepared query gives
what the ORM gives, built and compiled once."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Prefetch, Q

from percontohan import records
from regions.models import Regency, RegionImport, Village
from villages.insights import default_scheme
from villages.models import IndexScheme, IndexStatus


def assert_same_record(ours, orms):
    assert type(ours) is type(orms)
    for field in type(orms)._meta.concrete_fields:
        assert getattr(ours, field.attname) == getattr(orms, field.attname), field.name
    assert (ours._state.adding, ours._state.db) == (False, orms._state.db)


def test_fields_are_converted_as_the_orm_converts_them(db):
    RegionImport.objects.create(source="uji", created={"63.04": "Barito Kuala"}, renamed={"daftar": [1, 2]})
    table = RegionImport._meta.db_table

    sql = f'SELECT {records.columns(RegionImport)} FROM "{table}" WHERE "{table}"."source" = %s'  # noqa: S608
    (ours,) = records.read(RegionImport, sql, ["uji"])

    assert_same_record(ours, RegionImport.objects.get(source="uji"))
    assert ours.created == {"63.04": "Barito Kuala"}  # JSON read as data, not as its text
    assert ours.renamed == {"daftar": [1, 2]}


def test_a_record_read_so_saves_as_the_row_it_is(db):
    scheme = default_scheme()
    scheme.regulation = "Permendesa PDTT No. 2 Tahun 2016"
    scheme.save()

    assert IndexScheme.objects.get(pk=scheme.pk).regulation == "Permendesa PDTT No. 2 Tahun 2016"
    assert IndexScheme.objects.count() == 1


def test_the_default_scheme_is_idm_with_its_statuses_in_two_queries(db, django_assert_num_queries):
    with django_assert_num_queries(2):
        scheme = default_scheme()
    orms = IndexScheme.objects.prefetch_related(Prefetch("statuses", queryset=IndexStatus.objects.all())).get(
        code="idm"
    )

    assert_same_record(scheme, orms)
    with django_assert_num_queries(0):
        statuses = list(scheme.statuses.all())
        assert scheme.status_for(Decimal("0.7")) == scheme.status_for(Decimal("0.7"), statuses)
    assert [status.code for status in statuses] == [status.code for status in orms.statuses.all()]
    for ours, theirs in zip(statuses, orms.statuses.all(), strict=True):
        assert_same_record(ours, theirs)


def test_without_idm_the_first_scheme_by_code_is_the_default(db):
    IndexScheme.objects.filter(code="idm").update(code="zz-lama")
    IndexScheme.objects.create(code="indeks-desa", name="Indeks Desa")

    scheme = default_scheme()

    assert scheme.code == "indeks-desa"
    assert list(scheme.statuses.all()) == []


@pytest.mark.parametrize("code", ["idm", "zz-lama"])
def test_a_scheme_named_so_is_found_by_its_code_only(db, code):
    IndexScheme.objects.create(code="aaa", name="Skema lain")
    IndexScheme.objects.filter(code="idm").update(code=code)

    assert default_scheme().code == ("idm" if code == "idm" else "aaa")


# --- Prepared: a query compiled once, run with each call's keys -------------------------------------


def villages_of(district_code):
    return Village.objects.select_related("district__regency").filter(district_id=district_code)


def test_a_prepared_query_gives_what_the_orm_gives_for_each_key(db):
    prepared = records.Prepared(villages_of)

    for district in ("63.04.03", "63.04.01", "63.71.01"):
        ours, orms = prepared(district), list(villages_of(district))
        assert [village.code for village in ours] == [village.code for village in orms] != []
        for mine, theirs in zip(ours, orms, strict=True):
            assert_same_record(mine, theirs)
            assert_same_record(mine.district.regency, theirs.district.regency)  # select_related() kept


def test_a_prepared_query_is_built_once_and_runs_one_query(db, django_assert_num_queries):
    built = []
    prepared = records.Prepared(lambda code: built.append(code) or villages_of(code))
    prepared("63.04.03")

    with django_assert_num_queries(1):
        villages = prepared("63.04.01")
        assert {village.district.regency.name for village in villages} == {"Kabupaten Barito Kuala"}
    # Once, with a stand-in (and again with another, to see that no parameter came from the key): no real key.
    assert len(built) == 2
    assert not {"63.04.03", "63.04.01"} & set(built)


def test_a_prepared_query_takes_integer_keys_too(db):
    IndexScheme.objects.create(code="indeks-lain", name="Indeks lain")
    prepared = records.Prepared(lambda pk: IndexScheme.objects.filter(pk=pk))

    for scheme in IndexScheme.objects.all():
        (found,) = prepared(scheme.pk)
        assert_same_record(found, scheme)
    assert prepared(10**9) == []


def test_a_key_the_orm_rewrites_is_refused_at_once(db):
    # A prefix search sends "63.04%", not the key: the key has no place of its own to go.
    prepared = records.Prepared(lambda code: Village.objects.filter(code__startswith=code))

    with pytest.raises(ValueError, match="parameter of its own"):
        prepared("63.04")
    with pytest.raises(TypeError, match="integers, strings, dates or lists"):
        records.Prepared(lambda amount: Village.objects.filter(retired_on__year=amount))(2.5)


def test_a_value_computed_from_a_key_is_refused_at_once(db):
    # Run with other codes, the first code would still be the stand-in's.
    with pytest.raises(ValueError, match="computed from a key"):
        records.Prepared(lambda codes: Village.objects.filter(code__in_array=codes, code__gte=codes[0]))(["63.04"])
    # A province taken from each regency's code (as an organisation's scope does): the stand-in's first
    # characters, which no real call would change: counted so, the home page showed a Pemda official of
    # Barito Kuala one organisation too few (its province's).
    with pytest.raises(ValueError, match="computed from a key"):
        records.Prepared(
            lambda codes: Regency.objects.filter(
                Q(code__in_array=codes) | Q(province__in_array=sorted({code[:2] for code in codes}))
            )
        ).sql(["63.04"])


def test_a_prepared_query_takes_a_scope_dates_and_none(db):
    from agreements.models import Agreement
    from tests.agreements.factories_documents import make_agreement

    today = date(2026, 12, 2)
    inside = make_agreement("63.04", status="berlaku", effective_to=date(2026, 12, 20))
    make_agreement("63.04", status="berlaku", effective_to=date(2027, 6, 1))  # ends later
    elsewhere = make_agreement("11.01", status="berlaku", effective_to=date(2026, 12, 10))
    built = []
    prepared = records.Prepared(
        lambda codes, start, until: (
            built.append(codes)
            or Agreement.objects.within(codes).expiring_between(start, until).order_by("effective_to")
        )
    )

    for codes, expected in (
        (["63.04"], [inside]),
        (["11.01", "63.04"], [elsewhere, inside]),
        (None, [elsewhere, inside]),
    ):
        assert prepared(codes, today, date(2026, 12, 31)) == expected
        assert prepared(codes, today, date(2026, 12, 15)) == [a for a in expected if a == elsewhere]
        assert (
            prepared(codes, date(2026, 12, 11), date(2026, 12, 31)) == [inside]
            if "63.04" in (codes or ["63.04"])
            else []
        )
    assert prepared([], today, date(2026, 12, 31)) == []
    # Once scoped (with a stand-in list, then another to check it), once for all of Indonesia (and again).
    assert len(built) == 4
    assert [codes for codes in built if codes is not None and "63.04" in codes] == []


def test_prefetched_records_of_a_reverse_key_know_their_owner(db, django_assert_num_queries):
    scheme = IndexScheme.objects.get(code="idm")
    statuses = records.Prepared(lambda pk: IndexStatus.objects.filter(scheme_id=pk))(scheme.pk)

    records.prefetched(scheme, "statuses", statuses)

    with django_assert_num_queries(0):
        assert [status.scheme for status in scheme.statuses.all()] == [scheme] * len(statuses)
        assert len(statuses) == 5  # IDM: sangat tertinggal … mandiri


def test_grouped_records_keep_their_order_under_each_owner(db):
    statuses = list(IndexStatus.objects.order_by("scheme_id", "order"))
    scheme = IndexScheme.objects.get(code="idm")

    groups = records.grouped(statuses, "scheme_id")

    assert groups[scheme.pk] == [status for status in statuses if status.scheme_id == scheme.pk] != []
    assert groups[-1] == []  # an owner without records has none


@pytest.mark.parametrize("kind", ["area", "round", "agreement"])
def test_a_record_page_asked_again_reads_its_record_and_the_write_rule_without_compiling_them(
    client, blm_user, monkeypatch, kind
):
    """The page's record (PreparedObjectMixin) and whether the editor may change it (can_edit) come from
    queries prepared once per process: the second page compiles no query of the record's model."""
    from django.db.models.sql.compiler import SQLCompiler

    from tests.agreements.factories import AgreementFactory
    from tests.villages.factories import ProgrammeAreaFactory, round_with_criteria

    record = {"area": ProgrammeAreaFactory, "round": round_with_criteria, "agreement": AgreementFactory}[kind]()
    url = record.get_absolute_url()
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting(compiler, *args, **kwargs):
        if compiler.query.model is type(record):
            compiled.append(compiler.query.model)
        return as_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    client.force_login(blm_user)
    first = client.get(url)
    assert first.status_code == 200
    assert first.context["can_edit"] is True
    compiled.clear()

    again = client.get(url)

    assert again.status_code == 200
    assert again.context["object"] == record
    assert again.context["can_edit"] is True
    assert compiled == []
