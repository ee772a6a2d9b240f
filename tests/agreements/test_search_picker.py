"""Choosing an organisation or an agreement in the list filters by typing (percontohan.forms.RecordPicker):
the page carries only the chosen option, the searches answer within the user's scope, and the filter
still accepts only what the user may see."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Organisation
from tests.agreements.factories import CommitmentFactory, SignedAgreementFactory, dinas, kemendes
from tests.factories import OrganisationFactory

AGREEMENTS = reverse("agreements:agreement_list")
EMPTY = ("", "— Semua —")
COMMITMENTS = reverse("agreements:commitment_list")


def search(client, user, name, **params):
    client.force_login(user)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    return response.json()["results"]


def texts(results):
    return [result["text"] for result in results]


@pytest.fixture
def organisations(db):
    """A Dinas of Barito Kuala, one of Aceh Selatan, and the ministry (national: everyone sees it)."""
    return {
        "barito_kuala": dinas("Dinas PMD Barito Kuala"),
        "aceh_selatan": dinas("Dinas PMD Aceh Selatan", "11.01"),
        "ministry": kemendes(),
    }


def test_an_organisation_is_found_by_name_or_short_name(client, ministry_user, organisations):
    assert texts(search(client, ministry_user, "partners:organisation_search", q="dinas pmd")) == [
        "Dinas PMD Aceh Selatan",
        "Dinas PMD Barito Kuala",
    ]
    (found,) = search(client, ministry_user, "partners:organisation_search", q="Kemendes")
    assert found == {"value": organisations["ministry"].pk, "text": organisations["ministry"].name}


def test_each_official_finds_only_the_organisations_they_may_see(client, pemda_user, other_pemda_user, organisations):
    assert texts(search(client, pemda_user, "partners:organisation_search", q="Dinas")) == ["Dinas PMD Barito Kuala"]
    assert texts(search(client, other_pemda_user, "partners:organisation_search", q="Dinas")) == [
        "Dinas PMD Aceh Selatan"
    ]
    assert organisations["ministry"].name in texts(search(client, other_pemda_user, "partners:organisation_search"))


def test_at_most_twenty_organisations_are_returned_by_name(client, ministry_user, db):
    for n in range(25):
        OrganisationFactory(name=f"Dinas Uji {n:02d}")

    found = texts(search(client, ministry_user, "partners:organisation_search", q="Dinas Uji"))

    assert found == [f"Dinas Uji {n:02d}" for n in range(20)]


def test_an_agreement_is_found_by_number_or_title_newest_first(client, ministry_user, db):
    older = SignedAgreementFactory(number="NK.01/2019", title="Kerja sama lama", signed_on="2019-02-01")
    newer = SignedAgreementFactory(number="NK.02/2021", title="Kerja sama desa percontohan", signed_on="2021-03-01")

    assert [r["value"] for r in search(client, ministry_user, "agreements:agreement_search", q="kerja sama")] == [
        newer.pk,
        older.pk,
    ]
    (found,) = search(client, ministry_user, "agreements:agreement_search", q="NK.01")
    assert found["text"] == "NK.01/2019 — Kerja sama lama"


def test_an_official_of_another_region_finds_no_agreement_of_barito_kuala(client, other_pemda_user, db):
    SignedAgreementFactory(number="NK.01/2020", title="Desa percontohan Barito Kuala")

    assert search(client, other_pemda_user, "agreements:agreement_search", q="Barito") == []


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    for name in ("partners:organisation_search", "agreements:agreement_search"):
        response = client.get(reverse(name), {"q": "Dinas"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def options(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


def test_the_lists_carry_no_list_of_organisations_or_agreements(client, admin_user, organisations):
    CommitmentFactory()
    client.force_login(admin_user)

    with CaptureQueriesContext(connection) as queries:
        agreements = client.get(AGREEMENTS).content.decode()
        commitments = client.get(COMMITMENTS).content.decode()

    assert options(agreements, "party") == [EMPTY]
    assert options(commitments, "organisation") == [EMPTY]
    assert options(commitments, "agreement") == [EMPTY]
    assert 'data-search-url="/mitra/instansi/cari/"' in agreements
    assert 'data-search-url="/perjanjian/cari/"' in commitments
    assert not [q for q in queries.captured_queries if 'FROM "partners_organisation"' in q["sql"].split(" WHERE")[0]]


def test_a_chosen_party_is_shown_chosen_and_filters_the_list(client, admin_user, organisations):
    commitment = CommitmentFactory()
    party = commitment.party.organisation
    client.force_login(admin_user)

    agreements = client.get(AGREEMENTS, {"party": party.pk}).content.decode()
    commitments = client.get(
        COMMITMENTS, {"organisation": party.pk, "agreement": commitment.agreement.pk}
    ).content.decode()

    assert options(agreements, "party") == [EMPTY, (str(party.pk), party.name)]
    assert options(commitments, "agreement")[1] == (str(commitment.agreement.pk), str(commitment.agreement))
    assert commitment.description in commitments


def test_an_organisation_out_of_scope_is_refused_by_the_filter(client, pemda_user, organisations):
    client.force_login(pemda_user)
    foreign = organisations["aceh_selatan"]

    html = client.get(AGREEMENTS, {"party": foreign.pk}).content.decode()

    assert options(html, "party") == [EMPTY]
    assert "is-invalid" in re.search(r'<select name="party"[^>]*>', html).group(0)
    assert Organisation.objects.filter(pk=foreign.pk).exists()


def test_an_over_long_search_is_cut_to_a_search_boxs_length_and_answered(client, ministry_user, organisations):
    assert search(client, ministry_user, "partners:organisation_search", q="Dinas PMD Barito Kuala" + "x" * 5000) == []
    assert search(client, ministry_user, "agreements:agreement_search", q="y" * 5000) == []
