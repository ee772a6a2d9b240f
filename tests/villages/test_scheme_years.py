"""The years of a scheme's scores (the home page and every village list ask for them): newest first, read from
the (scheme, year, status) index a year at a time, never by reading every score of the scheme."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions.models import Village
from tests.regions.test_search_index import as_after_autovacuum, restore_after_rollback
from tests.villages.factories_village import idm, idm_score
from villages.insights import scheme_years
from villages.models import IndexScheme, IndexScore

ANDAMAN = "63.04.03.2001"


def test_the_years_with_scores_come_newest_first_and_only_the_schemes_own(db):
    for year in (2021, 2024, 2023):
        idm_score(ANDAMAN, year, "0.7", "0.7", "0.7")
    other = IndexScheme.objects.create(code="indeks-desa", name="Indeks Desa", value_columns="nilai")

    assert scheme_years(idm()) == [2024, 2023, 2021]
    assert scheme_years(other) == []
    assert scheme_years(None) == []


def plan_nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


@pytest.fixture
def scores_restored(django_db_blocker):
    yield
    restore_after_rollback(django_db_blocker, "villages_indexscore")


def test_the_years_are_read_a_year_at_a_time_from_the_index_not_score_by_score(scores_restored, db):
    """6,000 scores in two years: no step of the plan handles more than a few rows (SELECT DISTINCT year
    walked all 6,000 index entries; on the national IDM 2024, 74,661 of them)."""
    scheme = idm()
    status = scheme.statuses.first()
    IndexScore.objects.bulk_create(
        IndexScore(village=village, scheme=scheme, year=year, value=Decimal("0.6"), status=status)
        for village in Village.objects.order_by("code")[:3_000]
        for year in (2023, 2024)
    )
    as_after_autovacuum("villages_indexscore")
    with CaptureQueriesContext(connection) as captured:
        assert scheme_years(scheme) == [2024, 2023]
    assert len(captured) == 1

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + captured[0]["sql"])
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes = list(plan_nodes(plan[0]["Plan"]))
    assert not [node for node in nodes if node["Node Type"] == "Seq Scan"]
    assert max(node["Actual Rows"] for node in nodes) <= 3, [(n["Node Type"], n["Actual Rows"]) for n in nodes]
