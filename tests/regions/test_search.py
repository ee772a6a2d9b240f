"""The village picker's search (/wilayah/cari/): by name or code, inside the user's regions, 20 at most; and
the region pickers' search (/wilayah/cari/<provinsi|kabupaten|kecamatan>/), likewise, 50 at most."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions.models import Village
from regions.views import REGION_SEARCH_LIMIT, VILLAGE_SEARCH_LIMIT

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


# --- The region pickers' search (/wilayah/cari/<level>/) ---------------------------------


def region_search(client, user, level, **params):
    client.force_login(user)
    response = client.get(reverse("regions:region_search", args=[level]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    return response.json()["results"]


def test_a_regency_is_found_by_name_and_shown_with_its_code(client, ministry_user):
    found = region_search(client, ministry_user, "kabupaten", q="barito")

    assert found[:2] == [
        {"value": "63.04", "text": "Kabupaten Barito Kuala (63.04)"},
        {"value": "62.04", "text": "Kabupaten Barito Selatan (62.04)"},
    ]
    assert {result["value"] for result in found} == {"63.04", "62.04", "62.05", "62.13"}


def test_the_regencies_can_be_narrowed_to_the_chosen_province(client, ministry_user):
    assert codes(region_search(client, ministry_user, "kabupaten", q="barito", provinsi="63")) == ["63.04"]
    assert len(region_search(client, ministry_user, "kabupaten", provinsi="63")) == 13


def test_an_official_finds_only_their_own_regions(client, pemda_user):
    assert codes(region_search(client, pemda_user, "provinsi")) == ["63"]
    assert codes(region_search(client, pemda_user, "kabupaten")) == ["63.04"]
    assert codes(region_search(client, pemda_user, "kabupaten", q="banjar")) == []
    assert len(region_search(client, pemda_user, "kecamatan")) == 17


def test_another_regions_official_finds_no_foreign_region_by_name_or_code(client, other_pemda_user):
    assert region_search(client, other_pemda_user, "kabupaten", q="Barito Kuala") == []
    assert region_search(client, other_pemda_user, "kabupaten", q="63.04") == []
    assert region_search(client, other_pemda_user, "kecamatan", q="Jejangkit") == []
    assert region_search(client, other_pemda_user, "kecamatan", kabupaten="63.04") == []
    assert region_search(client, other_pemda_user, "provinsi", q="Kalimantan") == []


def test_a_kecamatan_is_shown_with_its_regency_and_can_be_narrowed_to_it(client, blm_user):
    found = region_search(client, blm_user, "kecamatan", q="jejangkit")
    assert found == [{"value": "63.04.17", "text": "Jejangkit — Kabupaten Barito Kuala (63.04.17)"}]
    within = codes(region_search(client, blm_user, "kecamatan", kabupaten="63.04"))
    assert len(within) == 17
    assert within == sorted(within)
    assert all(code.startswith("63.04.") for code in within)
    assert all(code.startswith("62.") for code in codes(region_search(client, blm_user, "kecamatan", provinsi="62")))


def test_a_region_is_found_by_its_code_with_or_without_dots(client, blm_user):
    assert codes(region_search(client, blm_user, "kecamatan", q="63.04.17")) == ["63.04.17"]
    assert codes(region_search(client, blm_user, "kecamatan", q="630417")) == ["63.04.17"]


def test_at_most_fifty_regions_are_returned(client, ministry_user):
    assert REGION_SEARCH_LIMIT == 50
    assert len(region_search(client, ministry_user, "kecamatan", q="a")) == REGION_SEARCH_LIMIT


def test_a_whole_province_or_a_regency_is_found_for_the_agreement_list(client, pemda_user, ministry_user):
    assert region_search(client, pemda_user, "provinsi-kabupaten", q="kalimantan") == [
        {"value": "63", "text": "Seluruh Kalimantan Selatan"}
    ]
    assert region_search(client, pemda_user, "provinsi-kabupaten", q="barito") == [
        {"value": "63.04", "text": "Kabupaten Barito Kuala"}
    ]
    assert codes(region_search(client, pemda_user, "provinsi-kabupaten")) == ["63", "63.04"]
    found = region_search(client, ministry_user, "provinsi-kabupaten")
    assert len(found) == REGION_SEARCH_LIMIT
    assert codes(found)[:38] == sorted(codes(found)[:38]) and all("." not in code for code in codes(found)[:38])


def test_an_unknown_level_finds_no_page(client, blm_user):
    client.force_login(blm_user)
    assert client.get(reverse("regions:region_search", args=["desa"]), {"q": "Andaman"}).status_code == 404


def test_the_region_search_runs_the_same_number_of_queries_for_few_or_many_matches(client, ministry_user):
    client.force_login(ministry_user)
    url = reverse("regions:region_search", args=["kecamatan"])
    client.get(url, {"q": "jejangkit"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "jejangkit"})
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"q": "a"})
    assert len(few.captured_queries) == len(many.captured_queries)


def test_an_anonymous_visitor_is_sent_to_the_login_page_by_the_region_search(client):
    response = client.get(reverse("regions:region_search", args=["kabupaten"]), {"q": "barito"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
