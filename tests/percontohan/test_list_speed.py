"""Lists cost the same on every page: at most one COUNT per page (none for a list shorter than a page), the
first page read in one query, and a deep page (`?page=500`) read by its keys first
(percontohan.tables.KeysFirstPaginator) with the same rows, in the same order, as before."""

import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from percontohan.tables import KeysFirstPaginator
from percontohan.views_base import LIST_QUERYSETS
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


def rows_said(response):
    """How many rows the list says it holds ("83.762 desa", "2 baris")."""
    said = re.search(r'text-body-secondary mb-1">([\d.]+) (?:baris|desa)<', response.content.decode())
    return int(said.group(1).replace(".", ""))


def listed_codes(response):
    html = response.content.decode()
    return re.findall(r'<td class="[^"]*font-monospace[^"]*"[^>]*><a href="/wilayah/desa/([\d.]+)/"', html)


def counts_of(queries, table):
    return [sql for sql in queries if sql.startswith("SELECT COUNT(") and f'FROM "{table}"' in sql]


@pytest.mark.parametrize(("url", "table"), LISTS)
def test_a_list_page_counts_its_rows_at_most_once(client, admin_user, url, table):
    client.force_login(admin_user)
    client.get("/")

    _response, queries = captured(client, url)

    assert len(counts_of(queries, table)) <= 1


def test_a_list_longer_than_a_page_is_counted_once_a_shorter_one_not_at_all(client, admin_user):
    pilot("63.04.17.2001", PilotStatus.DESIGNATED)
    pilot("63.04.17.2005")
    client.force_login(admin_user)
    client.get("/")

    villages, village_queries = captured(client, "/desa/")
    pilots, pilot_queries = captured(client, "/desa-percontohan/")

    assert len(counts_of(village_queries, "regions_village")) == 1
    assert rows_said(villages) == Village.objects.count()
    assert counts_of(pilot_queries, "villages_pilotvillage") == []
    assert rows_said(pilots) == 2
    assert len(re.findall(r"/wilayah/desa/63\.04\.17\.200[15]/", pilots.content.decode())) >= 2


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


def test_the_national_village_lists_count_joins_no_region_table(client, admin_user):
    """The names a row shows come from subqueries (VillageQuerySet.with_region_names), which a COUNT drops;
    joins an annotation made would stay in the COUNT (four times as long on the national list)."""
    client.force_login(admin_user)
    client.get("/")

    _response, queries = captured(client, "/desa/")

    [count] = counts_of(queries, "regions_village")
    assert "regions_district" not in count and "regions_regency" not in count


def test_a_deep_page_runs_the_queries_of_the_second_one_more_than_the_first(client, ministry_user):
    client.force_login(ministry_user)
    client.get("/")

    _first, first = captured(client, "/desa/")
    _second, second = captured(client, "/desa/?page=2")
    _deep, deep = captured(client, "/desa/?page=500")

    # The first page skips no row and is read as it is; any other reads its keys first.
    assert len(deep) == len(second) == len(first) + 1


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

    with django_assert_num_queries(1):
        assert len(list(paginator.page(1))) == 25
    for number in (2, 500):
        with django_assert_num_queries(2):
            assert len(list(paginator.page(number))) == 25


def test_a_list_that_fits_on_its_first_page_costs_one_query_and_no_count(db, django_assert_num_queries):
    villages = Village.objects.filter(district="63.04.17").order_by("-code")
    expected = list(villages.values_list("code", flat=True))
    assert 1 < len(expected) <= 25

    for paginator in (KeysFirstPaginator(villages, 25), KeysFirstPaginator(villages, len(expected) - 1, orphans=1)):
        with django_assert_num_queries(1):
            page = paginator.page(1)
            assert [village.code for village in page] == expected
            assert paginator.count == len(expected)
            assert paginator.num_pages == 1
            assert not page.has_next()

    # One row more than a page (and its orphans): the page holds a page of rows, and the COUNT says how many.
    paginator = KeysFirstPaginator(villages, len(expected) - 2, orphans=1)
    with django_assert_num_queries(2):
        assert [village.code for village in paginator.page(1)] == expected[:-2]
        assert paginator.count == len(expected)
    assert paginator.num_pages == 2


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


# --- A list's first page and COUNT compiled once per process (ScopedListView.list_query_key) ---------


@pytest.fixture
def compiled_villages(monkeypatch):
    """The village queries the ORM compiles from here on (its compiler's as_sql), none kept from before."""
    from django.db.models.sql.compiler import SQLCompiler

    from percontohan.tables import LIST_QUERIES

    LIST_QUERIES.clear()
    LIST_QUERYSETS.clear()
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting(compiler, *args, **kwargs):
        sql, params = as_sql(compiler, *args, **kwargs)
        if compiler.query.model is Village:
            compiled.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return compiled


def test_a_village_list_asked_again_runs_its_page_and_count_without_compiling_them(
    client, ministry_user, compiled_villages
):
    client.force_login(ministry_user)
    first, first_queries = captured(client, "/desa/")
    assert len(compiled_villages) >= 2  # the page and its COUNT
    compiled_villages.clear()

    again, again_queries = captured(client, "/desa/")

    assert compiled_villages == []
    assert (
        listed_codes(again)
        == listed_codes(first)
        == list(Village.objects.order_by("code").values_list("code", flat=True)[:25])
    )
    assert rows_said(again) == rows_said(first) == Village.objects.count()
    # The same queries, run anew: a village renamed meanwhile shows its new name.
    assert len(again_queries) == len(first_queries)
    village = Village.objects.order_by("code").first()
    Village.objects.filter(pk=village.pk).update(name="Desa Nama Baru")
    assert "Desa Nama Baru" in client.get("/desa/").content.decode()


def test_compiled_village_lists_keep_each_users_scope_and_filters_apart(
    client, pemda_user, blm_user, compiled_villages
):
    pilot("63.04.17.2001", PilotStatus.DESIGNATED)
    pemda_villages = Village.objects.filter(district__regency="63.04")
    blm_villages = Village.objects.filter(district__regency__province__in=["62", "63"])
    for _round in range(2):
        client.force_login(pemda_user)
        assert rows_said(client.get("/desa/")) == pemda_villages.count()
        assert rows_said(client.get("/desa/", {"kind": "2"})) == pemda_villages.filter(code__regex=r"\.2\d{3}$").count()
        assert listed_codes(client.get("/desa/", {"pilot_status": PilotStatus.DESIGNATED})) == ["63.04.17.2001"]
        client.force_login(blm_user)
        assert rows_said(client.get("/desa/")) == blm_villages.count()
        assert listed_codes(client.get("/desa/", {"sort": "-code"}))[0] == blm_villages.order_by("-code")[0].code


def test_a_compiled_village_list_shows_the_scores_of_a_year_imported_since(client, pemda_user, compiled_villages):
    code = "63.04.17.2001"
    idm_score(code, 2023, "0.6", "0.6", "0.6", value="0.6123")
    client.force_login(pemda_user)
    assert "0,6123" in client.get("/desa/", {"q": code}).content.decode()
    assert "0,6123" in client.get("/desa/", {"q": code}).content.decode()

    idm_score(code, 2024, "0.7", "0.7", "0.7", value="0.7456")
    html = client.get("/desa/", {"q": code}).content.decode()

    # The latest year is the default one: its scores, not the SQL kept for 2023.
    assert "0,7456" in html and "0,6123" not in html


def test_a_village_list_with_an_invalid_filter_keeps_nothing(client, pemda_user, compiled_villages):
    from percontohan.tables import LIST_QUERIES

    client.force_login(pemda_user)
    response = client.get("/desa/", {"kind": "9"})

    assert response.status_code == 200
    assert LIST_QUERIES._entries == {}


def test_a_deep_village_page_asked_again_reads_its_keys_and_rows_without_compiling_them(
    client, ministry_user, compiled_villages
):
    client.force_login(ministry_user)
    codes = list(Village.objects.order_by("-code").values_list("code", flat=True)[50:100])
    first = listed_codes(client.get("/desa/", {"page": 3, "sort": "-code"}))
    compiled_villages.clear()

    again = listed_codes(client.get("/desa/", {"page": 3, "sort": "-code"}))
    other_page = listed_codes(client.get("/desa/", {"page": 4, "sort": "-code"}))

    assert first == again == codes[:25]
    # Another page: its keys' query is its own (another OFFSET); its rows are read by the same SQL.
    assert other_page == codes[25:]
    assert len(compiled_villages) == 1 and "OFFSET 75" in compiled_villages[0]


def test_a_filters_choice_list_compiled_once_still_holds_what_was_added_since_and_only_the_users(
    client, pemda_user, other_pemda_user
):
    from percontohan.filters import CHOICE_QUERIES
    from tests.villages.factories import ProgrammeAreaFactory, regency

    CHOICE_QUERIES.clear()
    ProgrammeAreaFactory(name="Kawasan Anjir Muara")
    ProgrammeAreaFactory(name="Kawasan Aceh Selatan", regency=regency("11.01"))
    client.force_login(pemda_user)
    assert "Kawasan Anjir Muara" in client.get("/desa/").content.decode()

    ProgrammeAreaFactory(name="Kawasan Tabunganen")
    html = client.get("/desa/", {"sort": "name"}).content.decode()

    assert "Kawasan Anjir Muara" in html and "Kawasan Tabunganen" in html
    assert "Kawasan Aceh Selatan" not in html
    client.force_login(other_pemda_user)
    html = client.get("/desa/", {"sort": "name"}).content.decode()
    assert "Kawasan Aceh Selatan" in html and "Kawasan Anjir Muara" not in html
    # One choice list for each of the two users' scopes, whatever the list's sort.
    assert len(CHOICE_QUERIES._entries) == 2


@pytest.mark.parametrize(
    ("url", "model_name"),
    [
        ("/kawasan/", "villages.ProgrammeArea"),
        ("/desa-percontohan/", "villages.PilotVillage"),
        ("/seleksi/", "villages.SelectionRound"),
        ("/mitra/instansi/", "partners.Organisation"),
        ("/perjanjian/", "agreements.Agreement"),
        ("/perjanjian/komitmen/", "agreements.Commitment"),
        ("/pelatihan/program/", "trainings.Programme"),
        ("/pelatihan/pelatih/", "trainings.Trainer"),
        ("/pelatihan/angkatan/", "trainings.Batch"),
        ("/pelatihan/peserta/", "trainings.Person"),
    ],
)
def test_the_lists_that_say_their_state_are_compiled_once_and_show_rows_added_since(
    client, blm_user, monkeypatch, url, model_name
):
    from django.apps import apps
    from django.db.models.sql.compiler import SQLCompiler

    from percontohan.tables import LIST_QUERIES
    from tests.agreements.factories import AgreementFactory, CommitmentFactory
    from tests.factories import OrganisationFactory
    from tests.trainings import factories as trainings
    from tests.villages.factories import PilotVillageFactory, ProgrammeAreaFactory, SelectionRoundFactory

    model = apps.get_model(model_name)
    make = {
        "ProgrammeArea": lambda: ProgrammeAreaFactory(),
        "PilotVillage": lambda: PilotVillageFactory(period_start=2020 + model.objects.count()),
        "SelectionRound": lambda: SelectionRoundFactory(),
        "Organisation": lambda: OrganisationFactory(),
        "Agreement": lambda: AgreementFactory(),
        "Commitment": lambda: CommitmentFactory(),
        "Programme": lambda: trainings.make_programme(),
        "Trainer": lambda: trainings.make_trainer(),
        "Batch": lambda: trainings.make_batch(),
        "Person": lambda: trainings.make_person(),
    }[model.__name__]
    make()
    LIST_QUERIES.clear()
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting(compiler, *args, **kwargs):
        sql = as_sql(compiler, *args, **kwargs)[0]
        # The list's page and its COUNT (not what a filter reads for its choices, e.g. the batches' years).
        if compiler.query.model is model and (" LIMIT " in sql or sql.startswith("SELECT COUNT(")):
            compiled.append(sql)
        return as_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    view = resolve(url).func.view_class
    built = []
    get_queryset = view.get_queryset
    monkeypatch.setattr(view, "get_queryset", lambda self: built.append(url) or get_queryset(self))
    LIST_QUERYSETS.clear()
    client.force_login(blm_user)
    first = client.get(url).content.decode()
    assert compiled
    assert built == [url]
    compiled.clear()

    again = client.get(url).content.decode()

    # Neither built nor compiled again (ScopedListView.list_queryset, list_query_key), yet read anew.
    assert compiled == []
    assert built == [url]
    assert again.count("<tr") == first.count("<tr")
    make()
    assert client.get(url).content.decode().count("<tr") == first.count("<tr") + 1
    # The queryset kept is only ever cloned: no request's rows stay in it for the next.
    assert all(kept._result_cache is None for kept in LIST_QUERYSETS._entries.values())


def test_the_area_list_counts_the_members_of_the_day_it_is_asked(client, pemda_user, monkeypatch):
    import datetime

    from django.utils import timezone

    from tests.villages.factories import AreaMembershipFactory, ProgrammeAreaFactory

    area = ProgrammeAreaFactory(name="Kawasan Anjir Muara")
    today = timezone.localdate()
    AreaMembershipFactory(area=area, valid_to=today)
    client.force_login(pemda_user)

    def members_shown():
        html = client.get("/kawasan/").content.decode()
        row = html[html.index("Kawasan Anjir Muara") :]
        return re.findall(r'<td class="text-end[^"]*">(\d+)</td>', row[: row.index("</tr>")])

    assert members_shown() == ["1"]
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(days=1))
    assert members_shown() == ["0"]


def test_the_overdue_commitments_listed_are_those_of_the_day_it_is_asked(client, pemda_user, monkeypatch):
    import datetime

    from django.utils import timezone

    from agreements.filters_commitments import OVERDUE
    from tests.agreements.factories import CommitmentFactory

    today = timezone.localdate()
    CommitmentFactory(description="Menyusun profil desa", due_date=today)
    client.force_login(pemda_user)

    def overdue_listed():
        return "Menyusun profil desa" in client.get("/perjanjian/komitmen/", {"status": OVERDUE}).content.decode()

    assert not overdue_listed()
    assert not overdue_listed()
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(days=1))
    assert overdue_listed()


def test_a_lists_key_holds_the_scope_the_urls_arguments_and_the_filters_but_not_the_page(rf, pemda_user, blm_user):
    from types import SimpleNamespace

    from villages.views_village import VillageListView

    def key(user, query, **kwargs):
        request = rf.get("/desa/", query)
        request.user = user
        view = VillageListView()
        view.setup(request, **kwargs)
        view.filterset = view.get_filterset(view.get_filterset_class())
        return view.list_query_key(SimpleNamespace(prefixed_page_field="page"))

    plain = key(pemda_user, {})
    assert plain is not None
    assert key(pemda_user, {"page": "3"}) == plain
    others = [
        key(blm_user, {}),
        key(pemda_user, {"kind": "2"}),
        key(pemda_user, {"sort": "name"}),
        key(pemda_user, {}, pk=7),
    ]
    assert len({plain, *others}) == 5
    assert key(pemda_user, {"kind": "9"}) is None  # an invalid filter: nothing kept


def test_a_batchs_participants_are_compiled_for_that_batch_alone(client, blm_user):
    from tests.trainings.factories import enrol, make_batch

    first, second = make_batch(), make_batch()
    enrol(first, full_name="Siti Aminah")
    enrol(second, full_name="Rahmat Hidayat")
    client.force_login(blm_user)

    for _round in range(2):
        html = client.get(f"/pelatihan/angkatan/{first.pk}/peserta/").content.decode()
        assert "Siti Aminah" in html and "Rahmat Hidayat" not in html
        html = client.get(f"/pelatihan/angkatan/{second.pk}/peserta/").content.decode()
        assert "Rahmat Hidayat" in html and "Siti Aminah" not in html


@pytest.mark.parametrize(
    "url",
    [
        *(url for url, _table in LISTS),
        "/desa/?kind=2&page=2",
        "/pelatihan/program/",
        "/pelatihan/pelatih/",
        "/pelatihan/angkatan/",
        "/pelatihan/peserta/?sex=P",
        "/pelatihan/tindak-lanjut/",
    ],
)
def test_a_list_that_matches_nothing_by_its_scope_is_an_empty_list_every_time(db, client, url):
    """A Pemda official with no regency yet: every scoped query matches nothing, which Django answers
    without running it (the SQL cannot be compiled, nor kept)."""
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="pejabat_pemda", username="pemda-tanpa-wilayah", regencies=()))

    for _twice in range(2):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<tbody" in response.content.decode()
