"""The `?q=` name searches are served by pg_trgm indexes, not by reading every row: the village search
runs over all 83,762 villages on every keystroke of the picker.

Each test explains the SQL a page really sent (captured from the request, parameters bound as they were
sent), so an index on another expression than the one Django writes for `icontains` —
`UPPER(name::text) LIKE UPPER('%…%')` — fails here.
"""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement
from regions.models import Village
from regions.views import search_filter
from villages.models import ProgrammeArea


def explain(sql):
    """The plan of SQL as sent (its values inlined: no parameters to bind)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def searches_sent(client, user, url, **params):
    """The SQL of every name search (LIKE) the page ran."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    sent = [query["sql"] for query in captured.captured_queries if " LIKE " in query["sql"]]
    assert sent, f"{url} ran no name search"
    return sent


def as_after_autovacuum(table, *gin_indexes):
    """The table as autovacuum leaves it soon after a bulk insert: fresh planner statistics, and the GIN
    indexes' pending lists (where bulk inserts wait) merged."""
    with connection.cursor() as cursor:
        for index in gin_indexes:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute(f"ANALYZE {table}")


def restore_after_rollback(django_db_blocker, *tables):
    """After a test that bulk-inserted and analysed (its fixture set up before `db`, so this runs once the
    test's transaction is rolled back): the tables back to their size and statistics. The rows go with the
    rollback; the pages they took, the indexes' growth and ANALYZE's row counts (written in place, not
    rolled back) stay, and would mislead the planner in the next tests of the session."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        assert not connection.in_atomic_block, "request this fixture before `db` (and before any fixture using it)"
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute(f"REINDEX TABLE {table}")


@pytest.fixture
def planned_on_national_regions(db):
    """The national regions the session loaded, as autovacuum leaves them soon after an import."""
    as_after_autovacuum("regions_village", "village_name_trgm")
    as_after_autovacuum("regions_district", "district_name_trgm")


@pytest.fixture
def index_whenever_usable(db):
    """On a table of a few test rows reading them all is cheapest; forbid that (for this test's
    transaction only) to see whether the index can serve the query at all — by a sequential scan, or by
    walking a small b-tree in full (what the planner picks once a table is known to be empty)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")


def assert_searched_through(index, table, sent):
    """Some query finds the rows through the trigram index and none reads the whole table (a query
    that fetches a page of rows by their keys may repeat the search condition; the keys bound it)."""
    plans = [explain(sql) for sql in sent]
    assert any(f"Bitmap Index Scan on {index}" in plan for plan in plans), plans
    # \b: a scan of agreements_agreementparty is not one of agreements_agreement.
    assert not [plan for plan in plans if re.search(rf"Seq Scan on {table}\b", plan)]


def test_the_village_name_search_uses_the_trigram_index_on_the_national_villages(planned_on_national_regions):
    villages = search_filter(Village.objects.all(), "bahandang")

    assert Village.objects.count() > 80_000
    assert "Bitmap Index Scan on village_name_trgm" in villages.explain()
    assert sorted(villages.values_list("name", flat=True)) == ["Bahandang", "Petak Bahandang", "Petak Bahandang"]


@pytest.mark.parametrize(
    "url_name",
    ["villages:village_list", "regions:index", "regions:village_search"],
    ids=["village list", "region browser", "village picker"],
)
def test_every_page_that_searches_villages_by_name_reads_the_trigram_index(
    client, ministry_user, planned_on_national_regions, url_name
):
    sent = searches_sent(client, ministry_user, reverse(url_name), q="bahandang")

    assert_searched_through("village_name_trgm", "regions_village", sent)


def test_a_search_within_the_users_regions_reads_the_trigram_index_too(client, blm_user, planned_on_national_regions):
    sent = searches_sent(client, blm_user, reverse("villages:village_list"), q="bahandang")

    assert_searched_through("village_name_trgm", "regions_village", sent)


def test_the_kecamatan_picker_searches_all_kecamatan_through_the_trigram_index(
    client, ministry_user, planned_on_national_regions
):
    sent = searches_sent(client, ministry_user, reverse("regions:region_search", args=["kecamatan"]), q="jejangkit")

    assert_searched_through("district_name_trgm", "regions_district", sent)


def test_the_organisation_search_reads_the_indexes_of_both_names(client, ministry_user, index_whenever_usable):
    sent = searches_sent(client, ministry_user, reverse("partners:organisation_list"), q="dinas")

    plan = explain(sent[0])
    assert "Bitmap Index Scan on organisation_name_trgm" in plan
    assert "Bitmap Index Scan on organisation_short_name_trgm" in plan


@pytest.mark.parametrize(
    ("model", "lookup", "index"),
    [
        (Agreement, "title__icontains", "agreement_title_trgm"),
        (ProgrammeArea, "name__icontains", "programmearea_name_trgm"),
    ],
)
def test_an_agreement_title_or_area_name_search_can_be_served_by_its_trigram_index(
    index_whenever_usable, model, lookup, index
):
    assert f"Bitmap Index Scan on {index}" in model.objects.filter(**{lookup: "anjir"}).explain()


def test_the_planner_knows_most_villages_are_desa(planned_on_national_regions):
    # Regions migration 0005: statistics of the kind digit the village list's "Jenis" filter reads.
    from villages.filters_village import VillageFilter

    desa = VillageFilter.filter_kind(None, Village.objects.order_by(), "kind", "2")
    plan = json.loads(desa.explain(format="json"))[0]["Plan"]
    found = desa.count()

    assert found > 70_000
    assert plan["Plan Rows"] > found / 2  # without the statistics: 0.5 % of all villages, 419
