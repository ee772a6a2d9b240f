"""The region browser: drilling down province → regency → district → village, searching, scoping."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, open_menu
from tests.factories import UserFactory


@pytest.fixture
def blm_staff(committed_regions):
    """Staf BLM working in Kalimantan Tengah and Kalimantan Selatan."""
    return UserFactory(role="staf_blm", username="blm-wilayah", regencies=("62", "63"))


@pytest.fixture
def aceh_official(committed_regions):
    """Pejabat Pemda of Kabupaten Aceh Selatan."""
    return UserFactory(role="pejabat_pemda", username="pemda-aceh-selatan", regencies=("11.01",))


def breadcrumbs(page):
    return page.get_by_role("navigation", name="Lokasi halaman").get_by_role("listitem")


def results(page):
    return page.locator("#region-table tbody tr")


def test_click_through_to_a_village(live_server, page, console, blm_staff):
    log_in(page, live_server, blm_staff)
    open_menu(page, "Wilayah")

    expect(page.get_by_role("heading", name="Wilayah", level=1)).to_be_visible()
    expect(page.locator("#region-table")).to_contain_text("2 wilayah")
    expect(page.get_by_role("link", name="Kalimantan Tengah")).to_be_visible()
    expect(page.get_by_role("link", name="Aceh")).to_have_count(0)  # outside the user's scope
    expect(breadcrumbs(page)).to_have_text(["Beranda", "Wilayah"])

    page.get_by_role("link", name="Kalimantan Selatan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Kalimantan Selatan\s+63"))
    expect(page.get_by_role("heading", name="Kabupaten/kota", level=2)).to_be_visible()
    expect(breadcrumbs(page)).to_have_text(["Beranda", "Wilayah", "Kalimantan Selatan"])

    page.get_by_role("link", name="Kabupaten Barito Kuala", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/wilayah/kabupaten/63.04/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabupaten Barito Kuala")
    expect(page.get_by_role("heading", name="Kecamatan", level=2)).to_be_visible()
    expect(breadcrumbs(page)).to_have_text(["Beranda", "Wilayah", "Kalimantan Selatan", "Kabupaten Barito Kuala"])

    page.get_by_role("link", name="Anjir Pasar", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/wilayah/kecamatan/63.04.03/")
    expect(page.get_by_role("heading", name="Desa/kelurahan", level=2)).to_be_visible()
    expect(page.locator("#region-table")).to_contain_text("15 wilayah")
    expect(breadcrumbs(page)).to_have_text(
        ["Beranda", "Wilayah", "Kalimantan Selatan", "Kabupaten Barito Kuala", "Anjir Pasar"]
    )

    page.get_by_role("link", name="Anjir Pasar Kota", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/wilayah/desa/63.04.03.2003/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Desa Anjir Pasar Kota\s+63\.04\.03\.2003"))
    expect(breadcrumbs(page)).to_have_text(
        ["Beranda", "Wilayah", "Kalimantan Selatan", "Kabupaten Barito Kuala", "Anjir Pasar", "Anjir Pasar Kota"]
    )
    expect(breadcrumbs(page).last).to_have_attribute("aria-current", "page")

    # The breadcrumbs lead back up.
    breadcrumbs(page).get_by_role("link", name="Kabupaten Barito Kuala").click()
    expect(page).to_have_url(f"{live_server.url}/wilayah/kabupaten/63.04/")
    assert not console.csp_violations


def test_search_updates_the_results_in_place(live_server, page, console, blm_staff):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/wilayah/")
    page.evaluate("window.notReloaded = true")  # gone if the browser loads a whole new page

    page.get_by_role("searchbox", name="Cari nama atau kode").fill("anjir")

    expect(page).to_have_url(f"{live_server.url}/wilayah/?q=anjir")  # htmx pushes the search into the URL
    expect(page.locator("#region-table")).to_contain_text("25 wilayah")
    expect(results(page)).to_have_count(25)
    for name in ("Anjir Pasar Kota", "Anjir Serapat Timur", "Anjir Muara Kota"):
        expect(results(page).get_by_role("link", name=name, exact=True)).to_be_visible()
    for row in results(page).all():
        expect(row.locator("td").nth(1)).to_contain_text("Anjir", ignore_case=True)
    assert page.evaluate("window.notReloaded === true"), "the search reloaded the whole page instead of htmx"

    # Searching by code, with the dots a user copies from a Kemendagri list.
    page.get_by_role("searchbox", name="Cari nama atau kode").fill("63.04.03")
    expect(page).to_have_url(f"{live_server.url}/wilayah/?q=63.04.03")
    expect(page.locator("#region-table")).to_contain_text("15 wilayah")
    expect(results(page)).to_have_count(15)
    expect(results(page).get_by_role("link", name="Andaman", exact=True)).to_be_visible()
    codes = results(page).locator("td:first-child").all_inner_texts()
    assert len(codes) == 15 and all(code.startswith("63.04.03.") for code in codes), codes
    assert page.evaluate("window.notReloaded === true")

    # A search result leads to the village.
    results(page).get_by_role("link", name="Anjir Pasar Lama", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anjir Pasar Lama")
    assert not console.csp_violations


def test_search_finds_nothing_outside_the_scope(live_server, page, console, blm_staff):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/wilayah/?q=11.01")  # Aceh Selatan; the search works without JavaScript too

    expect(page.get_by_role("searchbox", name="Cari nama atau kode")).to_have_value("11.01")
    expect(page.locator("#region-table")).to_contain_text("0 wilayah")
    expect(page.locator("#region-table")).to_contain_text("Tidak ada wilayah yang cocok.")


def test_region_outside_the_scope_shows_the_friendly_404(live_server, page, console, aceh_official):
    log_in(page, live_server, aceh_official)

    response = page.goto(f"{live_server.url}/wilayah/kabupaten/63.04/")

    assert response.status == 404
    expect(page.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
    expect(page.get_by_text("berada di luar cakupan wilayah Anda")).to_be_visible()
    expect(page.get_by_text("Barito Kuala")).to_have_count(0)  # no hint of what is there
    page.get_by_role("link", name="Kembali ke beranda").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")
    expect(page.get_by_role("link", name="Kabupaten Aceh Selatan")).to_be_visible()
    assert not console.csp_violations


def test_navbar_collapses_on_a_phone(live_server, page, console, blm_staff):
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_server, blm_staff)
    navigation = page.get_by_role("navigation", name="Navigasi utama")
    menu_link = navigation.get_by_role("link", name="Desa", exact=True)
    toggler = navigation.get_by_role("button", name="Buka menu")

    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(menu_link).to_be_hidden()

    toggler.click()

    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(menu_link).to_be_visible()
    menu_link.click()
    expect(page).to_have_url(f"{live_server.url}/desa/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the page scrolls sideways on a phone"
    open_menu(page, "Wilayah")
    expect(page.get_by_role("heading", name="Wilayah", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the page scrolls sideways on a phone"
    assert not console.csp_violations
