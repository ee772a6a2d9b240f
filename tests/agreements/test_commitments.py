"""Commitments: overdue computed, done needs evidence, recurring ones move on, the list across agreements."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.commitments import add_months, commitment_add_evidence, commitment_save, commitment_set_status
from agreements.models import AgreementKind, Commitment, CommitmentEvidence, CommitmentStatus, Recurrence
from percontohan.history import StaleRecordError
from tests.agreements.factories_documents import (
    days_from_today,
    make_agreement,
    make_commitment,
    png_bytes,
    private_root,
    upload,
)

LIST = reverse("agreements:commitment_list")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with private_root(settings.PRIVATE_MEDIA_ROOT) as path:
        yield path


@pytest.fixture
def agreement(db):
    return make_agreement("63.04")


def table_rows(response):
    html = response.content.decode()
    return re.findall(r"<tr[^>]*>.*?</tr>", html[html.index('<div id="table">') :], flags=re.S)[1:]


def listed(response):
    """The descriptions of the commitments a list page shows."""
    return {c.description for c in response.context["table"].page.object_list.data}


def exported_rows(response, export_format):
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
        rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


# --- Overdue, done, recurring ------------------------------------------------


def test_overdue_is_computed_from_the_due_date(agreement):
    late = make_commitment(agreement, description="Laporan", due_date=days_from_today(-1))
    due_today = make_commitment(agreement, description="Hari ini", due_date=days_from_today(0))
    undated = make_commitment(agreement, description="Tanpa tenggat")
    late_but_done = make_commitment(
        agreement, description="Selesai", due_date=days_from_today(-30), status=CommitmentStatus.DONE
    )
    late_in_progress = make_commitment(
        agreement, description="Berjalan", due_date=days_from_today(-3), status=CommitmentStatus.IN_PROGRESS
    )

    assert late.is_overdue and late_in_progress.is_overdue
    assert not (due_today.is_overdue or undated.is_overdue or late_but_done.is_overdue)
    assert late.display_status == "Terlambat"
    assert late_but_done.display_status == "Selesai"
    assert set(Commitment.objects.overdue()) == {late, late_in_progress}
    assert late.status == CommitmentStatus.OPEN  # never stored


def test_done_requires_evidence(agreement, blm_user):
    commitment = make_commitment(agreement, due_date=days_from_today(10))

    with pytest.raises(ValidationError) as refused:
        commitment_set_status(commitment=commitment, status=CommitmentStatus.DONE, user=blm_user)

    assert "dengan bukti" in refused.value.message_dict["note"][0]
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.OPEN
    assert commitment.completed_on is None


def test_done_with_a_note_records_it_as_evidence_dated_today(agreement, blm_user):
    commitment = make_commitment(agreement, due_date=days_from_today(10))

    commitment_set_status(
        commitment=commitment, status=CommitmentStatus.DONE, note="Pelatihan BUMDes terlaksana.", user=blm_user
    )

    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.DONE
    assert commitment.completed_on == days_from_today(0)
    evidence = commitment.evidence.get()
    assert evidence.note == "Pelatihan BUMDes terlaksana."
    assert evidence.uploaded_by == blm_user


def test_done_accepts_evidence_recorded_earlier_and_a_file_alone(agreement, blm_user):
    first = make_commitment(agreement)
    commitment_add_evidence(commitment=first, note="Notulen rapat koordinasi.", user=blm_user)
    commitment_set_status(commitment=first, status=CommitmentStatus.IN_PROGRESS, user=blm_user)
    commitment_set_status(
        commitment=first, status=CommitmentStatus.DONE, completed_on=days_from_today(-2), user=blm_user
    )
    second = make_commitment(agreement)
    commitment_set_status(
        commitment=second, status=CommitmentStatus.DONE, upload=upload("foto.png", png_bytes()), user=blm_user
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.completed_on) == (CommitmentStatus.DONE, days_from_today(-2))
    assert second.status == CommitmentStatus.DONE
    assert second.evidence.get().content_type == "image/png"


def test_done_in_the_future_and_steps_back_are_refused(agreement, blm_user):
    commitment = make_commitment(agreement)
    with pytest.raises(ValidationError) as future:
        commitment_set_status(
            commitment=commitment,
            status=CommitmentStatus.DONE,
            completed_on=days_from_today(1),
            note="Nanti",
            user=blm_user,
        )
    assert "masa depan" in future.value.message_dict["completed_on"][0]
    assert not CommitmentEvidence.objects.exists()

    commitment_set_status(commitment=commitment, status=CommitmentStatus.DONE, note="Sudah", user=blm_user)
    with pytest.raises(ValidationError) as back:
        commitment_set_status(commitment=commitment, status=CommitmentStatus.IN_PROGRESS, user=blm_user)
    assert "tidak dapat diubah" in back.value.message_dict["status"][0]


def test_a_recurring_commitment_advances_instead_of_closing(agreement, blm_user):
    commitment = make_commitment(
        agreement, due_date=datetime.date(2026, 1, 31), recurrence=Recurrence.QUARTERLY, description="Laporan triwulan"
    )

    commitment_set_status(
        commitment=commitment,
        status=CommitmentStatus.DONE,
        completed_on=datetime.date(2026, 1, 30),
        note="Laporan triwulan I dikirim.",
        user=blm_user,
    )

    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.OPEN
    assert commitment.due_date == datetime.date(2026, 4, 30)
    assert commitment.completed_on == datetime.date(2026, 1, 30)
    assert commitment.evidence.get().for_due_date == datetime.date(2026, 1, 31)
    # The next period needs its own evidence: the first period's does not count.
    with pytest.raises(ValidationError):
        commitment_set_status(commitment=commitment, status=CommitmentStatus.DONE, user=blm_user)
    commitment_add_evidence(commitment=commitment, note="Laporan triwulan II.", user=blm_user)
    commitment_set_status(commitment=commitment, status=CommitmentStatus.DONE, user=blm_user)
    commitment.refresh_from_db()
    assert commitment.due_date == datetime.date(2026, 7, 30)
    assert sorted(commitment.evidence.values_list("for_due_date", flat=True)) == [
        datetime.date(2026, 1, 31),
        datetime.date(2026, 4, 30),
    ]


def test_a_recurring_commitment_closes_after_the_agreements_last_period(blm_user):
    agreement = make_agreement(
        "63.04", effective_from=datetime.date(2020, 3, 10), effective_to=datetime.date(2024, 12, 31)
    )
    commitment = make_commitment(agreement, due_date=datetime.date(2024, 12, 31), recurrence=Recurrence.YEARLY)

    commitment_set_status(commitment=commitment, status=CommitmentStatus.DONE, note="Laporan akhir.", user=blm_user)

    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.DONE
    assert commitment.due_date == datetime.date(2024, 12, 31)


def test_months_are_added_within_the_month():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 7, 15), 12) == datetime.date(2027, 7, 15)


def test_a_status_change_over_a_newer_version_is_refused(agreement, blm_user):
    commitment = make_commitment(agreement)
    stale = Commitment.objects.get(pk=commitment.pk)
    commitment_set_status(commitment=commitment, status=CommitmentStatus.IN_PROGRESS, user=blm_user)

    with pytest.raises(StaleRecordError):
        commitment_set_status(commitment=stale, status=CommitmentStatus.DONE, note="Selesai", user=blm_user)
    assert not CommitmentEvidence.objects.exists()


def test_the_responsible_party_must_belong_to_the_agreement(agreement):
    other = make_agreement("63.04")

    with pytest.raises(ValidationError) as refused:
        commitment_save(agreement=agreement, party=other.parties.first(), description="Menyediakan lahan")

    assert "party" in refused.value.message_dict
    assert not Commitment.objects.exists()


def test_a_recurring_commitment_needs_a_first_due_date(agreement):
    with pytest.raises(ValidationError) as refused:
        commitment_save(
            agreement=agreement,
            party=agreement.parties.first(),
            description="Laporan bulanan",
            recurrence=Recurrence.MONTHLY,
        )
    assert "due_date" in refused.value.message_dict


# --- Pages: create, edit, status, evidence -----------------------------------


def commitment_data(agreement, **changes):
    return {
        "party": agreement.parties.get(position=2).pk,
        "description": "Menyediakan lahan demplot pertanian pasang surut",
        "due_date": "2026-06-30",
        "recurrence": "",
        "notes": "",
        **changes,
    }


def test_an_editor_adds_and_edits_a_commitment(client, agreement, blm_user):
    client.force_login(blm_user)

    response = client.post(reverse("agreements:commitment_create", args=[agreement.pk]), commitment_data(agreement))

    commitment = Commitment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == commitment.get_absolute_url()
    assert commitment.party.position == 2
    update = reverse("agreements:commitment_update", args=[commitment.pk])
    edited = client.post(update, commitment_data(agreement, due_date="2026-07-31", version=commitment.version))
    assert edited.status_code == 302
    commitment.refresh_from_db()
    assert commitment.due_date == datetime.date(2026, 7, 31)
    # The same form again: someone (this editor) changed it meanwhile.
    stale = client.post(update, commitment_data(agreement, due_date="2026-08-31", version=commitment.version - 1))
    assert stale.status_code == 200
    assert "telah diubah oleh pengguna lain" in stale.content.decode()
    commitment.refresh_from_db()
    assert commitment.due_date == datetime.date(2026, 7, 31)


def test_a_party_of_another_agreement_is_not_offered(client, agreement, blm_user):
    other = make_agreement("63.04")
    client.force_login(blm_user)

    response = client.post(
        reverse("agreements:commitment_create", args=[agreement.pk]),
        commitment_data(agreement, party=other.parties.first().pk),
    )

    assert response.status_code == 200
    assert "party" in response.context["form"].errors
    assert not Commitment.objects.exists()


def test_marking_done_on_the_page_needs_evidence(client, agreement, blm_user):
    commitment = make_commitment(agreement)
    client.force_login(blm_user)
    url = reverse("agreements:commitment_status", args=[commitment.pk])

    refused = client.post(url, {"status": "selesai", "version": commitment.version})
    assert refused.status_code == 200
    assert "dengan bukti" in refused.content.decode()
    done = client.post(
        url, {"status": "selesai", "version": commitment.version, "file": upload("laporan.png", png_bytes())}
    )
    assert done.status_code == 302

    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.DONE
    page = client.get(commitment.get_absolute_url()).content.decode()
    evidence = commitment.evidence.get()
    assert reverse("agreements:evidence_download", args=[evidence.pk]) in page
    assert "laporan.png" in page


def test_the_recurring_step_on_the_page_says_what_comes_next(client, agreement, blm_user):
    commitment = make_commitment(agreement, due_date=datetime.date(2026, 3, 31), recurrence=Recurrence.MONTHLY)
    client.force_login(blm_user)

    response = client.post(
        reverse("agreements:commitment_status", args=[commitment.pk]),
        {"status": "selesai", "note": "Laporan Maret.", "version": commitment.version},
        follow=True,
    )

    assert "tenggat berikutnya 30 April 2026" in response.content.decode()


def test_evidence_is_added_on_the_page(client, agreement, blm_user):
    commitment = make_commitment(agreement)
    client.force_login(blm_user)
    url = reverse("agreements:commitment_evidence_add", args=[commitment.pk])

    empty = client.post(url, {"note": " "})
    assert empty.status_code == 200
    assert "Tuliskan keterangan atau lampirkan berkas bukti" in empty.content.decode()
    assert client.post(url, {"note": "Daftar hadir pelatihan."}).status_code == 302

    assert commitment.evidence.get().note == "Daftar hadir pelatihan."


def test_an_official_reads_commitments_but_cannot_change_them(client, agreement, pemda_user):
    commitment = make_commitment(agreement, description="Menyediakan lahan", due_date=days_from_today(-5))
    client.force_login(pemda_user)

    assert "Menyediakan lahan" in listed(client.get(LIST))
    page = client.get(commitment.get_absolute_url())
    assert page.status_code == 200
    assert reverse("agreements:commitment_status", args=[commitment.pk]) not in page.content.decode()
    writes = [
        reverse("agreements:commitment_create", args=[agreement.pk]),
        reverse("agreements:commitment_update", args=[commitment.pk]),
        reverse("agreements:commitment_status", args=[commitment.pk]),
        reverse("agreements:commitment_evidence_add", args=[commitment.pk]),
    ]
    for url in writes:
        assert client.post(url, {"status": "selesai", "note": "Selesai", "version": 1}).status_code == 403, url
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.OPEN
    assert not commitment.evidence.exists()


def test_another_regencys_official_sees_neither_the_page_nor_the_row(client, agreement, other_pemda_user):
    commitment = make_commitment(agreement, description="Menyediakan lahan")
    client.force_login(other_pemda_user)

    assert client.get(commitment.get_absolute_url()).status_code == 404
    assert "Menyediakan lahan" not in listed(client.get(LIST))
    export = client.get(LIST, {"_export": "csv"}).getvalue().decode("utf-8-sig")
    assert "Menyediakan lahan" not in export


# --- The list across agreements ----------------------------------------------


@pytest.fixture
def spread(db):
    """Commitments in two Kalimantan Selatan regencies: late, open, in progress, done; an MoU and a PKS."""
    mou = make_agreement("63.04", title="MoU Pembangunan Desa Percontohan Barito Kuala")
    pks = make_agreement("63.05", kind=AgreementKind.PKS, title="PKS Pelatihan Banjar")
    return {
        "late": make_commitment(mou, description="Laporan terlambat", due_date=days_from_today(-20)),
        "late_busy": make_commitment(
            pks,
            position=2,
            description="Pelatihan terlambat",
            due_date=days_from_today(-3),
            status=CommitmentStatus.IN_PROGRESS,
        ),
        "open": make_commitment(mou, position=2, description="Lahan demplot", due_date=days_from_today(30)),
        "busy": make_commitment(
            pks, description="Pendampingan BUMDes", due_date=days_from_today(60), status=CommitmentStatus.IN_PROGRESS
        ),
        "done": make_commitment(
            mou,
            description="Sosialisasi selesai",
            due_date=days_from_today(-40),
            status=CommitmentStatus.DONE,
            completed_on=days_from_today(-41),
        ),
        "mou": mou,
        "pks": pks,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"late", "late_busy", "open", "busy", "done"}),
        ({"status": "terlambat"}, {"late", "late_busy"}),
        ({"status": "terbuka"}, {"open"}),
        ({"status": "berjalan"}, {"busy"}),
        ({"status": "selesai"}, {"done"}),
        ({"kind": "pks"}, {"late_busy", "busy"}),
        ({"regency": "63.05"}, {"late_busy", "busy"}),
        ({"due_before": "today"}, {"late", "late_busy", "done"}),
        ({"due_after": "today"}, {"open", "busy"}),
        ({"q": "demplot"}, {"open"}),
    ],
)
def test_the_list_filters(client, blm_user, spread, params, expected):
    params = {key: days_from_today(0).isoformat() if value == "today" else value for key, value in params.items()}
    client.force_login(blm_user)

    response = client.get(LIST, params)

    assert listed(response) == {spread[name].description for name in expected}


def test_the_list_filters_by_responsible_organisation_and_agreement(client, blm_user, spread):
    client.force_login(blm_user)
    owner = spread["late"].party.organisation

    assert listed(client.get(LIST, {"organisation": owner.pk})) == {"Laporan terlambat", "Sosialisasi selesai"}
    assert listed(client.get(LIST, {"agreement": spread["pks"].pk})) == {"Pelatihan terlambat", "Pendampingan BUMDes"}


def test_the_list_is_sorted_by_due_date_and_marks_late_rows(client, blm_user, spread):
    client.force_login(blm_user)

    response = client.get(LIST)

    rows = table_rows(response)
    order = [c.description for c in response.context["table"].page.object_list.data]
    assert order == [
        "Sosialisasi selesai",
        "Laporan terlambat",
        "Pelatihan terlambat",
        "Lahan demplot",
        "Pendampingan BUMDes",
    ]
    assert "table-danger" in rows[1] and "Terlambat" in rows[1] and "20 hari" in rows[1]
    assert "table-danger" not in rows[0]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_has_every_filtered_row_with_the_computed_status(client, blm_user, agreement, export_format):
    for n in range(30):
        make_commitment(agreement, description=f"Laporan bulan {n}", due_date=days_from_today(n - 15))
    client.force_login(blm_user)

    header, rows = exported_rows(client.get(LIST, {"_export": export_format}), export_format)
    _, late = exported_rows(client.get(LIST, {"_export": export_format, "status": "terlambat"}), export_format)

    assert len(rows) == 30
    status, days_late = header.index("Status"), header.index("Keterlambatan")
    assert {"Pihak yang bertanggung jawab", "Perjanjian", "Judul perjanjian", "Tenggat"} <= set(header)
    assert sorted(row[status] for row in rows) == ["Belum dimulai"] * 15 + ["Terlambat"] * 15
    assert len(late) == 15
    assert {row[status] for row in late} == {"Terlambat"}
    assert sorted(int(row[days_late]) for row in late) == list(range(1, 16))


def test_the_list_runs_the_same_queries_as_commitments_grow(client, blm_user, spread, django_assert_num_queries):
    client.force_login(blm_user)
    with CaptureQueriesContext(connection) as before:
        assert client.get(LIST).status_code == 200
    baseline = len(before.captured_queries)  # read now: the next request clears the query log
    with CaptureQueriesContext(connection) as before_export:
        client.get(LIST, {"_export": "csv"}).getvalue()  # the rows are read while the CSV streams
    export_baseline = len(before_export.captured_queries)
    for regency in ("63.01", "63.02", "62.01"):
        agreement = make_agreement(regency, kind=AgreementKind.PKS)
        for n in range(4):
            make_commitment(agreement, position=1 + n % 2, due_date=days_from_today(n * 7 - 10))

    with django_assert_num_queries(baseline):
        assert client.get(LIST).status_code == 200
    with django_assert_num_queries(export_baseline):
        client.get(LIST, {"_export": "csv"}).getvalue()


def test_the_commitment_page_runs_the_same_queries_as_evidence_grows(
    client, agreement, blm_user, django_assert_num_queries
):
    commitment = make_commitment(agreement, due_date=datetime.date(2026, 1, 31), recurrence=Recurrence.MONTHLY)
    client.force_login(blm_user)
    url = commitment.get_absolute_url()

    def period_done(n):
        commitment.refresh_from_db()
        data = {"status": "selesai", "note": f"Periode {n}", "version": commitment.version}
        if n % 2:
            data["file"] = upload(f"bukti-{n}.png", png_bytes())
        assert client.post(reverse("agreements:commitment_status", args=[commitment.pk]), data).status_code == 302

    period_done(0)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    baseline = len(before.captured_queries)  # read now: the next request clears the query log
    for n in range(1, 6):
        period_done(n)

    with django_assert_num_queries(baseline):
        response = client.get(url)
    assert response.content.decode().count("/perjanjian/bukti/") == 3


def test_the_pages_keep_to_the_strict_content_security_policy(client, agreement, blm_user):
    commitment = make_commitment(agreement, due_date=days_from_today(-2))
    commitment_add_evidence(commitment=commitment, note="Foto", upload=upload("foto.png", png_bytes()), user=blm_user)
    client.force_login(blm_user)
    urls = [
        LIST,
        commitment.get_absolute_url(),
        reverse("agreements:commitment_create", args=[agreement.pk]),
        reverse("agreements:commitment_update", args=[commitment.pk]),
        reverse("agreements:document_create", args=[agreement.pk]),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert ' style="' not in html, url
        for tag in re.findall(r"<script[^>]*>", html):
            assert 'src="' in tag and "nonce=" in tag, (url, tag)
