"""Model instances read through SQL written once (percontohan/records.py) are the ORM's own: every field,
converted as the ORM converts it, saved as an existing row, their prefetched relations read without a
query; and the default index scheme read that way is the one the ORM would pick."""

from decimal import Decimal

import pytest
from django.db.models import Prefetch

from percontohan import records
from regions.models import RegionImport
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
