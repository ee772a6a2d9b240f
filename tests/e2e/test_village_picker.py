"""The village picker in a browser: a village is found by typing its name or its code, the agreement form's
picker searches the regencies chosen on the page, and a form sent with mistakes lists them at the top."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, pick
from tests.factories import UserFactory
from tests.villages.factories import ANDAMAN, ProgrammeAreaFactory
from villages.models import AreaMembership

ANDAMAN_LABEL = "Andaman — Kec. Anjir Pasar (63.04.03.2001)"
HILIR_MESJID_LABEL = "Hilir Mesjid — Kec. Anjir Pasar (63.04.03.2002)"
CAHAYA_BARU_LABEL = "Cahaya Baru — Kec. Jejangkit (63.04.17.2005)"


@pytest.fixture
def blm_staff(committed_regions):
    return UserFactory(role="staf_blm", username="blm-picker", regencies=("62", "63"))


@pytest.fixture
def area(committed_regions):
    return ProgrammeAreaFactory(name="Kawasan Perdesaan Anjir Pasar")


VILLAGE = re.compile(r"^\s*Desa\*?\s*$")


def village_combobox(page):
    return page.get_by_role("combobox", name=VILLAGE)


def offered(page, label=VILLAGE):
    """The options the picker lists (not those of the plain select it replaces)."""
    return page.get_by_role("listbox", name=label).get_by_role("option")


def test_a_village_is_found_by_typing_its_name_or_its_code_and_added_to_the_area(live_server, page, blm_staff, area):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/kawasan/{area.pk}/anggota/tambah/")

    control = village_combobox(page)
    control.click()
    control.fill("hilir mes")
    expect(offered(page)).to_have_text([HILIR_MESJID_LABEL])
    # A code typed without its dots.
    control.fill("6304032001")
    expect(offered(page)).to_have_text([ANDAMAN_LABEL])
    offered(page).filter(has_text=ANDAMAN_LABEL).click()

    page.get_by_role("button", name="Tambahkan").click()

    expect(page.get_by_role("alert")).to_contain_text("Andaman ditambahkan ke kawasan.")
    assert AreaMembership.objects.get(area=area).village_id == ANDAMAN


def test_a_form_sent_without_a_village_lists_the_mistake_and_its_link_reaches_the_picker(
    live_server, page, blm_staff, area
):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/kawasan/{area.pk}/anggota/tambah/")
    page.get_by_role("button", name="Tambahkan").click()

    summary = page.locator("#form-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Belum tersimpan: 1 isian perlu diperbaiki.")
    summary.get_by_role("link", name="Desa").click()
    expect(village_combobox(page)).to_be_focused()
    assert not AreaMembership.objects.exists()


def test_the_agreement_form_searches_villages_of_the_regencies_chosen_on_the_page(live_server, page, blm_staff):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/perjanjian/tambah/")
    # The picker follows the regencies chosen here: no "show villages" round trip.
    expect(page.get_by_role("button", name="Tampilkan desa")).to_be_hidden()

    label = re.compile(r"^\s*Desa yang dicakup")
    villages = page.get_by_role("combobox", name=label)
    villages.click()
    villages.fill("Cahaya")
    expect(page.get_by_role("listbox", name=label)).to_contain_text("Tidak ada yang cocok.")  # no regency yet
    expect(offered(page, label)).to_have_count(0)
    villages.press("Escape")

    pick(page, "Kabupaten/kota yang dicakup", "Barito", "Kabupaten Barito Kuala (63.04)")
    pick(page, "Desa yang dicakup", "Cahaya", CAHAYA_BARU_LABEL)
    pick(page, "Desa yang dicakup", "andaman", ANDAMAN_LABEL)

    chosen = page.locator("#id_villages").evaluate("select => Array.from(select.selectedOptions, o => o.value)")
    assert sorted(chosen) == [ANDAMAN, "63.04.17.2005"]
    # A chosen village is removed with its × button, no Ctrl-click needed.
    page.locator(".ts-wrapper .item", has_text="Cahaya Baru").get_by_role("button").click()
    chosen = page.locator("#id_villages").evaluate("select => Array.from(select.selectedOptions, o => o.value)")
    assert chosen == [ANDAMAN]
