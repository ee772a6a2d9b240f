"""Follow-up end to end, on a phone: the worklist of what is due and late, the short form (answers hidden
while the participant is marked unreachable), the follow-up leaving the worklist, and the batch's
results changing (level 3 with its response rate, level 4 income)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.agreements.factories_documents import private_root
from tests.e2e.conftest import log_in
from tests.e2e.test_accessibility import axe_violations
from tests.factories import UserFactory
from tests.trainings.factories_followups import closed_batch
from trainings.models import Person

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with private_root(settings.PRIVATE_MEDIA_ROOT) as path:
        yield path


@pytest.fixture
def blm_staff(committed_regions):
    return UserFactory(role="staf_blm", username="blm-rina", first_name="Rina", regencies=("62", "63"))


@pytest.fixture
def batch(committed_regions):
    """A batch that ended three months ago: both participants' first follow-ups are late."""
    ends_on = timezone.localdate() - datetime.timedelta(days=90)
    batch = closed_batch(people=2, starts_on=ends_on - datetime.timedelta(days=1), ends_on=ends_on, name="Angkatan I")
    first, second = batch.enrolments.order_by("pk")
    Person.objects.filter(pk=first.person_id).update(full_name="Siti Aminah")
    Person.objects.filter(pk=second.person_id).update(full_name="Rahmat Hidayat")
    return batch


def field(page, label):
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def wave_1(page):
    return page.locator("[data-result='wave-1']")


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_follow_up_is_recorded_on_a_phone_and_leaves_the_worklist(new_page, live_server, blm_staff, batch):
    page = new_page(viewport=PHONE)
    log_in(page, live_server, blm_staff)
    results_url = f"{live_server.url}/pelatihan/angkatan/{batch.pk}/hasil/"

    # Before: nobody answered, so no share applied and a response rate of 0%.
    page.goto(results_url)
    expect(wave_1(page)).to_contain_text("—")
    expect(wave_1(page)).to_contain_text("tingkat respons 0%")
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/pelatihan/tindak-lanjut/")
    expect(page.get_by_role("heading", name="Tindak lanjut pelatihan")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Siti Aminah")
    expect(row).to_contain_text("Terlambat")
    expect(page.get_by_role("row").filter(has_text="Rahmat Hidayat")).to_be_visible()
    assert fits_the_phone(page)
    assert axe_violations(page) == []
    row.get_by_role("link", name="Catat").click()

    expect(page.get_by_role("heading", name="Catat tindak lanjut")).to_be_visible()
    assert fits_the_phone(page)
    assert axe_violations(page) == []
    page.get_by_label("Telepon", exact=True).check()
    # Not reached: the answers are not asked for.
    reached = page.get_by_label("Peserta dapat dihubungi")
    reached.uncheck()
    expect(page.locator("#followup-answers")).to_be_hidden()
    reached.check()
    expect(page.locator("#followup-answers")).to_be_visible()
    page.get_by_label("Ya", exact=True).check()
    field(page, "Yang diterapkan").fill("Pembukuan kas BUMDes dan penjualan keripik lewat WhatsApp")
    page.get_by_label("Memulai usaha").check()
    field(page, "Jenis usaha").fill("Keripik pisang")
    field(page, "Pendapatan rumah tangga per bulan sebelum pelatihan (Rp)").fill("1.250.000")
    field(page, "Pendapatan rumah tangga per bulan sekarang (Rp)").fill("2.000.000")
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_text("Tindak lanjut dicatat.")).to_be_visible()
    expect(page.get_by_text("Rp 1.250.000")).to_be_visible()
    expect(page.get_by_text("Ya: Keripik pisang")).to_be_visible()
    assert fits_the_phone(page)
    assert axe_violations(page) == []

    # It left the worklist; the other participant's is still there.
    page.goto(f"{live_server.url}/pelatihan/tindak-lanjut/")
    expect(page.get_by_role("row").filter(has_text="Rahmat Hidayat")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Siti Aminah")).to_have_count(0)

    # The batch's results changed: 1 of 1 reached applied; 1 of the 2 due answered.
    page.goto(results_url)
    expect(wave_1(page)).to_contain_text("100%")
    expect(wave_1(page)).to_contain_text("tingkat respons 50%")
    expect(page.locator("[data-result='businesses']")).to_contain_text("1")
    expect(page.locator("[data-result='income']")).to_contain_text("Rp 750.000")
    assert fits_the_phone(page)

    page.goto(f"{live_server.url}/pelatihan/hasil/?group=venue")
    expect(page.get_by_role("row").filter(has_text="Kabupaten Barito Kuala")).to_contain_text("100%")
    assert axe_violations(page) == []
