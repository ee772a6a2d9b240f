"""The village picker's search (/wilayah/cari/): by name or code, inside the user's regions, 20 at most."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions.models import Village
from regions.views import VILLAGE_SEARCH_LIMIT

SEARCH = reverse("regions:village_search")
# Desa Cahaya Baru lies in Barito Kuala (Kec. Jejangkit) and, by the same name, in Riau.
CAHAYA_BARU_BATOLA = "63.04.17.2005"
CAHAYA_BARU_RIAU = "14.04.07.2013"
ANDAMAN = "63.04.03.2001"


def search(client, user, **params):
    client.force_login(user)
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def codes(results):
    return [result["value"] for result in results]


def test_an_official_finds_only_the_namesake_in_their_own_regency(client, pemda_user):
    assert codes(search(client, pemda_user, q="Cahaya Baru")) == [CAHAYA_BARU_BATOLA]


def test_the_ministry_finds_every_namesake(client, ministry_user):
    assert set(codes(search(client, ministry_user, q="cahaya baru"))) >= {CAHAYA_BARU_BATOLA, CAHAYA_BARU_RIAU}


def test_a_result_names_the_kecamatan_and_the_code_so_namesakes_can_be_told_apart(client, pemda_user):
    [result] = search(client, pemda_user, q="Cahaya Baru")
    assert result == {"value": CAHAYA_BARU_BATOLA, "text": "Cahaya Baru — Kec. Jejangkit (63.04.17.2005)"}


def test_a_village_is_found_by_its_code_with_or_without_dots(client, blm_user):
    assert codes(search(client, blm_user, q="63.04.03.2001")) == [ANDAMAN]
    assert codes(search(client, blm_user, q="6304032001")) == [ANDAMAN]


def test_a_code_prefix_lists_the_villages_of_that_kecamatan_in_code_order(client, blm_user):
    found = codes(search(client, blm_user, q="63.04.03"))
    assert found == sorted(found)
    assert found[0] == ANDAMAN
    assert all(code.startswith("63.04.03.") for code in found)


def test_another_regions_official_gets_no_foreign_village_by_name_or_code(client, other_pemda_user):
    assert search(client, other_pemda_user, q="Andaman") == []
    assert search(client, other_pemda_user, q=ANDAMAN) == []
    assert search(client, other_pemda_user, q="63.04") == []
    assert search(client, other_pemda_user, q="Cahaya Baru", kabupaten="63.04") == []


def test_the_search_can_be_narrowed_to_some_regencies(client, ministry_user):
    assert codes(search(client, ministry_user, q="Cahaya Baru", kabupaten="63.04")) == [CAHAYA_BARU_BATOLA]
    both = codes(search(client, ministry_user, q="Cahaya Baru", kabupaten=["14.04", "63.04"]))
    assert both == [CAHAYA_BARU_RIAU, CAHAYA_BARU_BATOLA]


def test_at_most_twenty_villages_are_returned(client, blm_user):
    assert VILLAGE_SEARCH_LIMIT == 20
    assert len(search(client, blm_user, q="a")) == VILLAGE_SEARCH_LIMIT


def test_an_empty_query_finds_nothing(client, blm_user):
    assert search(client, blm_user, q="  ") == []
    assert search(client, blm_user) == []


def test_a_retired_village_is_not_offered(client, pemda_user):
    Village.objects.filter(code=ANDAMAN).update(retired_on=datetime.date(2024, 1, 1))
    assert ANDAMAN not in codes(search(client, pemda_user, q="Andaman"))


def test_the_search_runs_the_same_number_of_queries_for_few_or_many_matches(client, blm_user):
    client.force_login(blm_user)
    with CaptureQueriesContext(connection) as few:
        client.get(SEARCH, {"q": "Andaman"})
    with CaptureQueriesContext(connection) as many:
        client.get(SEARCH, {"q": "a"})
    assert len(few.captured_queries) == len(many.captured_queries)


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(SEARCH, {"q": "Andaman"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_answer_is_never_cached_for_another_user(client, blm_user):
    client.force_login(blm_user)
    response = client.get(SEARCH, {"q": "Andaman"})
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
