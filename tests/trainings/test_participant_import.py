"""Importing a batch's participants: the template, all-or-nothing with row errors in Indonesian (never a NIK
in clear), people matched by their NIK's hash, quota then waiting list in file order, the background
task with its page, and the upload deleted once imported."""

import datetime
import io

import openpyxl
import pghistory.models
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from percontohan.imports import ImportFailed, ImportStatus
from tests.trainings.factories import ACEH_SELATAN_VILLAGE, BARITO_KUALA_VILLAGE, enrol, make_batch, make_person
from trainings import nik as niks
from trainings.imports import TEMPLATE_COLUMNS, import_participants
from trainings.models import BatchStatus, Enrolment, EnrolmentStatus, ParticipantImport, Person
from trainings.nik import Sex, compose

HEADER = ",".join(TEMPLATE_COLUMNS)
ANJIR_PASAR = "63.04.03"


def nik_of(serial, *, sex=Sex.FEMALE, birth_date=datetime.date(1990, 8, 5), district=ANJIR_PASAR):
    return compose(district, birth_date, sex, serial)


def row(serial, name=None, *, sex="P", birth="1990-08-05", village=BARITO_KUALA_VILLAGE, nik=None, **extra):
    """One line of a registration list (CSV), for a woman born 5 August 1990 unless told otherwise."""
    nik = nik if nik is not None else nik_of(serial, sex=Sex.MALE if sex == "L" else Sex.FEMALE)
    cells = {
        "nama": name or f"Peserta {serial}",
        "nik": nik,
        "jenis_kelamin": sex,
        "tanggal_lahir": birth,
        "kode_desa": village,
        "telepon": "081234567890",
        "pendidikan": "sma",
        "pekerjaan": "Petani",
        "peran_desa": "Kelompok tani/nelayan",
        "disabilitas": "",
        **extra,
    }
    return ",".join(cells[column] for column in TEMPLATE_COLUMNS)


def csv_bytes(*rows):
    return "\n".join([HEADER, *rows, ""]).encode()


def failure(batch, data, user):
    with pytest.raises(ImportFailed) as raised:
        import_participants(batch, data, user)
    return raised.value.errors


def errors_by_row(errors):
    return {(error.row, error.column): error.message for error in errors}


# --- The template ----------------------------------------------------------------------------------


def test_the_template_has_the_expected_columns_kept_as_text_and_a_guide(client, blm_user):
    client.force_login(blm_user)

    response = client.get(reverse("trainings:participant_template"))

    assert response["Content-Disposition"] == 'attachment; filename="templat-daftar-peserta.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["peserta"]
    assert [cell.value for cell in sheet[1]] == list(TEMPLATE_COLUMNS)
    assert sheet["B2"].number_format == "@"  # a NIK typed there keeps its 16 digits
    guide = {row[0]: row[1] for row in workbook["petunjuk"].iter_rows(min_row=2, values_only=True)}
    assert set(guide) == set(TEMPLATE_COLUMNS)
    assert "kelompok_tani" in guide["peran_desa"]


def test_a_filled_in_template_imports(blm_user):
    batch = make_batch()
    workbook = openpyxl.load_workbook(io.BytesIO(_template_bytes()))
    sheet = workbook["peserta"]
    values = ["Siti Aminah", nik_of(7), "P", datetime.date(1990, 8, 5), BARITO_KUALA_VILLAGE, "0812345678", "sd"]
    for column, value in enumerate(values, start=1):
        sheet.cell(row=2, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = import_participants(batch, buffer.getvalue(), blm_user)

    assert (result.created, result.enrolled) == (1, 1)
    assert Person.objects.get().nik == nik_of(7)


def _template_bytes():
    from trainings.imports import participant_template

    return participant_template()


# --- What a good file does ---------------------------------------------------------------------------


def test_a_good_file_creates_people_with_protected_niks_and_enrols_them(blm_user):
    batch = make_batch(quota=10)

    result = import_participants(batch, csv_bytes(row(1, "Siti Aminah"), row(2, "Rahmat", sex="L")), blm_user)

    assert (result.created, result.matched_count, result.enrolled) == (2, 0, 2)
    siti = Person.objects.get(full_name="Siti Aminah")
    assert siti.nik == nik_of(1)
    assert siti.nik_hash == niks.nik_hash(nik_of(1)) and siti.nik_masked == niks.mask(nik_of(1))
    assert (siti.sex, siti.village_id, siti.village_role, siti.education) == (
        "P",
        BARITO_KUALA_VILLAGE,
        "kelompok_tani",
        "sma",
    )
    assert set(Enrolment.objects.filter(batch=batch).values_list("status", flat=True)) == {EnrolmentStatus.REGISTERED}


def test_people_already_registered_are_matched_by_their_nik_reported_and_not_duplicated(blm_user):
    batch = make_batch()
    known = make_person(full_name="Siti Aminah", nik=nik_of(1))
    enrolled_here = make_person(full_name="Rahmah", nik=nik_of(2))
    enrol(batch, enrolled_here)

    result = import_participants(batch, csv_bytes(row(1, "Siti A."), row(2, "Rahmah"), row(3, "Baru")), blm_user)

    assert (result.created, result.matched_count, result.enrolled, result.already_enrolled) == (1, 2, 2, 1)
    assert Person.objects.count() == 3
    assert Enrolment.objects.filter(batch=batch, person=known).exists()
    assert result.matched == [
        {"row": 2, "name": "Siti A.", "nik": known.nik_masked, "already": False},
        {"row": 3, "name": "Rahmah", "nik": enrolled_here.nik_masked, "already": True},
    ]


def test_the_quota_then_the_waiting_list_apply_in_file_order(blm_user):
    batch = make_batch(quota=3)
    enrol(batch)

    result = import_participants(
        batch, csv_bytes(*(row(serial, f"Peserta {serial}") for serial in range(1, 6))), blm_user
    )

    assert (result.enrolled, result.waiting) == (5, 3)
    statuses = dict(Enrolment.objects.filter(batch=batch).values_list("person__full_name", "status"))
    assert [statuses[f"Peserta {n}"] for n in range(1, 6)] == [
        EnrolmentStatus.REGISTERED,
        EnrolmentStatus.REGISTERED,
        EnrolmentStatus.WAITING,
        EnrolmentStatus.WAITING,
        EnrolmentStatus.WAITING,
    ]
    waiting = Enrolment.objects.filter(batch=batch, status=EnrolmentStatus.WAITING).order_by("registered_at", "pk")
    assert [e.person.full_name for e in waiting] == ["Peserta 3", "Peserta 4", "Peserta 5"]


def test_an_unknown_district_in_a_nik_is_a_note_not_a_refusal(blm_user):
    batch = make_batch()

    result = import_participants(batch, csv_bytes(row(1, nik=nik_of(1, district="63.04.99"))), blm_user)

    assert result.created == 1
    assert any("angka 5–6 NIK di 1 baris (2)" in note for note in result.notes)


def test_day_first_dates_and_choice_labels_are_understood(blm_user):
    batch = make_batch()

    import_participants(
        batch, csv_bytes(row(1, birth="05/08/1990", pendidikan="SMA/SMK/sederajat", disabilitas="fisik")), blm_user
    )

    person = Person.objects.get()
    assert (person.birth_date, person.education, person.disability) == (datetime.date(1990, 8, 5), "sma", "fisik")


# --- All or nothing, with the rows that are wrong --------------------------------------------------------


def test_bad_rows_fail_the_whole_file_each_saying_why_and_nothing_is_written(blm_user):
    batch = make_batch()
    bad_nik = "6304034508900000"
    rows = [
        row(1),  # line 2: good
        row(2, nik="630403450890002"),  # line 3: 15 digits
        row(3, nik=bad_nik),  # line 4: serial 0000
        row(4, village="63.04.03.2999"),  # line 5: no such village
        row(1),  # line 6: the NIK of line 2 again
        row(5, sex="L", nik=nik_of(5)),  # line 7: a woman's NIK entered as a man
        row(6, birth="1991-08-05"),  # line 8: another birth date
        row(7, sex="X"),  # line 9
        row(8, peran_desa="lurah"),  # line 10
        row(9, telepon="0812abc"),  # line 11
        row(10, birth="2020-01-01", nik=nik_of(10, birth_date=datetime.date(2020, 1, 1))),  # line 12: too young
        row(11, village=ACEH_SELATAN_VILLAGE),  # line 13: outside the BLM's working area
    ]

    errors = failure(batch, csv_bytes(*rows), blm_user)

    found = errors_by_row(errors)
    assert found[(3, "nik")] == "NIK harus 16 angka; yang diisi 15 angka."
    assert found[(4, "nik")] == "Angka 13–16 NIK (nomor urut) tidak boleh 0000."
    assert found[(5, "kode_desa")] == "kode desa 63.04.03.2999 tidak dikenal"
    assert found[(6, "nik")] == "NIK sama dengan NIK di baris 2"
    assert found[(7, "jenis_kelamin")].startswith("Jenis kelamin tidak sesuai dengan NIK")
    assert found[(8, "tanggal_lahir")] == "Tanggal lahir tidak sesuai dengan angka 7–12 NIK."
    assert found[(9, "jenis_kelamin")] == "jenis kelamin harus L (laki-laki) atau P (perempuan)"
    assert found[(10, "peran_desa")].startswith("'lurah' tidak dikenal; isi salah satu dari: perangkat, bpd")
    assert found[(11, "telepon")] == "telepon hanya boleh berisi angka (boleh diawali +), 6–15 angka"
    assert found[(12, "tanggal_lahir")].startswith("Peserta harus berusia paling sedikit 15 tahun")
    assert found[(13, "kode_desa")] == f"desa {ACEH_SELATAN_VILLAGE} di luar wilayah kerja Anda"
    assert errors.count == 11
    assert not any(bad_nik in str(error) or nik_of(1) in str(error) for error in errors)
    assert not Person.objects.exists() and not Enrolment.objects.exists()


def test_a_nik_in_the_wrong_column_is_not_repeated_in_the_error(blm_user):
    batch = make_batch()
    stray = nik_of(31)

    errors = failure(batch, csv_bytes(row(30, village=stray), row(32, peran_desa=stray)), blm_user)

    found = errors_by_row(errors)
    assert found[(2, "kode_desa")] == "kode desa '…' tidak sah (contoh: 63.04.03.2001)"
    assert found[(3, "peran_desa")].startswith("'…' tidak dikenal")
    assert not any(stray in str(error) for error in errors)


def test_a_file_without_a_required_column_is_refused_as_a_whole(blm_user):
    batch = make_batch()
    data = b"nama,nik,jenis_kelamin\nSiti,6304034508900001,P\n"

    errors = failure(batch, data, blm_user)

    assert errors.listed[0].message == (
        "Kolom wajib tidak ditemukan: tanggal_lahir, kode_desa. Pakai templat daftar peserta."
    )


@pytest.mark.parametrize("status", [BatchStatus.CLOSED, BatchStatus.CANCELLED])
def test_a_batch_no_longer_taking_registrations_imports_nothing(blm_user, status):
    batch = make_batch(status=status, **({"cancel_reason": "Banjir"} if status == BatchStatus.CANCELLED else {}))

    errors = failure(batch, csv_bytes(row(1)), blm_user)

    assert "tidak menerima pendaftaran" in errors.listed[0].message
    assert not Person.objects.exists()


# --- In the background, with its page ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def upload(client, batch, data, django_capture_on_commit_callbacks, name="peserta.csv"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("trainings:participant_import", args=[batch.pk]),
            {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
        )


def test_an_upload_runs_in_the_background_its_page_shows_the_counts_and_the_file_is_deleted(
    client, blm_user, django_capture_on_commit_callbacks, private_media
):
    batch = make_batch(quota=1)
    known = make_person(full_name="Siti Aminah", nik=nik_of(1))
    client.force_login(blm_user)

    models = ["trainings.PersonEvent", "trainings.EnrolmentEvent"]
    before = {event.pgh_id for event in pghistory.models.Events.objects.filter(pgh_model__in=models)}

    response = upload(client, batch, csv_bytes(row(1, "Siti A."), row(2, "Rahmah")), django_capture_on_commit_callbacks)

    record = ParticipantImport.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert record.status == ImportStatus.DONE
    assert (record.created_count, record.matched_count, record.enrolled_count) == (1, 1, 2)
    assert not record.file and not any(path.is_file() for path in private_media.rglob("*"))
    page = client.get(record.get_absolute_url()).content.decode()
    assert known.nik_masked in page and known.nik not in page and nik_of(2) not in page
    assert "1 peserta masuk daftar tunggu" in page
    # Every person and enrolment written names the uploader in its history.
    events = [e for e in pghistory.models.Events.objects.filter(pgh_model__in=models) if e.pgh_id not in before]
    assert len(events) == 3  # Rahmah created; Siti and Rahmah enrolled
    assert {event.pgh_context["user"] for event in events} == {blm_user.pk}


def test_a_failed_upload_lists_row_numbers_and_reasons_without_any_nik(
    client, blm_user, django_capture_on_commit_callbacks
):
    batch = make_batch()
    client.force_login(blm_user)
    bad = nik_of(2, sex=Sex.MALE)

    upload(client, batch, csv_bytes(row(1), row(2, nik=bad), row(1)), django_capture_on_commit_callbacks)

    record = ParticipantImport.objects.get()
    assert record.status == ImportStatus.FAILED
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Impor gagal — tidak ada yang diubah." in page
    assert "2 baris bermasalah" in page
    assert "NIK sama dengan NIK di baris 2" in page
    assert "Jenis kelamin tidak sesuai dengan NIK" in page
    assert bad not in page and nik_of(1) not in page
    assert not Person.objects.exists()


def test_the_import_page_polls_while_the_import_runs(client, blm_user):
    batch = make_batch()
    record = ParticipantImport.objects.create(batch=batch, original_name="peserta.csv", started_by=blm_user)
    client.force_login(blm_user)

    partial = client.get(record.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    assert partial.startswith('\n<section id="import-progress"') or 'id="import-progress"' in partial[:200]
    assert 'hx-trigger="every 2s"' in partial


def test_an_upload_that_is_not_csv_or_xlsx_is_refused_before_importing(client, blm_user):
    batch = make_batch()
    client.force_login(blm_user)

    response = client.post(
        reverse("trainings:participant_import", args=[batch.pk]),
        {"file": SimpleUploadedFile("peserta.pdf", b"%PDF-1.4", content_type="application/pdf")},
    )

    assert response.status_code == 200
    assert "Hanya berkas CSV atau XLSX yang dapat diimpor." in response.content.decode()
    assert not ParticipantImport.objects.exists()


def test_readers_may_not_import(client, pemda_user):
    batch = make_batch()
    client.force_login(pemda_user)

    response = client.post(
        reverse("trainings:participant_import", args=[batch.pk]),
        {"file": SimpleUploadedFile("peserta.csv", csv_bytes(row(1)), content_type="text/csv")},
    )

    assert response.status_code == 403
    assert not ParticipantImport.objects.exists()
