"""A long list is exported in the background: the user follows its progress, then downloads the file."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import UserFactory


@pytest.fixture
def pemda_official(committed_regions):
    """Pejabat Pemda of Kabupaten Barito Kuala (201 villages)."""
    return UserFactory(role="pejabat_pemda", username="pemda-batola", regencies=("63.04",))


def test_a_long_export_shows_its_progress_page_then_a_download_of_every_row(
    live_server, page, console, pemda_official, settings, tmp_path
):
    settings.EXPORT_INLINE_MAX_ROWS = 50  # 201 villages: a long list here
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    log_in(page, live_server, pemda_official)
    page.goto(f"{live_server.url}/desa/")
    expect(page.locator("#table")).to_contain_text("201 desa")

    page.get_by_role("link", name="Ekspor CSV").click()

    expect(page).to_have_url(re.compile(r"/ekspor/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ekspor")
    expect(page.get_by_text("201 dari 201 baris ditulis")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Unduh desa")).click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) == 202
    assert all(row[0].startswith("63.04.") for row in rows[1:])

    page.get_by_role("link", name="Desa/kelurahan").first.click()  # back to the list it came from
    expect(page).to_have_url(re.compile(r"/desa/$"))
