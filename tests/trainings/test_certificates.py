"""Certificates anyone can verify: numbering per BLM and year, issuing a batch's in the background,
revoking, the PDF with its QR code, and the one public page (/verifikasi/<code>/)."""

import datetime
import re
import threading
import zlib

import pytest
import segno
import weasyprint
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Organisation
from percontohan.background import TaskStatus
from percontohan.history import history_of
from tests.percontohan.test_access import project_url_patterns
from tests.trainings.factories import blm_banjarmasin, make_batch, make_programme
from tests.trainings.factories_certificates import closed_batch
from trainings import certificates as service
from trainings.models import BatchStatus, Certificate, CertificateRun, EnrolmentStatus

# --- Helpers -----------------------------------------------------------------------------------------


def pdf_objects(pdf):
    """The PDF's bytes with every compressed stream inflated (link annotations live in object streams)."""
    parts = [pdf]
    # The end of line before "endstream" is left in the data: a deflated stream may itself end with a CR
    # byte, which `\r?\n` would take away from it. decompressobj() leaves whatever follows the data aside.
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            continue  # an image or font stream that is not deflated
    return b"\n".join(parts)


def pdf_links(pdf):
    return [uri.decode() for uri in re.findall(rb"/URI\s*\(([^)]*)\)", pdf_objects(pdf))]


def pdf_page_count(pdf):
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf_objects(pdf)))


def laid_out(html):
    """The document WeasyPrint lays out from `html`, and the text of each of its pages."""
    document = weasyprint.HTML(string=html).render()
    pages = []
    for page in document.pages:
        texts = []
        boxes = [page._page_box]
        while boxes:
            box = boxes.pop()
            if hasattr(box, "text"):
                texts.append(box.text)
            boxes.extend(reversed(getattr(box, "children", []) or []))
        pages.append(" ".join(texts))
    return document, pages


def issued(batch):
    return list(Certificate.objects.filter(enrolment__batch=batch).order_by("serial"))


# --- Numbering ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("BLM Banjarmasin", "BLM-BJM"),
        ("Balai Latihan Masyarakat Banjarmasin", "BLM-BJM"),
        ("BLM Denpasar", "BLM-DPS"),
        ("BLM Jakarta", "BLM-JKT"),
        ("BLM Medan", "BLM-MDN"),
        ("BLM Makassar", "BLM-MKS"),
        ("BBLM Yogyakarta", "BBLM-YYK"),
        ("BLM Nusa Tenggara Barat", "BLM-NTB"),
    ],
)
def test_the_prefix_is_the_blms_kind_and_three_letters_of_its_city(name, prefix):
    assert service.derived_prefix(name) == prefix


def test_certificates_are_numbered_per_blm_and_year_of_the_batchs_end(db):
    first = closed_batch(passed=2, starts_on=datetime.date(2020, 12, 30), ends_on=datetime.date(2020, 12, 31))
    second = closed_batch(passed=2, starts_on=datetime.date(2020, 12, 30), ends_on=datetime.date(2021, 1, 2))
    third = closed_batch(passed=1, starts_on=datetime.date(2020, 6, 1))

    service.certificates_issue(batch=first)
    service.certificates_issue(batch=second)
    service.certificates_issue(batch=third)

    assert [c.number for c in issued(first)] == ["BLM-BJM/2020/0001", "BLM-BJM/2020/0002"]
    assert [c.number for c in issued(second)] == ["BLM-BJM/2021/0001", "BLM-BJM/2021/0002"]
    assert [c.number for c in issued(third)] == ["BLM-BJM/2020/0003"]


def test_another_blm_counts_its_own_serials(db):
    service.certificates_issue(batch=closed_batch(passed=2))
    aceh = closed_batch(venue="11.01", passed=1)

    service.certificates_issue(batch=aceh)

    assert [c.number for c in issued(aceh)] == ["BLM-ACH/2024/0001"]


def test_a_blm_keeps_its_prefix_after_a_rename(db):
    service.certificates_issue(batch=closed_batch(passed=1))
    Organisation.objects.filter(pk=blm_banjarmasin().pk).update(short_name="BLM Kalimantan Selatan")
    later = closed_batch(passed=1)

    service.certificates_issue(batch=later)

    assert issued(later)[0].number == "BLM-BJM/2024/0002"


def test_a_listed_prefix_wins_over_the_derived_one(db, monkeypatch):
    monkeypatch.setitem(service.PREFIX_OVERRIDES, "BLM Banjarmasin", "BLM-BDJ")
    batch = closed_batch(passed=1)

    service.certificates_issue(batch=batch)

    assert issued(batch)[0].number == "BLM-BDJ/2024/0001"


def test_two_blms_whose_cities_give_the_same_letters_get_distinct_prefixes(db):
    service.certificates_issue(batch=closed_batch(passed=1))
    Organisation.objects.filter(pk=closed_batch(venue="11.01", passed=0).blm_id).update(short_name="BLM Banjarmasin")
    aceh = closed_batch(venue="11.01", passed=1)

    service.certificates_issue(batch=aceh)

    assert issued(aceh)[0].number == "BLM-BJM2/2024/0001"


# --- Issuing -----------------------------------------------------------------------------------------


def test_only_participants_who_completed_get_a_certificate(db, admin_user):
    batch = closed_batch(passed=3, failed=2)

    certificates = service.certificates_issue(batch=batch, user=admin_user, today=datetime.date(2024, 5, 10))

    assert len(certificates) == 3
    assert {c.enrolment.status for c in certificates} == {EnrolmentStatus.COMPLETED}
    assert all(c.issued_on == datetime.date(2024, 5, 10) and c.issued_by == admin_user for c in certificates)
    assert [c.serial for c in issued(batch)] == [1, 2, 3]


def test_issuing_twice_issues_nothing_new(db):
    batch = closed_batch(passed=3)
    service.certificates_issue(batch=batch)

    assert service.certificates_issue(batch=batch) == []
    assert Certificate.objects.count() == 3


def test_a_batch_not_closed_gets_no_certificates_and_says_why(db):
    batch = make_batch(sessions=1, status=BatchStatus.RUNNING)

    with pytest.raises(ValidationError) as refusal:
        service.certificates_issue(batch=batch)

    assert "setelah angkatan selesai" in refusal.value.messages[0]
    assert "Berjalan" in refusal.value.messages[0]


def test_a_programme_without_certificates_gets_none_and_says_so(db):
    batch = closed_batch(passed=2, programme=make_programme(title="Sosialisasi Dana Desa", gives_certificate=False))

    with pytest.raises(ValidationError) as refusal:
        service.certificates_issue(batch=batch)

    assert refusal.value.messages == ["Program “Sosialisasi Dana Desa” tidak memberi sertifikat."]
    assert not Certificate.objects.exists()


def test_a_run_records_its_progress_and_the_number_issued(db, admin_user):
    batch = closed_batch(passed=4, failed=1)
    run = service.certificate_run_start(batch=batch, user=admin_user)

    service.run_certificate_issue.call(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.issued_count, run.total_rows, run.processed_rows, run.percent) == (
        TaskStatus.DONE,
        4,
        4,
        4,
        100,
    )
    assert run.finished_at is not None
    # The worker had no request: the history names the user who started the run.
    assert history_of(Certificate.objects.first())[0].user == admin_user


def test_a_run_with_nothing_left_to_issue_is_not_started(db, admin_user):
    batch = closed_batch(passed=1)
    service.certificates_issue(batch=batch)

    with pytest.raises(ValidationError) as refusal:
        service.certificate_run_start(batch=batch, user=admin_user)

    assert "sudah memiliki sertifikat" in refusal.value.messages[0]
    assert not CertificateRun.objects.exists()


def run_together(*works):
    """Run each function in its own thread (own database connection), all at once; return the errors."""
    errors, barrier = [], threading.Barrier(len(works), timeout=60)

    def target(work):
        try:
            barrier.wait()
            work()
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a run hung"
    return errors


def test_concurrent_runs_number_without_gaps_or_duplicates(committed_regions, admin_user):
    first, second = closed_batch(passed=12), closed_batch(passed=12)
    # Recorded as certificate_run_start records them (which, in tests, would also run them at once).
    runs = [
        CertificateRun.objects.create(batch=batch, started_by=admin_user, total_rows=12)
        for batch in (first, second, first)
    ]

    errors = run_together(*(lambda run=run: service.certificate_run_execute(run) for run in runs))

    assert errors == []
    serials = sorted(Certificate.objects.filter(blm=first.blm, year=2024).values_list("serial", flat=True))
    assert serials == list(range(1, 25))
    assert len(issued(first)) == len(issued(second)) == 12
    counts = sorted(CertificateRun.objects.values_list("issued_count", flat=True))
    assert sum(counts) == 24 and all(run.status == TaskStatus.DONE for run in CertificateRun.objects.all())


# --- Revoking ----------------------------------------------------------------------------------------


def test_revoking_needs_a_reason(db):
    certificate = service.certificates_issue(batch=closed_batch(passed=1))[0]

    with pytest.raises(ValidationError) as refusal:
        service.certificate_revoke(certificate=certificate, reason="   ")

    assert refusal.value.message_dict == {"reason": ["Tuliskan alasan pencabutan sertifikat."]}
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_a_certificate_is_revoked_once(db):
    certificate = service.certificates_issue(batch=closed_batch(passed=1))[0]
    service.certificate_revoke(certificate=certificate, reason="Data kehadiran keliru", today=datetime.date(2024, 6, 3))

    with pytest.raises(ValidationError) as refusal:
        service.certificate_revoke(certificate=certificate, reason="Lagi")

    assert refusal.value.messages == ["Sertifikat ini sudah dicabut pada 3 Juni 2024."]


# --- Views: the batch's certificates and issuing -------------------------------------------------------


def test_an_editor_issues_the_certificates_and_follows_the_run_to_its_end(
    client, blm_user, django_capture_on_commit_callbacks
):
    batch = closed_batch(passed=3, failed=1)
    client.force_login(blm_user)
    page = client.get(reverse("trainings:batch_certificates", args=[batch.pk])).content.decode()
    assert "Terbitkan 3 sertifikat" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trainings:certificates_issue", args=[batch.pk]))

    run = CertificateRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    progress = client.get(run.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert 'id="certificate-run-progress"' in progress and "<html" not in progress
    assert "hx-get" not in progress  # finished: the page stops polling
    assert "Selesai: 3 sertifikat diterbitkan." in progress
    assert "3 dari 3 peserta diproses" in progress
    assert run.started_by == blm_user


def test_a_run_still_going_keeps_polling(client, blm_user):
    batch = closed_batch(passed=2)
    run = service.certificate_run_start(batch=batch, user=blm_user)
    client.force_login(blm_user)

    page = client.get(run.get_absolute_url()).content.decode()

    assert 'hx-trigger="every 2s"' in page
    assert "Menunggu" in page


def test_issuing_for_a_batch_still_running_is_refused_with_a_message(client, blm_user):
    batch = make_batch(sessions=1, status=BatchStatus.RUNNING)
    client.force_login(blm_user)

    response = client.post(reverse("trainings:certificates_issue", args=[batch.pk]), follow=True)

    assert "Sertifikat diterbitkan setelah angkatan selesai" in response.content.decode()
    assert not CertificateRun.objects.exists()


def test_the_certificates_tab_lists_numbers_holders_and_status(client, pemda_user):
    batch = closed_batch(passed=3, failed=1, names=["Siti Rahmah", "Ahmad Fauzi", "Nur Aini", "Budi"])
    first, *_ = service.certificates_issue(batch=batch)
    service.certificate_revoke(certificate=first, reason="Salah nama", today=datetime.date(2024, 6, 3))
    client.force_login(pemda_user)

    page = client.get(reverse("trainings:batch_certificates", args=[batch.pk])).content.decode()

    assert "BLM-BJM/2024/0001" in page and "BLM-BJM/2024/0003" in page
    assert "Ahmad Fauzi" in page and "Siti Rahmah" in page and "Budi" not in page
    assert "Dicabut 3 Jun 2024" in page and page.count(">Berlaku<") == 2
    assert "<strong>3</strong> sertifikat terbit" in page and "1 dicabut" in page
    assert "<strong>0</strong> peserta lulus belum bersertifikat" in page
    assert "Terbitkan" not in page  # a reader has no issue button


def test_the_certificates_tab_says_why_nothing_can_be_issued(client, blm_user):
    batch = make_batch(sessions=1, status=BatchStatus.RUNNING)
    client.force_login(blm_user)

    page = client.get(reverse("trainings:batch_certificates", args=[batch.pk])).content.decode()

    assert "Sertifikat diterbitkan setelah angkatan selesai" in page
    assert "Terbitkan" not in page


def test_the_certificates_tab_runs_the_same_queries_for_one_certificate_or_many(
    client, blm_user, django_assert_num_queries
):
    batch = closed_batch(passed=1)
    service.certificates_issue(batch=batch)
    url = reverse("trainings:batch_certificates", args=[batch.pk])
    client.force_login(blm_user)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    baseline = len(before.captured_queries)
    many = closed_batch(passed=15)
    service.certificates_issue(batch=many)
    service.certificate_run_start(batch=closed_batch(passed=1), user=blm_user)

    with django_assert_num_queries(baseline):
        assert client.get(reverse("trainings:batch_certificates", args=[many.pk])).status_code == 200


# --- Views: one certificate ------------------------------------------------------------------------------


def test_an_editor_revokes_a_certificate_with_a_reason_and_its_history_shows_it(client, blm_user):
    certificate = service.certificates_issue(batch=closed_batch(passed=1))[0]
    client.force_login(blm_user)
    url = reverse("trainings:certificate_revoke", args=[certificate.pk])

    response = client.post(url, {"reason": "Peserta ternyata tidak hadir", "version": certificate.version})

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revoked_reason == "Peserta ternyata tidak hadir"
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert "Dicabut pada" in page and "Peserta ternyata tidak hadir" in page
    assert "Alasan pencabutan" in page and f"oleh {blm_user}" in page  # the history names who revoked it
    assert 'action="' + url not in page  # no second revoke form


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Tuliskan alasan pencabutan sertifikat."),
        ("x" * 5000, "paling banyak 1000 karakter"),
        ("Alasan\x00", "karakter NUL"),
    ],
)
def test_a_bad_revoke_reason_is_refused_beside_the_field_and_changes_nothing(client, blm_user, reason, message):
    certificate = service.certificates_issue(batch=closed_batch(passed=1))[0]
    client.force_login(blm_user)

    response = client.post(
        reverse("trainings:certificate_revoke", args=[certificate.pk]),
        {"reason": reason, "version": certificate.version},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_valid and certificate.version == 1


def test_revoking_a_certificate_changed_meanwhile_is_refused(client, blm_user):
    certificate = service.certificates_issue(batch=closed_batch(passed=1))[0]
    client.force_login(blm_user)

    response = client.post(
        reverse("trainings:certificate_revoke", args=[certificate.pk]), {"reason": "Keliru", "version": 0}
    )

    assert response.status_code == 200
    assert "telah diubah oleh pengguna lain" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_the_certificate_page_shows_its_data_and_its_public_address(client, pemda_user, settings):
    settings.SITE_URL = "https://portal.example.go.id"
    certificate = service.certificates_issue(batch=closed_batch(passed=1, names=["Siti Rahmah"]))[0]
    client.force_login(pemda_user)

    page = client.get(certificate.get_absolute_url()).content.decode()

    assert "BLM-BJM/2024/0001" in page and "Siti Rahmah" in page
    assert f"https://portal.example.go.id/verifikasi/{certificate.code}/" in page
    assert "Cabut sertifikat" not in page  # a reader may not revoke


# --- The PDF ------------------------------------------------------------------------------------------


def test_the_pdf_holds_the_holder_programme_hours_dates_blm_head_number_and_qr_code(client, pemda_user, settings):
    settings.SITE_URL = "https://portal.example.go.id"
    Organisation.objects.filter(pk=blm_banjarmasin().pk).update(
        head_name="Pepen Efendi", head_position="Kepala BLM Banjarmasin"
    )
    programme = make_programme(title="Pengelolaan BUMDes", hours_jp=30)
    batch = closed_batch(passed=1, names=["Siti Rahmah"], programme=programme)
    certificate = service.certificates_issue(batch=batch, today=datetime.date(2024, 5, 13))[0]
    url = f"https://portal.example.go.id/verifikasi/{certificate.code}/"
    client.force_login(pemda_user)

    response = client.get(reverse("trainings:certificate_pdf", args=[certificate.pk]))

    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert 'filename="sertifikat-blm-bjm-2024-0001.pdf"' in response["Content-Disposition"]
    assert set(pdf_links(response.content)) == {url}  # the QR code and the printed address link there
    html = service.certificates_html(service.certificates_for_pdf(Certificate.objects.all()))
    assert segno.make(url, error="m").png_data_uri(scale=6, border=2) in html
    document, (text,) = laid_out(html)
    (page,) = document.pages
    assert (round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)) == (297, 210)
    for expected in (
        "Siti Rahmah",
        "Pengelolaan BUMDes",
        "30 jam pelajaran (JP)",
        "6 Mei 2024 sampai dengan 7 Mei 2024",
        "BALAI LATIHAN MASYARAKAT BANJARMASIN",  # the heading is in capitals
        "Kepala BLM Banjarmasin",
        "Pepen Efendi",
        "BLM-BJM/2024/0001",
        "Diterbitkan 13 Mei 2024",
        url,
    ):
        assert expected in text, expected


def test_hostile_names_are_printed_as_text_never_as_markup(db):
    names = [
        "<script>alert(1)</script> Siti",
        '"><img src=x onerror=alert(1)> Rahmah',
        "\u202eBudi\u200f Santoso 😀🎉",
        "A" * 200,
    ]
    batch = closed_batch(passed=4, names=names)
    service.certificates_issue(batch=batch)

    html = service.certificates_html(service.certificates_for_pdf(Certificate.objects.all()))
    pdf = service.certificates_pdf(service.certificates_for_pdf(Certificate.objects.all()))

    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert pdf.startswith(b"%PDF") and pdf_page_count(pdf) == 4  # the long name stays on its own page
    _document, pages = laid_out(html)
    text = " ".join(pages)
    assert "<script>alert(1)</script> Siti" in text
    assert '"><img src=x onerror=alert(1)> Rahmah' in text


def test_a_revoked_certificate_is_marked_so_across_its_pdf(db):
    certificate = service.certificates_issue(batch=closed_batch(passed=1))[0]
    service.certificate_revoke(certificate=certificate, reason="Keliru", today=datetime.date(2024, 6, 3))

    _document, (text,) = laid_out(service.certificates_html(service.certificates_for_pdf(Certificate.objects.all())))

    assert "DICABUT pada 3 Juni 2024 — tidak berlaku" in text


def test_a_batch_downloads_its_valid_certificates_as_one_pdf(client, blm_user):
    batch = closed_batch(passed=3, failed=1)
    first, *_ = service.certificates_issue(batch=batch)
    service.certificate_revoke(certificate=first, reason="Salah nama")
    client.force_login(blm_user)

    response = client.get(reverse("trainings:batch_certificates_pdf", args=[batch.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]
    assert pdf_page_count(response.content) == 2


def test_a_batch_without_certificates_says_there_is_nothing_to_download(client, blm_user):
    batch = closed_batch(passed=1)
    client.force_login(blm_user)

    response = client.get(reverse("trainings:batch_certificates_pdf", args=[batch.pk]), follow=True)

    assert "belum memiliki sertifikat yang berlaku" in response.content.decode()


def test_forty_certificates_make_one_forty_page_pdf(db):
    service.certificates_issue(batch=closed_batch(passed=40, quota=40))

    pdf = service.certificates_pdf(service.certificates_for_pdf(Certificate.objects.all()))

    assert pdf_page_count(pdf) == 40


# --- The public verification page -----------------------------------------------------------------------


def test_anyone_checks_a_certificate_without_logging_in_and_learns_only_the_public_facts(db, settings):
    settings.SITE_URL = "https://portal.example.go.id"
    batch = closed_batch(passed=1, names=["Siti Rahmah"], programme=make_programme(title="Agribisnis Padi Apung"))
    certificate = service.certificates_issue(batch=batch)[0]
    person = certificate.enrolment.person
    Organisation.objects.filter(pk=batch.blm_id).update(head_name="Pepen Efendi")
    type(person).objects.filter(pk=person.pk).update(phone="081234567890")

    response = Client().get(service.verification_url(certificate).removeprefix(settings.SITE_URL))

    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        "BLM-BJM/2024/0001",
        "S*** R***",
        "Agribisnis Padi Apung",
        "6 Mei 2024",
        "7 Mei 2024",
        "Balai Latihan Masyarakat Banjarmasin",
        "Sertifikat ini asli dan berlaku.",
    ):
        assert shown in page, shown
    for hidden in (
        "Siti",
        "Rahmah",
        person.nik_masked,
        person.nik_masked[:6],
        person.nik_masked[-4:] + "<",
        person.village.name,
        batch.venue_village.name,
        "081234567890",
        "Pepen Efendi",
        "Navigasi utama",
        "Keluar",
    ):
        assert hidden not in page, hidden
    assert "<script" not in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_logged_in_visitor_sees_the_same_public_page_without_their_own_data(client, blm_user):
    certificate = service.certificates_issue(batch=closed_batch(passed=1))[0]
    client.force_login(blm_user)

    page = client.get(certificate.get_verification_url()).content.decode()

    assert "blm-test" not in page and "Navigasi utama" not in page


def test_a_revoked_certificate_says_so_with_the_date_publicly_and_not_why(db):
    certificate = service.certificates_issue(batch=closed_batch(passed=1))[0]
    service.certificate_revoke(certificate=certificate, reason="Nilai dipalsukan", today=datetime.date(2024, 6, 3))

    page = Client().get(certificate.get_verification_url()).content.decode()

    assert "Sertifikat ini telah dicabut pada 3 Juni 2024 dan tidak berlaku lagi." in page
    assert "asli dan berlaku" not in page and "Nilai dipalsukan" not in page


@pytest.mark.parametrize("code", ["tidak-ada-kode-ini", "x" * 500, "<script>"])
def test_an_unknown_code_is_a_404_saying_the_certificate_is_not_found(db, code):
    response = Client().get(reverse("verify_certificate", args=[code]))

    assert response.status_code == 404
    page = response.content.decode()
    assert "Sertifikat tidak ditemukan" in page
    assert "<script>" not in page


def test_no_other_page_became_public():
    public = {
        name
        for name, _route, pattern in project_url_patterns()
        if getattr(pattern.callback, "login_required", True) is False
    }

    assert public == {"login", "set_language", "admin:login", "verify_certificate"}


def test_an_anonymous_visitor_is_sent_to_the_login_page_from_every_other_certificate_page(db):
    certificate = service.certificates_issue(batch=closed_batch(passed=1))[0]
    batch_id = certificate.enrolment.batch_id
    for url in (
        reverse("trainings:batch_certificates", args=[batch_id]),
        reverse("trainings:batch_certificates_pdf", args=[batch_id]),
        reverse("trainings:certificate_detail", args=[certificate.pk]),
        reverse("trainings:certificate_pdf", args=[certificate.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
