"""Uploading an IDM file in the browser: a bad row fails the whole import with its row number, nothing
changes; the corrected file is imported and the villages show their scores."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, open_menu
from tests.factories import UserFactory
from tests.villages.factories import ANDAMAN, ANJIR_PASAR_KOTA

HEADER = "kode_desa,tahun,nama_desa,iks,ike,ikl,idm,status,keterangan"
# Real IDM rows of Barito Kuala (../shared/data/idm/idm_barito_kuala_2023_2024.csv).
ROWS = [
    "63.04.03.2001,2023,ANDAMAN,0.7143,0.5833,0.8667,0.7214,MAJU,",
    "63.04.03.2001,2024,ANDAMAN,0.7143,0.6667,0.8667,0.7492,MAJU,",
    "63.04.03.2003,2024,ANJIR PASAR KOTA,0.7486,0.85,1,0.8662,MANDIRI,",
    "63.04.17.2005,2024,CAHAYA BARU,0.8114,0.65,1,0.8205,MANDIRI,",
]
BAD_ROWS = [*ROWS[:3], ROWS[3].replace("0.65", "enam lima")]  # file line 5: a score that is not a number
NO_SCORE = "Belum ada nilai indeks untuk desa ini."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def blm_staff(committed_regions):
    return UserFactory(
        role="staf_blm", username="blm-budi", first_name="Budi", last_name="Santoso", regencies=("62", "63")
    )


def upload(page, name, rows):
    expect(page.get_by_label("Skema indeks").locator("option:checked")).to_contain_text("IDM")  # the default
    page.get_by_label("Berkas").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": "\n".join([HEADER, *rows, ""]).encode()}]
    )
    page.get_by_role("button", name="Unggah dan impor").click()
    expect(page).to_have_url(re.compile(r"/indeks/impor/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile(f"^Impor nilai indeks\\s+{re.escape(name)}"))).to_be_visible()


def test_a_bad_row_fails_the_import_and_nothing_changes_then_the_corrected_file_is_imported(
    live_server, page, console, blm_staff
):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/wilayah/desa/{ANDAMAN}/")
    expect(page.get_by_text(NO_SCORE)).to_be_visible()

    open_menu(page, "Indeks desa")
    page.get_by_role("link", name="Impor nilai indeks").click()
    expect(page.get_by_role("heading", name="Impor nilai indeks desa", level=1)).to_be_visible()
    expect(page.get_by_text("Belum ada impor.")).to_be_visible()

    # --- A file with one bad row: the import fails as a whole ---
    upload(page, "idm-batola-2024-salah.csv", BAD_ROWS)
    progress = page.locator("#import-progress")
    expect(progress.locator(".badge")).to_have_text("Gagal — tidak ada yang diubah")
    expect(progress.get_by_role("alert")).to_contain_text("Impor gagal — tidak ada yang diubah.")
    expect(progress.get_by_role("alert")).to_contain_text("Perbaiki baris berikut, lalu unggah ulang berkasnya.")
    expect(progress).to_contain_text("4 dari 4 baris diperiksa")
    errors = page.locator("#import-errors")
    expect(errors.locator("caption")).to_have_text("1 baris bermasalah")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr td").nth(0)).to_have_text("5")
    expect(errors.locator("tbody tr td").nth(1)).to_have_text("ike")
    expect(errors.locator("tbody tr td").nth(2)).to_have_text("'enam lima' bukan angka")
    expect(page.locator("#import-counts")).to_have_count(0)
    expect(progress).not_to_have_attribute("hx-get", re.compile("."))  # finished: the polling has stopped

    # Nothing changed: the good rows of the file were not imported either.
    for code in (ANDAMAN, ANJIR_PASAR_KOTA):
        page.goto(f"{live_server.url}/wilayah/desa/{code}/")
        expect(page.get_by_text(NO_SCORE)).to_be_visible()
        expect(page.locator(".index-table")).to_have_count(0)

    # The failed import is listed on the upload page.
    page.goto(f"{live_server.url}/indeks/impor/")
    recent = page.locator("main table tbody tr")
    expect(recent).to_have_count(1)
    expect(recent.first).to_contain_text("idm-batola-2024-salah.csv")
    expect(recent.first).to_contain_text("Gagal — tidak ada yang diubah")

    # --- The corrected file ---
    upload(page, "idm-batola-2024.csv", ROWS)
    progress = page.locator("#import-progress")
    expect(progress.locator(".badge")).to_have_text("Selesai")
    expect(progress.get_by_role("status")).to_contain_text("Impor selesai pada")
    expect(page.locator("#import-errors")).to_have_count(0)
    counts = page.locator("#import-counts .card-body")
    expect(counts).to_have_count(6)
    for position, text in enumerate(
        ("4 ditambahkan", "0 diperbarui", "0 tidak berubah", "0 kode tidak cocok", "0 baris tanpa nilai")
    ):
        expect(counts.nth(position)).to_have_text(re.compile(r"\s*".join(text.split(" ", 1))))
    expect(counts.nth(5)).to_have_text(re.compile(r"0\s*di luar wilayah kerja"))

    page.goto(f"{live_server.url}/indeks/impor/")
    recent = page.locator("main table tbody tr")
    expect(recent).to_have_count(2)
    expect(recent.first).to_contain_text("idm-batola-2024.csv")
    expect(recent.first).to_contain_text("Selesai")

    # The villages now show their IDM values.
    page.goto(f"{live_server.url}/wilayah/desa/{ANDAMAN}/")
    expect(page.get_by_text(NO_SCORE)).to_have_count(0)
    expect(page.locator("main h1 ~ .badge")).to_contain_text("IDM 2024: Maju")
    expect(page.locator(".stat-card")).to_contain_text("0,7492")
    table_rows = page.locator(".index-table tbody tr")
    expect(table_rows).to_have_count(2)
    expect(table_rows.nth(0)).to_contain_text(re.compile(r"2024\s*0,7492\s*0,7143\s*0,6667\s*0,8667\s*Maju"))
    expect(table_rows.nth(1)).to_contain_text(re.compile(r"2023\s*0,7214\s*0,7143\s*0,5833\s*0,8667\s*Maju"))
    expect(page.locator("canvas[data-index-chart]")).to_be_visible()

    page.goto(f"{live_server.url}/wilayah/desa/{ANJIR_PASAR_KOTA}/")
    expect(page.locator(".stat-card")).to_contain_text("0,8662")
    expect(page.locator(".stat-card")).to_contain_text("Mandiri")
    assert not console.csp_violations
