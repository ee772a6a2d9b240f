"""A training batch end to end: a BLM's staff member plans a batch of a programme in a Barito Kuala village
for two target villages (found by typing), adds a session with a trainer of the BLM's roster, and opens
registration from the batch's page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, open_menu, pick
from tests.factories import UserFactory
from tests.trainings.factories import make_programme, make_trainer
from trainings.models import Batch, BatchStatus

ANJIR_PASAR_KOTA = "Anjir Pasar Kota — Kec. Anjir Pasar (63.04.03.2003)"
CAHAYA_BARU = "Cahaya Baru — Kec. Jejangkit (63.04.17.2005)"


def field(page, label):
    """The form field with exactly this label (a required one's ends with crispy's asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


@pytest.fixture
def blm_staff(committed_regions):
    return UserFactory(role="staf_blm", username="blm-siti", regencies=("62", "63"))


@pytest.fixture
def catalogue(committed_regions):
    programme = make_programme(code="BUM-01", title="Pengelolaan BUMDes")
    trainer = make_trainer(blm=programme.blm, name="Ir. Rahmadi", expertise="Usaha BUMDes")
    return programme, trainer


def test_a_batch_is_planned_with_a_session_and_opened_for_registration(live_server, page, blm_staff, catalogue):
    programme, trainer = catalogue
    log_in(page, live_server, blm_staff)
    open_menu(page, "Pelatihan")
    expect(page.get_by_role("heading", name="Angkatan pelatihan")).to_be_visible()
    page.get_by_role("link", name="Tambah angkatan").click()

    field(page, "Program").select_option(label=str(programme))
    field(page, "Nama angkatan").fill("Angkatan I 2024")
    field(page, "Moda").select_option(label="Di desa")
    pick(page, "Desa tempat pelatihan", "anjir pasar kota", ANJIR_PASAR_KOTA)
    field(page, "Tempat").fill("Aula Kantor Desa Anjir Pasar Kota")
    field(page, "Tanggal mulai").fill("2024-05-06")
    field(page, "Tanggal selesai").fill("2024-05-10")
    field(page, "Kuota peserta").fill("25")
    pick(page, "Desa sasaran", "cahaya", CAHAYA_BARU)
    pick(page, "Desa sasaran", "6304032003", ANJIR_PASAR_KOTA)
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("alert")).to_contain_text("Angkatan ditambahkan.")
    expect(page.locator("#batch-status")).to_have_text("Direncanakan")
    expect(page.locator("#batch-places")).to_have_text("0 dari 25 tempat terisi")

    # The schedule: one session, given by a trainer of the BLM's roster.
    page.get_by_role("link", name="Tambah sesi").click()
    field(page, "Tanggal").fill("2024-05-06")
    field(page, "Jam mulai").fill("08:00")
    field(page, "Jam selesai").fill("11:30")
    field(page, "Materi").fill("Pengantar pengelolaan BUMDes")
    field(page, "Jam pelajaran (JP)").fill("4")
    pick(page, "Pelatih", "rahmadi", "Ir. Rahmadi — Usaha BUMDes")
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("alert")).to_contain_text("Sesi ditambahkan.")
    sessions = page.locator("#sesi table tbody tr")
    expect(sessions).to_have_count(1)
    expect(sessions.first).to_contain_text("Pengantar pengelolaan BUMDes")
    expect(sessions.first).to_contain_text("08:00–11:30")
    expect(sessions.first).to_contain_text("Ir. Rahmadi")

    field(page, "Status baru").select_option(label="Pendaftaran dibuka")
    page.get_by_role("button", name="Simpan status").click()

    expect(page.get_by_role("alert")).to_contain_text("Status angkatan diubah menjadi “Pendaftaran dibuka”.")
    expect(page.locator("#batch-status")).to_have_text("Pendaftaran dibuka")
    batch = Batch.objects.get()
    assert batch.status == BatchStatus.REGISTRATION
    assert (batch.venue_village_id, batch.quota, batch.starts_on) == ("63.04.03.2003", 25, datetime.date(2024, 5, 6))
    assert sorted(batch.target_villages.values_list("code", flat=True)) == ["63.04.03.2003", "63.04.17.2005"]
    assert list(batch.sessions.get().trainers.all()) == [trainer]
    assert re.search(r"/pelatihan/angkatan/\d+/$", page.url)
