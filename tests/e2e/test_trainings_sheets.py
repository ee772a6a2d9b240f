"""The attendance and scores sheets in a browser: attendance taken with the keyboard and the mouse, scores
typed in, a refused score and a mark someone changed meanwhile, all kept after a reload; the reaction
form; and the sheet on a phone (its own scroll region, the names staying in view) without WCAG violations."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.test_accessibility import axe_violations, sideways_overflow
from tests.factories import UserFactory
from tests.trainings.factories import enrol, make_batch, make_programme
from trainings import sheets
from trainings.models import Attendance, AttendanceMark, BatchStatus, Enrolment, Reaction

# Sessions of 3 JP on 6, 7 and 8 May 2024 (make_batch).
SESSION_1, SESSION_2, SESSION_3 = "Sesi 1, 6 Mei", "Sesi 2, 7 Mei", "Sesi 3, 8 Mei"


@pytest.fixture
def blm_staff(committed_regions):
    return UserFactory(
        role="staf_blm", username="blm-budi", first_name="Budi", last_name="Santoso", regencies=("62", "63")
    )


@pytest.fixture
def batch(committed_regions):
    """A running batch in Barito Kuala: three sessions, three participants (Ahmad, Rina, Siti by name)."""
    programme = make_programme(title="Pengelolaan BUMDes", min_attendance_pct=80, min_post_test=70)
    batch = make_batch(programme=programme, sessions=3, status=BatchStatus.RUNNING, name="Angkatan I 2024")
    for name in ("Siti Rahmah", "Ahmad Fauzi", "Rina Wati"):
        enrol(batch, full_name=name)
    return batch


def cell(page, name, session):
    """The select of one participant at one session, found by its label as a screen reader reads it."""
    return page.get_by_role("combobox", name=re.compile(rf"^{re.escape(name)} {re.escape(session)}"))


def score(page, name, column):
    return page.get_by_role("textbox", name=f"{name} {column}", exact=True)


def status_line(page):
    return page.get_by_role("status")


def test_attendance_taken_with_the_mouse_and_the_keyboard_is_kept_after_a_reload(live_server, page, blm_staff, batch):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/pelatihan/angkatan/{batch.pk}/kehadiran/")
    expect(page.get_by_role("heading", name=re.compile("^Kehadiran"), level=1)).to_be_visible()

    # With the mouse: a mark chosen from the list is saved at once.
    cell(page, "Ahmad Fauzi", SESSION_1).select_option(label="Hadir")
    expect(status_line(page)).to_contain_text("Tersimpan (Ahmad Fauzi")
    expect(status_line(page)).to_contain_text("Hadir")

    # With the keyboard: a letter chooses the mark, the arrows move between cells; the focus stays on
    # the cell while it is saved and swapped.
    cell(page, "Ahmad Fauzi", SESSION_2).focus()
    page.keyboard.press("t")
    expect(status_line(page)).to_contain_text("Terlambat")
    expect(cell(page, "Ahmad Fauzi", SESSION_2)).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(cell(page, "Ahmad Fauzi", SESSION_3)).to_be_focused()
    page.keyboard.press("a")
    expect(status_line(page)).to_contain_text("Tidak hadir")
    page.keyboard.press("ArrowDown")
    expect(cell(page, "Rina Wati", SESSION_3)).to_be_focused()
    page.keyboard.press("i")
    expect(status_line(page)).to_contain_text("Izin")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(cell(page, "Rina Wati", SESSION_1)).to_be_focused()
    page.keyboard.press("h")
    # This save's own line (the last one was Rina Wati's too): the next save must not overtake it.
    expect(status_line(page)).to_contain_text("Rina Wati, 06/05/2024")
    page.keyboard.press("Tab")
    expect(cell(page, "Rina Wati", SESSION_2)).to_be_focused()
    page.keyboard.press("h")
    expect(status_line(page)).to_contain_text("Rina Wati, 07/05/2024")
    # Delete clears a mark.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("h")
    expect(status_line(page)).to_contain_text("Tersimpan (Siti Rahmah")
    page.keyboard.press("Delete")
    expect(status_line(page)).to_contain_text("dikosongkan")
    # A second key pressed while the first is still being saved is not lost.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("a")
    page.keyboard.press("i")
    expect(status_line(page)).to_contain_text("Tersimpan (Siti Rahmah, 08/05/2024 — Materi 3): Izin.")

    # The row's share of hours and the column's counts follow each save: Ahmad 6 of 9 JP.
    ahmad = page.get_by_role("row", name=re.compile("^Ahmad Fauzi"))
    expect(ahmad.locator(".sheet-summary")).to_contain_text("66,7%")
    expect(page.locator("tfoot .sheet-count").nth(0)).to_contain_text("2 hadir")

    page.reload()
    expect(cell(page, "Ahmad Fauzi", SESSION_1)).to_have_value("hadir")
    expect(cell(page, "Ahmad Fauzi", SESSION_2)).to_have_value("terlambat")
    expect(cell(page, "Ahmad Fauzi", SESSION_3)).to_have_value("absen")
    expect(cell(page, "Rina Wati", SESSION_1)).to_have_value("hadir")
    expect(cell(page, "Rina Wati", SESSION_2)).to_have_value("hadir")
    expect(cell(page, "Rina Wati", SESSION_3)).to_have_value("izin")
    expect(cell(page, "Siti Rahmah", SESSION_2)).to_have_value("")
    expect(cell(page, "Siti Rahmah", SESSION_3)).to_have_value("izin")
    expect(cell(page, "Ahmad Fauzi", SESSION_1)).to_have_attribute("title", re.compile("^Dicatat oleh Budi Santoso, "))
    assert Attendance.objects.filter(recorded_by=blm_staff).count() == 7


def test_a_mark_changed_meanwhile_is_refused_on_the_sheet_with_the_current_one_shown(
    live_server, page, blm_staff, batch
):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/pelatihan/angkatan/{batch.pk}/kehadiran/")
    expect(cell(page, "Siti Rahmah", SESSION_1)).to_have_value("")
    # Someone else records the cell after the sheet was opened.
    sheets.attendance_save(
        enrolment=batch.enrolments.get(person__full_name="Siti Rahmah"),
        session=batch.sessions.order_by("date").first(),
        mark=AttendanceMark.EXCUSED,
        version=0,
        user=None,
    )
    cell(page, "Siti Rahmah", SESSION_1).select_option(label="Tidak hadir")
    expect(page.locator(".sheet-error")).to_contain_text("telah diubah oleh pengguna lain")
    expect(cell(page, "Siti Rahmah", SESSION_1)).to_have_value("izin")
    expect(status_line(page)).to_contain_text("Tidak tersimpan")
    # Chosen again on the current version, the mark is saved.
    cell(page, "Siti Rahmah", SESSION_1).select_option(label="Tidak hadir")
    expect(status_line(page)).to_contain_text("Tersimpan (Siti Rahmah")
    assert Attendance.objects.get().mark == AttendanceMark.ABSENT


def test_scores_typed_in_are_kept_after_a_reload_and_a_bad_one_is_refused_in_its_cell(
    live_server, page, blm_staff, batch
):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/pelatihan/angkatan/{batch.pk}/nilai/")
    expect(page.get_by_role("heading", name=re.compile("^Nilai"), level=1)).to_be_visible()

    # Two scores of one row typed one after the other: the second waits for the first and carries
    # the participant's new version, so neither is refused.
    score(page, "Ahmad Fauzi", "Pre-test").click()
    page.keyboard.type("45")
    page.keyboard.press("Tab")
    expect(score(page, "Ahmad Fauzi", "Post-test")).to_be_focused()
    page.keyboard.type("82,5")
    page.keyboard.press("Enter")  # saves and moves down the column
    expect(score(page, "Rina Wati", "Post-test")).to_be_focused()
    expect(status_line(page)).to_contain_text("Tersimpan (Ahmad Fauzi, Post-test): 82,5.")
    page.keyboard.type("101")
    page.keyboard.press("ArrowUp")
    expect(page.locator(".sheet-error")).to_have_text("Nilai paling tinggi 100.")
    expect(score(page, "Rina Wati", "Post-test")).to_have_value("101")
    expect(score(page, "Rina Wati", "Post-test")).to_have_attribute("aria-invalid", "true")
    # Corrected, it saves.
    score(page, "Rina Wati", "Post-test").fill("60")
    score(page, "Rina Wati", "Post-test").press("Tab")
    expect(status_line(page)).to_contain_text("Tersimpan (Rina Wati, Post-test): 60.")
    expect(page.locator(".sheet-error")).to_have_count(0)
    score(page, "Siti Rahmah", "Pre-test").fill("abc")
    score(page, "Siti Rahmah", "Pre-test").press("Enter")
    expect(page.locator(".sheet-error")).to_contain_text("Tulis nilai berupa angka 0–100")

    # The row's result follows the rule: Rina's post-test is below 70.
    rina = page.get_by_role("row", name=re.compile("^Rina Wati"))
    expect(rina.locator(".sheet-outcome")).to_contain_text("Nilai post-test 60 di bawah minimal 70.")

    page.reload()
    expect(score(page, "Ahmad Fauzi", "Pre-test")).to_have_value("45")
    expect(score(page, "Ahmad Fauzi", "Post-test")).to_have_value("82,5")
    expect(score(page, "Rina Wati", "Post-test")).to_have_value("60")
    expect(score(page, "Siti Rahmah", "Pre-test")).to_have_value("")
    summary = page.locator("#score-summary")
    expect(summary).to_contain_text("45")
    expect(summary).to_contain_text("71,3")  # (82,5 + 60) / 2
    expect(summary).to_contain_text("Gain ternormalisasi: 0,68")  # (82,5 − 45) / (100 − 45)
    ahmad = Enrolment.objects.get(person__full_name="Ahmad Fauzi")
    assert (str(ahmad.pre_test), str(ahmad.post_test)) == ("45.00", "82.50")

    # The reaction form, linked from the row.
    page.get_by_role("link", name="Isi tanggapan — Ahmad Fauzi").click()
    for legend, value in (
        ("Materi pelatihan", "5 — sangat baik"),
        ("Pelatih", "4 — baik"),
        ("Tempat dan fasilitas", "3 — cukup"),
        ("Manfaat bagi pekerjaan atau usaha di desa", "5 — sangat baik"),
    ):
        page.get_by_role("group", name=re.compile(rf"^\s*{re.escape(legend)}")).get_by_label(value).check()
    page.get_by_label("Komentar atau saran").fill("Praktik pembukuan BUMDes paling berguna.")
    page.get_by_role("button", name="Simpan tanggapan").click()
    expect(page.get_by_role("alert")).to_contain_text("Tanggapan peserta disimpan.")
    expect(page.get_by_role("row", name=re.compile("^Ahmad Fauzi"))).to_contain_text("4,3 / 5")
    assert Reaction.objects.get().usefulness == 5


def test_on_a_phone_the_sheet_scrolls_in_its_own_region_and_keeps_the_names_in_view(
    live_server, new_page, blm_staff, batch
):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    log_in(page, live_server, blm_staff)
    for path in ("kehadiran", "nilai"):
        page.goto(f"{live_server.url}/pelatihan/angkatan/{batch.pk}/{path}/")
        assert not sideways_overflow(page), f"the {path} page scrolls sideways"
        assert axe_violations(page) == [], path
    page.goto(f"{live_server.url}/pelatihan/angkatan/{batch.pk}/kehadiran/")
    region = page.get_by_role("region", name=re.compile("^Lembar kehadiran"))
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    name = page.get_by_role("rowheader", name=re.compile("^Ahmad Fauzi"))
    left = name.bounding_box()["x"]
    region.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
    assert abs(name.bounding_box()["x"] - left) < 1
    cell(page, "Ahmad Fauzi", SESSION_3).select_option(label="Hadir")
    expect(status_line(page)).to_contain_text("Tersimpan (Ahmad Fauzi")
