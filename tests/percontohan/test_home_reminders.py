"""The home page's reminders: agreements about to expire and overdue commitments in the user's scope."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import CommitmentStatus
from tests.agreements.factories import CommitmentFactory, SignedAgreementFactory


def text_of(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_an_official_sees_the_agreements_of_the_district_that_expire_soon(client, pemda_user):
    ending = days_from_today(20)
    agreement = SignedAgreementFactory(number="NK.07/2025", title="Perpanjangan kerja sama", effective_to=ending)
    SignedAgreementFactory(number="NK.08/2025", effective_to=days_from_today(200))
    SignedAgreementFactory(number="NK.09/2025", effective_to=days_from_today(10), regencies=["11.01"])
    client.force_login(pemda_user)

    response = client.get("/")
    page = text_of(response)

    assert "Perjanjian akan berakhir" in page
    assert f"NK.07/2025 Perpanjangan kerja sama {ending.day} " in page
    assert "20 hari lagi" in page
    assert f'href="{agreement.get_absolute_url()}"' in response.content.decode()
    assert "NK.08/2025" not in page  # beyond the warning window
    assert "NK.09/2025" not in page  # Aceh Selatan: outside the official's regency
    listed = text_of(client.get(re.search(r'href="([^"]*expiring=on)"', response.content.decode()).group(1)))
    assert "NK.07/2025" in listed
    assert "NK.08/2025" not in listed


def test_the_end_date_is_written_the_indonesian_way(client, pemda_user):
    SignedAgreementFactory(number="NK.10/2025", effective_to=days_from_today(30))
    client.force_login(pemda_user)

    page = text_of(client.get("/"))

    months = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ]
    ending = days_from_today(30)
    assert f"{ending.day} {months[ending.month - 1]} {ending.year}" in page


def test_overdue_commitments_show_who_owes_them_and_when_they_were_due(client, pemda_user):
    agreement = SignedAgreementFactory(number="NK.11/2020", effective_to=None)
    CommitmentFactory(
        agreement=agreement,
        description="Melaporkan pendapatan asli desa",
        due_date=datetime.date(2025, 3, 31),
        status=CommitmentStatus.IN_PROGRESS,
    )
    CommitmentFactory(
        agreement=agreement,
        description="Sudah selesai",
        due_date=datetime.date(2025, 3, 31),
        status=CommitmentStatus.DONE,
    )
    CommitmentFactory(agreement=agreement, description="Belum jatuh tempo", due_date=days_from_today(5))
    client.force_login(pemda_user)

    page = text_of(client.get("/"))

    assert "Komitmen terlambat" in page
    assert "Melaporkan pendapatan asli desa Kemendes PDTT 31 Maret 2025 NK.11/2020" in page
    assert "Sudah selesai" not in page
    assert "Belum jatuh tempo" not in page


def test_another_regencys_official_sees_none_of_them(client, other_pemda_user):
    agreement = SignedAgreementFactory(number="NK.12/2025", effective_to=days_from_today(20))
    CommitmentFactory(agreement=agreement, description="Terlambat di Barito Kuala", due_date=days_from_today(-3))
    client.force_login(other_pemda_user)

    page = text_of(client.get("/"))

    assert "NK.12/2025" not in page
    assert "Terlambat di Barito Kuala" not in page
    assert "Tidak ada perjanjian dalam cakupan Anda yang akan segera berakhir." in page
    assert "Tidak ada komitmen terlambat dalam cakupan Anda." in page


def test_the_home_page_runs_as_many_queries_with_many_reminders_as_with_one(client, blm_user):
    first = SignedAgreementFactory(effective_to=days_from_today(15))
    CommitmentFactory(agreement=first, due_date=days_from_today(-1))
    client.force_login(blm_user)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for index in range(12):
        agreement = SignedAgreementFactory(effective_to=days_from_today(index + 1))
        CommitmentFactory(agreement=agreement, due_date=days_from_today(-index - 2))
    with CaptureQueriesContext(connection) as many:
        page = text_of(client.get("/"))

    assert len(many.captured_queries) == len(few.captured_queries)
    assert "Menampilkan 10 yang paling dekat." in page
