"""Lists cost the same on every page: one COUNT per page, and a deep page (`?page=500`) read by its keys
first (percontohan.tables.KeysFirstPaginator) with the same rows, in the same order, as before."""

import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from percontohan.tables import KeysFirstPaginator
from regions.models import Village
from tests.villages.factories_village import idm_score, pilot
from villages import insights
from villages.models import PilotStatus

LISTS = [
    ("/desa/", "regions_village"),
    ("/kawasan/", "villages_programmearea"),
    ("/desa-percontohan/", "villages_pilotvillage"),
    ("/seleksi/", "villages_selectionround"),
    ("/perjanjian/", "agreements_agreement"),
    ("/perjanjian/komitmen/", "agreements_commitment"),
    ("/mitra/instansi/", "partners_organisation"),
]


def captured(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [query["sql"] for query in queries.captured_queries]


def listed_codes(response):
    html = response.content.decode()
    return re.findall(r'<td class="[^"]*font-monospace[^"]*"[^>]*><a href="/wilayah/desa/([\d.]+)/"', html)


@pytest.mark.parametrize(("url", "table"), LISTS)
def test_a_list_page_counts_its_rows_once(client, admin_user, url, table):
    client.force_login(admin_user)
    client.get("/")

    _response, queries = captured(client, url)

    counts = [sql for sql in queries if sql.startswith("SELECT COUNT(") and f'FROM "{table}"' in sql]
    assert len(counts) == 1, counts


def test_page_500_of_every_village_holds_the_same_rows_as_before_in_code_order(client, ministry_user):
    client.force_login(ministry_user)

    ascending = listed_codes(client.get("/desa/", {"page": 500}))
    descending = listed_codes(client.get("/desa/", {"page": 500, "sort": "-code"}))

    assert ascending == list(Village.objects.order_by("code").values_list("code", flat=True)[12475:12500])
    assert descending == list(Village.objects.order_by("-code").values_list("code", flat=True)[12475:12500])


def test_a_deep_page_sorted_by_the_index_keeps_the_order_and_the_rows_values(client, pemda_user):
    scored = list(Village.objects.filter(district__regency="63.04").order_by("code").values_list("code", flat=True))
    for rank, code in enumerate(scored[:30]):
        idm_score(code, 2024, "0.6", "0.6", "0.6", value=f"0.{7000 + rank}")
    unscored = scored[30:]
    pilot(unscored[0], PilotStatus.DESIGNATED)
    client.force_login(pemda_user)

    response = client.get("/desa/", {"page": 2, "sort": "-index_value"})

    # Highest score first, villages without one after them by code: rows 26–50.
    expected = [*reversed(scored[:5]), *unscored[:20]]
    assert listed_codes(response) == expected
    html = response.content.decode()
    row = html[html.index(f"/wilayah/desa/{unscored[0]}/") :]
    assert "Ditetapkan" in row[: row.index("</tr>")]
    assert "0,7004" in html


def test_a_deep_page_runs_the_same_queries_as_the_first(client, ministry_user):
    client.force_login(ministry_user)
    client.get("/")

    _first, first = captured(client, "/desa/")
    _deep, deep = captured(client, "/desa/?page=500")

    assert len(deep) == len(first)


def test_the_paginator_gives_the_rows_and_annotations_a_single_query_would(db):
    pilot("63.04.17.2001", PilotStatus.DESIGNATED)
    pilot("63.04.17.2005")
    villages = (
        Village.objects.filter(district__regency="63.04")
        .select_related("district")
        .annotate(pilot_status=insights.latest_pilot_status())
        .order_by("name", "code")
    )

    for number in (1, 4, 9):
        plain = Paginator(villages, 25).page(number)
        keyed = KeysFirstPaginator(villages, 25).page(number)
        assert [(v.code, v.pilot_status, v.district.name) for v in keyed] == [
            (v.code, v.pilot_status, v.district.name) for v in plain
        ]
    assert KeysFirstPaginator(villages, 25).count == 201
    assert list(KeysFirstPaginator([1, 2, 3], 2).page(2)) == [3]


def test_reading_a_page_by_its_keys_first_costs_two_queries_at_any_depth(db, django_assert_num_queries):
    villages = Village.objects.annotate(pilot_status=insights.latest_pilot_status()).order_by("code")
    paginator = KeysFirstPaginator(villages, 25)
    assert paginator.num_pages > 500

    for number in (1, 500):
        with django_assert_num_queries(2):
            assert len(list(paginator.page(number))) == 25


def test_a_table_of_a_few_rows_that_autovacuum_never_analyzes_gets_statistics_from_the_upkeep(db):
    from percontohan.indexes import analyze_unanalyzed_tables

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE few_rows_for_the_planner (id integer)")
        cursor.execute("INSERT INTO few_rows_for_the_planner SELECT generate_series(1, 4)")

        def planned_rows():
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'few_rows_for_the_planner'")
            return cursor.fetchone()[0]

        # Never analyzed: PostgreSQL would plan it as a table of unknown (large) size.
        assert planned_rows() == -1
        assert analyze_unanalyzed_tables() >= 1
        assert planned_rows() == 4
