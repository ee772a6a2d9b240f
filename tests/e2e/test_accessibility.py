"""Accessibility and small screens on the demo programme (the real Barito Kuala data of `load_demo`).

axe-core (WCAG 2.2 AA, vendored in tests/e2e/vendor, so the tests run offline) finds nothing on the main
pages at a 1366-px laptop and a 390-px phone; no page scrolls sideways on the phone; the commitments'
key columns fit a laptop screen; a list's filter form folds behind a "Filter" button on a phone.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement, AgreementKind
from agreements.reminders import reminders_collect, reminders_notify
from percontohan.demo import demo_load
from percontohan.models import User
from tests.agreements.factories_documents import private_root
from tests.e2e.conftest import log_in
from villages.models import ProgrammeArea, SelectionRound

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
BLM_LOGIN = ("blm.banjarmasin", "blm-percontohan")
ANDAMAN = "63.04.03.2001"
KEY_COLUMNS = ("Komitmen", "Tenggat", "Status", "Keterlambatan")
LISTS = ("/desa/", "/kawasan/", "/desa-percontohan/", "/seleksi/", "/perjanjian/", "/perjanjian/komitmen/")


@pytest.fixture
def demo(committed_regions, tmp_path):
    """The demo programme (its PDFs under tmp_path) with the reminders of its overdue commitments."""
    with private_root(tmp_path / "private"):
        demo_load()
        reminders_notify(reminders=reminders_collect())
        yield


def main_pages():
    """The portal's main pages, as a BLM staff member reaches them, with the demo's records."""
    area = ProgrammeArea.objects.get(name="Kawasan Perdesaan Anjir Pasar")
    selection = SelectionRound.objects.get()
    mou = Agreement.objects.filter(kind=AgreementKind.MOU).earliest("signed_on")  # the 10 March 2020 MoU
    return [
        "/",
        "/wilayah/",
        "/wilayah/kabupaten/63.04/",
        "/desa/",
        f"/wilayah/desa/{ANDAMAN}/",
        "/peta/",
        "/kawasan/",
        f"/kawasan/{area.pk}/",
        "/desa-percontohan/",
        "/seleksi/",
        f"/seleksi/{selection.pk}/",
        "/indeks/impor/",
        "/perjanjian/",
        f"/perjanjian/{mou.pk}/",
        "/perjanjian/komitmen/",
        "/mitra/instansi/",
        "/notifikasi/",
    ]


def axe_violations(page):
    """axe-core's WCAG 2.2 A/AA violations of the page, one readable line per rule and element."""
    page.wait_for_load_state("networkidle")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by the test driver, not by a page script: the portal's CSP does not apply to it.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});"
        " return {violations: r.violations, passed: r.passes.length}; }",
        AXE_TAGS,
    )
    assert results["passed"], "axe-core checked nothing"
    violations = results["violations"]
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} — {node['failureSummary']}"
        for violation in violations
        for node in violation["nodes"]
    ]


def sideways_overflow(page):
    """How many pixels the page is wider than the screen (0 when it does not scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def open_as_blm_staff(new_page, live_server, screen):
    page = new_page(**screen)
    log_in(page, live_server, User.objects.get(username=BLM_LOGIN[0]), password=BLM_LOGIN[1])
    return page


@pytest.mark.parametrize("screen", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_axe_finds_no_wcag_violations_on_the_main_pages(live_server, new_page, demo, screen):
    page = new_page(**screen)
    page.goto(f"{live_server.url}/akun/masuk/")
    found = {"/akun/masuk/": axe_violations(page)}
    log_in(page, live_server, User.objects.get(username=BLM_LOGIN[0]), password=BLM_LOGIN[1])

    for path in main_pages():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        found[path] = axe_violations(page)

    problems = {path: violations for path, violations in found.items() if violations}
    assert not problems, "\n".join(f"{path}\n  " + "\n  ".join(lines) for path, lines in problems.items())


def test_no_main_page_scrolls_sideways_on_a_phone(live_server, new_page, demo):
    page = open_as_blm_staff(new_page, live_server, PHONE)

    overflowing = {}
    for path in main_pages():
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        if overflow := sideways_overflow(page):
            overflowing[path] = overflow

    assert not overflowing, f"pages wider than a 390-px phone (px too wide): {overflowing}"


def test_the_lists_fit_a_phone_without_scrolling_their_tables_sideways(live_server, new_page, demo):
    page = open_as_blm_staff(new_page, live_server, PHONE)

    too_wide = {}
    for path in LISTS:
        page.goto(f"{live_server.url}{path}")
        table = page.get_by_role("region", name=re.compile("^Tabel")).first
        expect(table).to_be_visible()
        if overflow := table.evaluate("region => region.scrollWidth - region.clientWidth"):
            too_wide[path] = overflow

    assert not too_wide, f"tables wider than a 390-px phone (px too wide): {too_wide}"


def test_the_commitments_key_columns_are_in_sight_on_a_laptop_and_a_phone(live_server, new_page, demo):
    # On a phone the lateness shows in the status cell: four columns do not fit 390 px.
    for screen, headers in ((LAPTOP, KEY_COLUMNS), (PHONE, KEY_COLUMNS[:-1])):
        page = open_as_blm_staff(new_page, live_server, screen)
        page.goto(f"{live_server.url}/perjanjian/komitmen/")
        width = screen["viewport"]["width"]

        overdue = page.locator("tbody tr.table-danger").first
        expect(overdue).to_be_visible()
        for header in headers:
            cell = page.get_by_role("columnheader", name=header, exact=True)
            expect(cell).to_be_visible()
            box = cell.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{header} is off screen at {width} px"
        lateness = overdue.get_by_text(re.compile(r"^\d+ hari$")).filter(visible=True)
        expect(lateness).to_be_visible()
        box = lateness.bounding_box()
        assert box["x"] + box["width"] <= width, f"the lateness is off screen at {width} px"
        # Indonesian dates, not 31/03/2025.
        expect(overdue).to_contain_text(
            re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4}\b")
        )
        assert not re.search(r"\d{2}/\d{2}/\d{4}", page.locator("main table").inner_text())
        page.context.close()


def test_the_filter_form_folds_behind_a_button_on_a_phone(live_server, new_page, demo):
    phone = open_as_blm_staff(new_page, live_server, PHONE)
    phone.goto(f"{live_server.url}/perjanjian/komitmen/")
    status = phone.get_by_label("Status", exact=True)
    expect(status).to_be_hidden()

    phone.get_by_role("button", name="Filter").click()
    expect(status).to_be_visible()
    status.select_option(label="Terlambat")
    expect(phone).to_have_url(re.compile(r"status=terlambat"))
    expect(phone.locator("tbody tr.table-danger").first).to_be_visible()
    expect(phone.get_by_role("button", name=re.compile(r"^Filter\s*1\s*aktif$"))).to_be_visible()
    expect(status).to_be_visible()  # the form stays open while the user filters

    laptop = open_as_blm_staff(new_page, live_server, LAPTOP)
    laptop.goto(f"{live_server.url}/perjanjian/komitmen/")
    expect(laptop.get_by_label("Status", exact=True)).to_be_visible()
    expect(laptop.get_by_role("button", name="Filter")).to_be_hidden()
