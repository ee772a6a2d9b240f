"""Logging in and out, switching the language, and the strict Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, open_menu
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def blm_staff(committed_regions):
    return UserFactory(
        role="staf_blm", username="blm-e2e", first_name="Siti", last_name="Rahmawati", regencies=("62", "63")
    )


def test_blm_staff_logs_in_and_sees_the_home_page(live_server, page, console, blm_staff):
    page.goto(f"{live_server.url}/akun/masuk/")
    expect(page.get_by_role("heading", name="Masuk ke Portal Desa Percontohan")).to_be_visible()
    page.get_by_label("Nama pengguna").fill("blm-e2e")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Selamat datang, Siti Rahmawati")
    expect(page.get_by_text("Cakupan Anda: 27 kabupaten/kota.")).to_be_visible()
    navigation = page.get_by_role("navigation", name="Navigasi utama")
    for label in ("Beranda", "Desa", "Perjanjian", "Instansi"):
        expect(navigation.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(navigation.get_by_role("link", name="Beranda", exact=True)).to_have_attribute("aria-current", "page")
    expect(navigation.get_by_role("button", name=re.compile("Siti Rahmawati"))).to_contain_text("Staf BLM")

    # Bootstrap and htmx load and run under the strict CSP (nonces, no inline code).
    assert page.evaluate("typeof bootstrap !== 'undefined' && typeof htmx !== 'undefined'")
    assert not console.csp_violations


def test_wrong_password_shows_an_error_and_stays_on_the_login_page(live_server, page, console, blm_staff):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("blm-e2e")
    page.get_by_label("Sandi").fill("bukan-sandi-yang-benar")
    page.get_by_role("button", name="Masuk", exact=True).click()

    expect(page.locator(".alert-danger")).to_contain_text("Nama pengguna atau kata sandi salah.")
    expect(page).to_have_url(re.compile(r"/akun/masuk/$"))
    expect(page.get_by_role("heading", name="Masuk ke Portal Desa Percontohan")).to_be_visible()
    expect(page.get_by_label("Nama pengguna")).to_have_value("blm-e2e")
    expect(page.get_by_role("link", name="Wilayah")).to_have_count(0)
    assert not console.csp_violations


def test_log_out_through_the_user_menu(live_server, page, console, blm_staff):
    log_in(page, live_server, blm_staff)

    keluar = page.get_by_role("button", name="Keluar")
    expect(keluar).to_be_hidden()
    page.get_by_role("button", name=re.compile("Siti Rahmawati")).click()  # Bootstrap's dropdown
    expect(keluar).to_be_visible()
    keluar.click()

    expect(page).to_have_url(f"{live_server.url}/akun/masuk/")
    expect(page.get_by_role("heading", name="Masuk ke Portal Desa Percontohan")).to_be_visible()
    # The session is gone: the region browser asks for a login again.
    page.goto(f"{live_server.url}/wilayah/")
    expect(page).to_have_url(re.compile(r"/akun/masuk/\?next=/wilayah/$"))
    assert not console.csp_violations


def test_switch_language_to_english(live_server, page, console, blm_staff):
    log_in(page, live_server, blm_staff)
    open_menu(page, "Wilayah")
    expect(page.locator("html")).to_have_attribute("lang", "id")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/wilayah/")  # back on the same page
    expect(page.get_by_role("button", name="Bahasa Indonesia")).to_be_visible()
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the choice sticks
    assert not console.csp_violations


def test_switch_language_on_the_login_page(live_server, page, console, committed_regions):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/akun/masuk/")


def test_anonymous_visit_redirects_to_the_login_page(live_server, page, console, committed_regions):
    page.goto(f"{live_server.url}/wilayah/")

    expect(page).to_have_url(f"{live_server.url}/akun/masuk/?next=/wilayah/")
    expect(page.get_by_role("heading", name="Masuk ke Portal Desa Percontohan")).to_be_visible()
    expect(page.get_by_role("link", name="Wilayah")).to_have_count(0)
    assert not console.csp_violations


def test_login_returns_to_the_page_asked_for(live_server, page, console, blm_staff):
    page.goto(f"{live_server.url}/wilayah/")
    page.get_by_label("Nama pengguna").fill("blm-e2e")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/wilayah/")
    expect(page.get_by_role("heading", name="Wilayah", level=1)).to_be_visible()
