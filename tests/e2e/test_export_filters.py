"""The export links of a list follow the filters chosen on the page (htmx), and so does the downloaded file."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, pick
from tests.factories import UserFactory

JEJANGKIT = "63.04.17"
JEJANGKIT_VILLAGES = [f"63.04.17.200{n}" for n in range(1, 8)]


@pytest.fixture
def pemda_official(committed_regions):
    """Pejabat Pemda of Kabupaten Barito Kuala (201 villages)."""
    return UserFactory(role="pejabat_pemda", username="pemda-batola", regencies=("63.04",))


def test_filtering_the_village_list_in_place_filters_its_export(live_server, page, console, pemda_official):
    log_in(page, live_server, pemda_official)
    page.goto(f"{live_server.url}/desa/")
    table = page.locator("#table")
    csv_link = page.get_by_role("link", name="Ekspor CSV")
    expect(table).to_contain_text("201 desa")
    expect(csv_link).not_to_have_attribute("href", re.compile("district="))

    # The kecamatan picker loads its options as the user types; htmx then swaps the table in place.
    pick(page, "Kecamatan", "jejang", "Jejangkit — Kabupaten Barito Kuala (63.04.17)")

    expect(table).to_contain_text("7 desa")
    expect(page).to_have_url(re.compile(r"district=63\.04\.17"))  # pushed, so reload and back keep it
    for name in ("Ekspor CSV", "Ekspor XLSX"):
        expect(page.get_by_role("link", name=name)).to_have_attribute("href", re.compile(r"district=63\.04\.17"))
    with page.expect_download() as download:
        csv_link.click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert download.value.suggested_filename.startswith("desa")
    assert [row[0] for row in rows[1:]] == JEJANGKIT_VILLAGES
    assert {row[3] for row in rows[1:]} == {"Jejangkit"}

    page.reload()
    expect(table).to_contain_text("7 desa")
    expect(page.locator("select[name=district]")).to_have_value(JEJANGKIT)
    expect(csv_link).to_have_attribute("href", re.compile(r"district=63\.04\.17"))

    table.get_by_role("link", name="63.04.17.2005").click()  # Desa Cahaya Baru
    expect(page).to_have_url(re.compile(r"/wilayah/desa/63\.04\.17\.2005/$"))
    page.go_back()
    expect(table).to_contain_text("7 desa")
    expect(csv_link).to_have_attribute("href", re.compile(r"district=63\.04\.17"))
