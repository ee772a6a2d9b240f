"""The organisation and agreement filters of the lists in a browser: pickers that load their options as
the user types (from /mitra/instansi/cari/ and /perjanjian/cari/), narrow the list in place, and offer
only what the user may see."""

import re

import pytest
from playwright.sync_api import expect

from tests.agreements.factories import CommitmentFactory, SignedAgreementFactory, dinas, kemendes
from tests.e2e.conftest import log_in, pick
from tests.factories import UserFactory

DINAS = "Dinas PMD Barito Kuala"
PKS = "PKS.03/DPMD/V/2024"
PKS_LABEL = f"{PKS} — Pendampingan BUMDes Barito Kuala"


@pytest.fixture
def blm_staff(committed_regions):
    return UserFactory(role="staf_blm", username="blm-pemilih", regencies=("62", "63"))


@pytest.fixture
def commitments(committed_regions):
    """A commitment of the ministry under an MoU, one of the Dinas under a PKS, and a Dinas of Aceh Selatan."""
    mou = SignedAgreementFactory(number="NK.02/SJ/III/2020", title="Desa percontohan Barito Kuala")
    pks = SignedAgreementFactory(
        number=PKS, title="Pendampingan BUMDes Barito Kuala", parties=[dinas(DINAS), kemendes()]
    )
    dinas("Dinas PMD Aceh Selatan", "11.01")
    return (
        CommitmentFactory(agreement=mou, party=mou.parties.get(position=1), description="Menyediakan pendamping desa"),
        CommitmentFactory(agreement=pks, party=pks.parties.get(position=1), description="Melatih pengurus BUMDes"),
    )


def rows(page):
    return page.locator("#table tbody tr")


def test_typing_a_party_and_an_agreement_narrows_the_commitments(live_server, page, console, blm_staff, commitments):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/perjanjian/komitmen/")
    expect(rows(page)).to_have_count(2)
    # No organisation and no agreement is on the page until the user types.
    expect(page.locator("select[name=organisation] option")).to_have_count(1)
    expect(page.locator("select[name=agreement] option")).to_have_count(1)

    control = page.get_by_role("combobox", name=re.compile(r"^\s*Pihak yang bertanggung jawab\s*$"))
    control.click()
    control.fill("dinas pmd")
    # The Dinas of Aceh Selatan is outside the BLM's working area.
    expect(
        page.get_by_role("listbox", name=re.compile("Pihak yang bertanggung jawab")).get_by_role("option")
    ).to_have_text([DINAS])
    page.keyboard.press("Escape")
    pick(page, "Pihak yang bertanggung jawab", "dinas pmd", DINAS)

    expect(page).to_have_url(re.compile(r"organisation=\d+"))
    expect(rows(page)).to_have_count(1)
    expect(rows(page)).to_contain_text("Melatih pengurus BUMDes")

    pick(page, "Perjanjian", "PKS.03", PKS_LABEL)
    expect(page).to_have_url(re.compile(r"agreement=\d+"))
    expect(rows(page)).to_have_count(1)
    expect(page.locator("select[name=agreement]")).to_have_value(str(commitments[1].agreement.pk))
    assert not console.csp_violations


def test_the_agreement_list_filters_by_a_party_typed(live_server, page, console, blm_staff, commitments):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/perjanjian/")
    expect(page.locator("#table")).to_contain_text("NK.02/SJ/III/2020")

    pick(page, "Pihak", "dinas pmd", DINAS)

    expect(page).to_have_url(re.compile(r"party=\d+"))
    expect(page.locator("#table")).to_contain_text(PKS)
    expect(page.locator("#table")).not_to_contain_text("NK.02/SJ/III/2020")
    assert not console.csp_violations
