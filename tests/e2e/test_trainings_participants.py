"""Registering a batch's participants in the browser: a bad NIK is refused on its own field (and never
written back into the page), the corrected one enrols the person; the participants list shows masked
NIKs, and the batch's quota sends the next person to the waiting list."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, pick
from tests.factories import UserFactory
from tests.trainings.factories import make_batch
from trainings import nik as niks
from trainings.models import BatchStatus, Enrolment, EnrolmentStatus, Person

ANJIR_PASAR_KOTA = "Anjir Pasar Kota — Kec. Anjir Pasar (63.04.03.2003)"
ANDAMAN = "Andaman — Kec. Anjir Pasar (63.04.03.2001)"
BAD_NIK = "6304034508900000"  # serial 0000
SITI_NIK = "6304034508900012"  # a woman born 5 August 1990 in Kecamatan Anjir Pasar
RAHMAT_NIK = "6304031203850007"  # a man born 12 March 1985
AISYAH_NIK = "6304036101950003"  # a woman born 21 January 1995


@pytest.fixture
def blm_staff(committed_regions):
    return UserFactory(role="staf_blm", username="blm-peserta", regencies=("62", "63"))


@pytest.fixture
def batch(committed_regions):
    return make_batch(status=BatchStatus.REGISTRATION, quota=2, name="Angkatan I 2024")


def register(page, *, name, nik, sex, birth_date, village_typed, village):
    form = page.locator("form").filter(has=page.get_by_role("button", name="Daftarkan ke angkatan"))
    form.get_by_label("Nama lengkap").fill(name)
    form.get_by_label("NIK", exact=True).fill(nik)
    form.get_by_label("Jenis kelamin").select_option(label=sex)
    form.get_by_label("Tanggal lahir").fill(birth_date)
    if village_typed:
        pick(page, "Desa/kelurahan domisili", village_typed, village)
    form.get_by_role("button", name="Daftarkan ke angkatan").click()


def test_staff_register_participants_a_bad_nik_is_refused_on_its_field_then_the_corrected_one_enrols(
    live_server, page, blm_staff, batch
):
    log_in(page, live_server, blm_staff)
    page.goto(f"{live_server.url}/pelatihan/angkatan/{batch.pk}/peserta/")
    expect(page.get_by_role("heading", name="Peserta — Angkatan I 2024", level=1)).to_be_visible()
    expect(page.get_by_text("Belum ada peserta terdaftar.")).to_be_visible()
    page.get_by_role("link", name="Daftarkan peserta").click()
    expect(page.get_by_role("heading", name=re.compile("^Daftarkan peserta"), level=1)).to_be_visible()

    # --- A bad NIK: refused on its field, saying which digits; the typed NIK is not shown back ---
    register(
        page,
        name="Siti Aminah",
        nik=BAD_NIK,
        sex="Perempuan",
        birth_date="1990-08-05",
        village_typed="anjir pasar kota",
        village=ANJIR_PASAR_KOTA,
    )
    nik_box = page.get_by_label("NIK", exact=True)
    expect(page.locator("#form-error-summary")).to_contain_text("Belum tersimpan: 1 isian perlu diperbaiki.")
    expect(page.locator("#id_new-nik_error")).to_have_text("Angka 13–16 NIK (nomor urut) tidak boleh 0000.")
    expect(nik_box).to_have_value("")
    assert BAD_NIK not in page.content()
    assert not Person.objects.exists()

    # --- The corrected NIK: the rest of the form was kept; the person is registered and enrolled ---
    expect(page.get_by_label("Nama lengkap")).to_have_value("Siti Aminah")
    register(
        page,
        name="Siti Aminah",
        nik=SITI_NIK,
        sex="Perempuan",
        birth_date="1990-08-05",
        village_typed=None,
        village=ANJIR_PASAR_KOTA,
    )
    expect(page).to_have_url(re.compile(rf"/pelatihan/angkatan/{batch.pk}/peserta/$"))
    expect(page.get_by_role("alert").filter(has_text="Siti Aminah didaftarkan sebagai peserta.")).to_be_visible()

    # --- A man's NIK entered for a woman: the sex field says so ---
    page.get_by_role("link", name="Daftarkan peserta").click()
    register(
        page,
        name="Rahmat Hidayat",
        nik=RAHMAT_NIK,
        sex="Perempuan",
        birth_date="1985-03-12",
        village_typed="andaman",
        village=ANDAMAN,
    )
    expect(page.locator("#id_new-sex_error")).to_contain_text("Jenis kelamin tidak sesuai dengan NIK")
    page.get_by_label("Jenis kelamin").select_option(label="Laki-laki")
    page.get_by_role("button", name="Daftarkan ke angkatan").click()  # the checked NIK was kept, encrypted
    expect(page.get_by_role("alert").filter(has_text="Rahmat Hidayat didaftarkan sebagai peserta.")).to_be_visible()

    # --- The quota (2) is full: the third goes to the waiting list ---
    page.get_by_role("link", name="Daftarkan peserta").click()
    register(
        page,
        name="Aisyah",
        nik=AISYAH_NIK,
        sex="Perempuan",
        birth_date="1995-01-21",
        village_typed="anjir pasar kota",
        village=ANJIR_PASAR_KOTA,
    )
    expect(
        page.get_by_role("alert").filter(has_text="Kuota penuh: Aisyah masuk daftar tunggu (urutan 1).")
    ).to_be_visible()

    table = page.locator("#table table")
    expect(table.locator("tbody tr")).to_have_count(3)
    siti = table.locator("tbody tr").filter(has_text="Siti Aminah")
    expect(siti).to_contain_text(niks.mask(SITI_NIK))
    expect(siti).to_contain_text("Terdaftar")
    expect(table.locator("tbody tr").filter(has_text="Aisyah")).to_contain_text("Daftar tunggu")
    html = page.content()
    assert not any(nik in html for nik in (SITI_NIK, RAHMAT_NIK, AISYAH_NIK))
    statuses = dict(Enrolment.objects.values_list("person__full_name", "status"))
    assert statuses == {
        "Siti Aminah": EnrolmentStatus.REGISTERED,
        "Rahmat Hidayat": EnrolmentStatus.REGISTERED,
        "Aisyah": EnrolmentStatus.WAITING,
    }
    assert Person.objects.get(full_name="Siti Aminah").nik == SITI_NIK
