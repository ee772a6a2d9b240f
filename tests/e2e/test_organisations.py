"""Organisations: create and edit through the forms, history, concurrent edits, and read-only roles."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import OrganisationFactory, UserFactory

STALE = "telah diubah oleh pengguna lain"
NAME = "Nama*"  # the required field's label, not "Nama pimpinan"


@pytest.fixture
def blm_staff(committed_regions):
    return UserFactory(
        role="staf_blm", username="blm-budi", first_name="Budi", last_name="Santoso", regencies=("62", "63")
    )


@pytest.fixture
def other_blm_staff(committed_regions):
    return UserFactory(role="staf_blm", username="blm-wati", first_name="Wati", last_name="Lestari", regencies=("63",))


@pytest.fixture
def pemda_official(committed_regions):
    """Pejabat Pemda of Kabupaten Barito Kuala."""
    return UserFactory(role="pejabat_pemda", username="pemda-batola", regencies=("63.04",))


@pytest.fixture
def organisation(committed_regions):
    return OrganisationFactory(name="Dinas Pertanian Kabupaten Barito Kuala", phone="0511 100 100")


def history_items(page):
    return page.get_by_role("region", name="Riwayat perubahan").get_by_role("listitem")


def test_create_an_organisation_then_edit_it(live_server, page, console, blm_staff):
    log_in(page, live_server, blm_staff)
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Instansi").click()
    expect(page.get_by_role("heading", name="Instansi dan mitra", level=1)).to_be_visible()
    page.get_by_role("link", name="Tambah instansi").click()

    expect(page.get_by_role("heading", name="Tambah instansi", level=1)).to_be_visible()
    page.get_by_label(NAME, exact=True).fill("Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Barito Kuala")
    page.get_by_label("Singkatan").fill("DPMD Batola")
    page.get_by_label("Jenis").select_option(label="Dinas/OPD")
    page.get_by_label("Kabupaten/kota", exact=True).select_option(label="Kabupaten Barito Kuala (63.04)")
    page.get_by_label("Telepon").fill("0511 4799 123")
    page.get_by_role("button", name="Simpan").click()

    expect(page).to_have_url(re.compile(r"/mitra/instansi/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("Instansi ditambahkan.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Barito Kuala\s+\(DPMD Batola\)")
    )
    details = page.locator("main dl")
    expect(details).to_contain_text("Dinas/OPD")
    expect(details).to_contain_text("Kabupaten Barito Kuala, Kalimantan Selatan")  # the province follows the regency
    expect(details).to_contain_text("0511 4799 123")
    expect(history_items(page)).to_have_count(1)
    expect(history_items(page).first).to_contain_text("Dibuat oleh Budi Santoso")
    detail_url = page.url

    page.get_by_role("link", name="Ubah", exact=True).click()
    expect(page.get_by_role("heading", name="Ubah instansi", level=1)).to_be_visible()
    expect(page.get_by_label("Telepon")).to_have_value("0511 4799 123")
    page.get_by_label("Telepon").fill("0511 4799 456")
    page.get_by_role("button", name="Simpan").click()

    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("alert")).to_contain_text("Perubahan disimpan.")
    expect(details).to_contain_text("0511 4799 456")
    expect(history_items(page).first).to_contain_text("Diubah oleh Budi Santoso")
    expect(history_items(page).first).to_contain_text(re.compile(r"telepon: 0511 4799 123 → 0511 4799 456", re.I))
    expect(history_items(page).last).to_contain_text("Dibuat oleh Budi Santoso")

    # The new organisation is in the list.
    page.get_by_role("navigation", name="Lokasi halaman").get_by_role("link", name="Instansi dan mitra").click()
    expect(page.locator("#table").get_by_role("link", name=re.compile("^Dinas Pemberdayaan"))).to_be_visible()
    assert not console.csp_violations


def test_form_errors_are_shown_and_nothing_is_saved(live_server, page, console, blm_staff):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/mitra/instansi/tambah/")
    page.get_by_label(NAME, exact=True).fill("Dinas Tanpa Wilayah")
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("heading", name="Tambah instansi", level=1)).to_be_visible()
    expect(page.locator("#div_id_kind .invalid-feedback")).to_be_visible()
    expect(page.locator("#div_id_regency")).to_contain_text("Pilih kabupaten/kota dalam wilayah kerja Anda")
    expect(page.get_by_label(NAME, exact=True)).to_have_value("Dinas Tanpa Wilayah")  # the input is kept
    page.goto(f"{live_server.url}/mitra/instansi/")
    expect(page.locator("#table")).to_contain_text("Belum ada instansi yang cocok.")


def test_concurrent_edit_is_refused(live_server, page, new_page, console, blm_staff, other_blm_staff, organisation):
    edit_url = f"{live_server.url}/mitra/instansi/{organisation.pk}/ubah/"
    first = log_in(page, live_server, blm_staff)
    second = log_in(new_page(), live_server, other_blm_staff)
    first.goto(edit_url)
    second.goto(edit_url)
    expect(first.get_by_label("Telepon")).to_have_value("0511 100 100")
    expect(second.get_by_label("Telepon")).to_have_value("0511 100 100")

    first.get_by_label("Telepon").fill("0511 111 111")
    first.get_by_role("button", name="Simpan").click()
    expect(first.get_by_role("alert")).to_contain_text("Perubahan disimpan.")

    second.get_by_label("Telepon").fill("0511 222 222")
    second.get_by_role("button", name="Simpan").click()

    expect(second.locator(".alert-danger")).to_contain_text(STALE)
    expect(second.get_by_role("heading", name="Ubah instansi", level=1)).to_be_visible()  # still on the form
    expect(second.get_by_label("Telepon")).to_have_value("0511 222 222")  # their input is not thrown away
    expect(second.get_by_text("Perubahan disimpan.")).to_have_count(0)

    # The first save is kept; the refused one left no trace.
    second.goto(f"{live_server.url}/mitra/instansi/{organisation.pk}/")
    details = second.locator("main dl")
    expect(details).to_contain_text("0511 111 111")
    expect(details).not_to_contain_text("0511 222 222")
    expect(history_items(second).first).to_contain_text("Diubah oleh Budi Santoso")
    expect(second.get_by_role("region", name="Riwayat perubahan")).not_to_contain_text("Wati Lestari")

    # After reloading the form the second user can make their change.
    second.goto(edit_url)
    expect(second.get_by_label("Telepon")).to_have_value("0511 111 111")
    second.get_by_label("Telepon").fill("0511 222 222")
    second.get_by_role("button", name="Simpan").click()
    expect(second.get_by_role("alert")).to_contain_text("Perubahan disimpan.")
    expect(history_items(second).first).to_contain_text("Diubah oleh Wati Lestari")
    assert not console.csp_violations


def test_pemda_official_reads_but_cannot_add_or_edit(live_server, page, console, pemda_official, organisation):
    log_in(page, live_server, pemda_official)
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Instansi").click()

    expect(page.get_by_role("heading", name="Instansi dan mitra", level=1)).to_be_visible()
    expect(page.locator("#table").get_by_role("link", name=organisation.name)).to_be_visible()
    expect(page.get_by_role("link", name="Tambah instansi")).to_have_count(0)
    # Reading includes exporting the list.
    with page.expect_download() as download:
        page.get_by_role("link", name="Ekspor CSV").click()
    assert download.value.suggested_filename == "instansi.csv"
    assert organisation.name in download.value.path().read_text(encoding="utf-8")
    page.locator("#table").get_by_role("link", name=organisation.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(organisation.name)
    expect(page.get_by_role("link", name="Ubah", exact=True)).to_have_count(0)

    for url in ("/mitra/instansi/tambah/", f"/mitra/instansi/{organisation.pk}/ubah/"):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 403
        expect(page.get_by_role("heading", name="Akses ditolak")).to_be_visible()
        expect(page.get_by_role("button", name="Simpan")).to_have_count(0)
    assert not console.csp_violations
