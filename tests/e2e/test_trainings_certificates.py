"""Certificates in the browser: staff issue a closed batch's certificates and watch the run finish; a
visitor who is not logged in opens the address printed (and QR-coded) on a certificate and sees it valid;
staff revoke it with a reason, and the same public page then says it is revoked, and since when."""

import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import UserFactory
from tests.trainings.factories_certificates import closed_batch
from tests.trainings.test_certificates import pdf_links


@pytest.fixture
def blm_staff(committed_regions):
    return UserFactory(role="staf_blm", username="blm-sertifikat", regencies=("62", "63"))


def test_staff_issue_certificates_a_visitor_verifies_one_then_sees_it_revoked(
    live_server, page, new_page, blm_staff, settings
):
    settings.SITE_URL = live_server.url  # the address printed on the certificates and in their QR codes
    batch = closed_batch(passed=3, failed=1, names=["Siti Rahmah", "Ahmad Fauzi", "Nur Aini", "Budi Tidak Lulus"])
    log_in(page, live_server, blm_staff)

    # Issue: one action for everyone who completed the batch; the run's page follows it to the end.
    page.goto(f"{live_server.url}/pelatihan/angkatan/{batch.pk}/sertifikat/")
    expect(page.locator("#certificate-counts")).to_contain_text("3 peserta lulus belum bersertifikat")
    page.get_by_role("button", name="Terbitkan 3 sertifikat").click()
    expect(page).to_have_url(re.compile(r"/pelatihan/sertifikat/penerbitan/\d+/$"))
    progress = page.locator("#certificate-run-progress")
    expect(progress.get_by_text("Selesai: 3 sertifikat diterbitkan.")).to_be_visible()
    expect(progress.get_by_text("3 dari 3 peserta diproses")).to_be_visible()
    expect(progress.locator("progress")).to_have_attribute("value", "100")

    page.get_by_role("link", name="Lihat sertifikat angkatan").click()
    table = page.locator("#certificates")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table).not_to_contain_text("Budi Tidak Lulus")
    expect(page.get_by_role("button", name=re.compile("^Terbitkan"))).to_have_count(0)

    # The certificate of Ahmad Fauzi (the first by name, so number 0001) and the address on its PDF.
    page.get_by_role("link", name="BLM-BJM/2024/0001", exact=True).click()
    expect(page.locator("#certificate-data")).to_contain_text("Ahmad Fauzi")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh sertifikat (PDF)").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    (address,) = set(pdf_links(pdf))
    assert address.startswith(f"{live_server.url}/verifikasi/")

    # A visitor who is not logged in follows the certificate's address (the QR code's target).
    visitor = new_page()
    visitor.goto(address)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Verifikasi sertifikat pelatihan")
    expect(visitor.locator("#certificate-status")).to_have_text("Sertifikat ini asli dan berlaku.")
    expect(visitor.locator("main")).to_contain_text("BLM-BJM/2024/0001")
    expect(visitor.locator("main")).to_contain_text("A*** F***")
    expect(visitor.locator("main")).not_to_contain_text("Ahmad")
    expect(visitor.get_by_role("navigation")).to_have_count(0)

    # Staff revoke it: a reason is required.
    page.get_by_role("button", name="Cabut sertifikat").click()
    expect(page.locator("#form-error-summary")).to_contain_text("Tuliskan alasan pencabutan sertifikat.")
    page.get_by_label("Alasan pencabutan").fill("Nama peserta tertukar dengan peserta lain")
    page.get_by_role("button", name="Cabut sertifikat").click()
    expect(page.get_by_role("alert").filter(has_text="Sertifikat BLM-BJM/2024/0001 dicabut.")).to_be_visible()
    expect(page.locator("#certificate-data")).to_contain_text("Nama peserta tertukar dengan peserta lain")

    # The same public page now says it is revoked, with the date — and not why.
    with translation.override("id"):
        today = date_format(timezone.localdate(), "DATE_FORMAT")
    visitor.reload()
    expect(visitor.locator("#certificate-status")).to_have_text(
        f"Sertifikat ini telah dicabut pada {today} dan tidak berlaku lagi."
    )
    expect(visitor.locator("main")).not_to_contain_text("tertukar")
