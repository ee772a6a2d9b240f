"""The region filters of the lists in a browser: searchable pickers that load their options as the user
types (from /wilayah/cari/<level>/), narrow the list in place, and keep within the user's regions."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, pick
from tests.factories import UserFactory

BARITO_KUALA = "Kabupaten Barito Kuala (63.04)"
# The picker's accessible name; "/" is escaped for Playwright's selector.
REGENCY = re.compile(r"^\s*Kabupaten\/kota\s*$")


@pytest.fixture
def blm_staff(committed_regions):
    """Staf BLM of Kalimantan Selatan and Kalimantan Tengah."""
    return UserFactory(role="staf_blm", username="blm-filter", regencies=("62", "63"))


def regency_options(page):
    """What the regency picker offers (its own list, not the plain select it replaces)."""
    return page.get_by_role("listbox", name=REGENCY).get_by_role("option")


def village_rows(page):
    return page.locator("#table tbody tr")


def test_typing_a_regency_name_in_the_village_list_filter_narrows_the_list(live_server, page, blm_staff):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/desa/")
    table = page.locator("#table")
    expect(table).not_to_contain_text("201 desa")
    # No regency is on the page until the user types.
    expect(page.locator("select[name=regency] option")).to_have_count(1)

    pick(page, "Kabupaten/kota", "barito kua", BARITO_KUALA)

    expect(table).to_contain_text("201 desa")
    expect(page).to_have_url(re.compile(r"regency=63\.04"))
    for code in village_rows(page).locator("td.font-monospace").all_inner_texts():
        assert code.startswith("63.04.")
    # The picker, swapped in with the table, shows the chosen regency.
    expect(page.locator("select[name=regency]")).to_have_value("63.04")
    expect(page.locator(".ts-wrapper").filter(has_text=BARITO_KUALA)).to_be_visible()


def test_the_regency_picker_offers_only_the_chosen_provinces_regencies_in_scope(live_server, page, blm_staff):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/desa/")

    control = page.get_by_role("combobox", name=REGENCY)
    control.click()
    control.fill("barito")
    # Barito Kuala (Kalimantan Selatan) and the three Baritos of Kalimantan Tengah.
    expect(regency_options(page)).to_have_count(4)
    control.fill("aceh")
    expect(page.get_by_text("Tidak ada yang cocok.")).to_be_visible()
    page.keyboard.press("Escape")

    pick(page, "Provinsi", "kalimantan sel", "Kalimantan Selatan (63)")
    expect(page).to_have_url(re.compile(r"province=63"))
    control = page.get_by_role("combobox", name=REGENCY)
    control.click()
    control.fill("barito")
    expect(regency_options(page)).to_have_text([BARITO_KUALA])
