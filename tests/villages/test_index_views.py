"""The index pages: uploading a file, following the import, the unmatched rows, the schemes."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from villages.models import IndexImport, IndexScheme, IndexScore
from villages.models.index import ImportStatus

UPLOAD_URL = "/indeks/impor/"
HEADER = "kode_desa,tahun,nama_desa,iks,ike,ikl,idm,status,keterangan"
ANDAMAN = "63.04.03.2001,2024,ANDAMAN,0.7143,0.6667,0.8667,0.7492,MAJU,"
HILIR_MESJID = "63.04.03.2002,2024,HILIR MESJID,0.7543,0.7,1,0.8181,MANDIRI,"
KEUDE_BAKONGAN = "11.01.01.2001,2024,KEUDE BAKONGAN,0.8,0.9,0.5333,0.7444,MAJU,"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def idm(db):
    return IndexScheme.objects.get(code="idm")


def csv_file(*rows, name="idm-2024.csv"):
    return SimpleUploadedFile(name, "\n".join([HEADER, *rows]).encode(), content_type="text/csv")


def upload(client, user, idm, file, django_capture_on_commit_callbacks, **data):
    """Post a file as `user`; the import task runs when the request's transaction commits."""
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(UPLOAD_URL, {"scheme": idm.pk, "file": file, **data})


def make_import(user, **fields):
    idm = IndexScheme.objects.get(code="idm")
    return IndexImport.objects.create(scheme=idm, original_name="idm.csv", started_by=user, **fields)


# --- uploading ------------------------------------------------------------------


def test_blm_staff_upload_a_file_and_see_it_done_with_its_counts(
    client, blm_user, idm, django_capture_on_commit_callbacks
):
    response = upload(client, blm_user, idm, csv_file(ANDAMAN, HILIR_MESJID), django_capture_on_commit_callbacks)

    record = IndexImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert record.started_by == blm_user
    assert record.original_name == "idm-2024.csv"
    page = client.get(response["Location"]).content.decode()
    assert "Selesai" in page
    assert "ditambahkan" in page and "diperbarui" in page and "tidak berubah" in page
    assert record.created_count == 2
    assert IndexScore.objects.get(village_id="63.04.03.2001", year=2024).value == Decimal("0.7492")


def test_the_ministrys_xlsx_spreadsheet_can_be_uploaded_for_a_named_year(
    client, blm_user, idm, tmp_path, django_capture_on_commit_callbacks
):
    workbook = openpyxl.Workbook()
    workbook.active.append(["KODE_DESA", "IKS_2023", "IKE_2023", "IKL_2023", "IKS_2024", "IKE_2024", "IKL_2024"])
    workbook.active.append([6304032001, 0.7143, 0.5833, 0.8667, 0.7143, 0.6667, 0.8667])
    workbook.save(tmp_path / "IDM.xlsx")
    spreadsheet = SimpleUploadedFile("IDM.xlsx", (tmp_path / "IDM.xlsx").read_bytes())

    upload(client, blm_user, idm, spreadsheet, django_capture_on_commit_callbacks, year=2024)

    assert IndexImport.objects.get().status == ImportStatus.DONE
    assert IndexScore.objects.get(village_id="63.04.03.2001").year == 2024
    assert IndexScore.objects.get(village_id="63.04.03.2001").value == Decimal("0.7492")


def test_an_upload_keeps_the_file_out_of_the_public_static_and_media_urls(
    client, blm_user, idm, settings, django_capture_on_commit_callbacks
):
    upload(client, blm_user, idm, csv_file(ANDAMAN), django_capture_on_commit_callbacks)

    record = IndexImport.objects.get()
    assert record.file.path.startswith(str(settings.MEDIA_ROOT))
    assert client.get("/media/" + record.file.name).status_code == 404


def test_the_import_of_an_upload_names_the_uploader_in_the_scores_history(
    client, blm_user, idm, django_capture_on_commit_callbacks
):
    upload(client, blm_user, idm, csv_file(ANDAMAN), django_capture_on_commit_callbacks)
    upload(client, blm_user, idm, csv_file(ANDAMAN.replace("0.7492", "0.7500")), django_capture_on_commit_callbacks)

    score = IndexScore.objects.get(village_id="63.04.03.2001", year=2024)
    event = score.events.get()
    assert event.pgh_context.metadata["user"] == blm_user.pk


def test_blm_staff_change_only_villages_in_their_working_area(
    client, blm_user, idm, django_capture_on_commit_callbacks
):
    response = upload(client, blm_user, idm, csv_file(ANDAMAN, KEUDE_BAKONGAN), django_capture_on_commit_callbacks)

    record = IndexImport.objects.get()
    assert record.out_of_scope == [{"row": 3, "code": "11.01.01.2001", "name": "KEUDE BAKONGAN"}]
    assert not IndexScore.objects.filter(village_id="11.01.01.2001").exists()
    page = client.get(response["Location"]).content.decode()
    assert "1 baris di luar wilayah kerja Anda" in page


def test_an_admin_may_change_villages_anywhere(client, admin_user, idm, django_capture_on_commit_callbacks):
    upload(client, admin_user, idm, csv_file(ANDAMAN, KEUDE_BAKONGAN), django_capture_on_commit_callbacks)

    assert IndexScore.objects.filter(village_id="11.01.01.2001").exists()


@pytest.mark.parametrize("user", ["pemda_user", "ministry_user"])
def test_readers_may_not_upload(request, client, idm, user, django_capture_on_commit_callbacks):
    reader = request.getfixturevalue(user)

    response = upload(client, reader, idm, csv_file(ANDAMAN), django_capture_on_commit_callbacks)

    assert response.status_code == 403
    assert client.get(UPLOAD_URL).status_code == 403
    assert not IndexImport.objects.exists()
    assert not IndexScore.objects.exists()


def test_an_oversized_file_is_refused_with_the_limit_and_nothing_changes(
    client, blm_user, idm, settings, django_capture_on_commit_callbacks
):
    settings.UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("idm.csv", (HEADER + "\n" + ANDAMAN + "\n" * (1024 * 1024)).encode())

    response = upload(client, blm_user, idm, big, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Berkas terlalu besar" in response.content.decode()
    assert "batasnya 1 MB" in response.content.decode()
    assert not IndexImport.objects.exists()
    assert not IndexScore.objects.exists()


def test_a_file_that_is_not_csv_or_xlsx_by_name_is_refused(client, blm_user, idm, django_capture_on_commit_callbacks):
    picture = SimpleUploadedFile("peta.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")

    response = upload(client, blm_user, idm, picture, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Hanya berkas CSV atau XLSX" in response.content.decode()
    assert not IndexImport.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "gambar PNG"),
        (b"<!DOCTYPE html>\n<html><head><title>Login</title></head><body></body></html>", "halaman web"),
        (b"kode_desa,nama_desa\n63.04.03.2001,D\x81sa\n", "bukan CSV UTF-8"),
        (b"kode_desa,nama_desa\n", "tidak berisi baris data"),
    ],
)
def test_a_file_renamed_csv_fails_its_import_by_content_and_changes_nothing(
    client, blm_user, idm, content, message, django_capture_on_commit_callbacks
):
    response = upload(client, blm_user, idm, SimpleUploadedFile("idm.csv", content), django_capture_on_commit_callbacks)

    record = IndexImport.objects.get()
    assert record.status == ImportStatus.FAILED
    assert message in record.errors[0]["message"]
    page = client.get(response["Location"]).content.decode()
    assert "Impor gagal — tidak ada yang diubah." in page
    assert message in page
    assert not IndexScore.objects.exists()


def test_a_bad_row_is_shown_with_its_number_and_nothing_changes(
    client, blm_user, idm, django_capture_on_commit_callbacks
):
    response = upload(
        client,
        blm_user,
        idm,
        csv_file(ANDAMAN, HILIR_MESJID.replace("0.7543", "nol koma tujuh")),
        django_capture_on_commit_callbacks,
    )

    page = client.get(response["Location"]).content.decode()
    assert "Impor gagal — tidak ada yang diubah." in page
    assert "<td>3</td><td>iks</td>" in page
    assert "nol koma tujuh" in page
    assert not IndexScore.objects.exists()


def test_every_bad_row_is_counted_on_the_page_and_the_first_are_listed(
    client, blm_user, idm, django_capture_on_commit_callbacks
):
    bad = [HILIR_MESJID.replace("0.7543", f"x{n}") for n in range(150)]
    response = upload(client, blm_user, idm, csv_file(*bad), django_capture_on_commit_callbacks)

    record = IndexImport.objects.get()
    assert (record.error_count, len(record.errors)) == (150, 100)
    page = client.get(response["Location"]).content.decode()
    assert "150 baris bermasalah; 100 kesalahan pertama ditampilkan" in page


def test_an_unexpected_error_marks_the_import_failed_and_changes_nothing(
    client, blm_user, idm, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk penuh")

    monkeypatch.setattr("villages.index_import.copy_insert", broken)

    # The worker logs the error with its traceback (the task fails); the record tells the user.
    upload(client, blm_user, idm, csv_file(ANDAMAN), django_capture_on_commit_callbacks)

    record = IndexImport.objects.get()
    assert record.status == ImportStatus.FAILED
    assert record.errors[0]["message"] == "Kesalahan tak terduga (RuntimeError); tidak ada yang diubah. Hubungi Admin."
    assert not IndexScore.objects.exists()


def test_an_import_whose_worker_died_is_shown_failed_not_running_for_ever(client, blm_user):
    record = make_import(blm_user, status=ImportStatus.RUNNING, total_rows=75000, processed_rows=1870)
    IndexImport.objects.filter(pk=record.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(blm_user)

    page = client.get(record.get_absolute_url()).content.decode()

    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED
    assert "Impor terhenti sebelum selesai" in page
    assert "hx-trigger" not in page


def test_the_page_says_how_the_file_was_read_and_which_rows_of_other_years_were_left_out(
    client, blm_user, idm, django_capture_on_commit_callbacks
):
    rows = [ANDAMAN.replace(",2024,", ",2023,"), HILIR_MESJID]
    file = SimpleUploadedFile("idm.csv", "\n".join([HEADER, *rows]).replace(",", ";").encode("cp1252"))

    response = upload(client, blm_user, idm, file, django_capture_on_commit_callbacks, year=2024)

    page = client.get(response["Location"]).content.decode()
    assert "Pemisah kolom: titik koma." in page
    assert "1 baris tahun lain tidak diimpor (hanya tahun 2024)." in page
    assert IndexScore.objects.get().village_id == "63.04.03.2002"


# --- the import's page ------------------------------------------------------------


def test_unmatched_codes_are_counted_shown_and_downloadable_in_full(
    client, blm_user, idm, django_capture_on_commit_callbacks
):
    unmatched = [
        f"92.01.{n // 100 + 1:02d}.{2001 + n % 100},2024,DESA LAMA {n},0.6,0.6,0.6,0.6,BERKEMBANG," for n in range(60)
    ]
    response = upload(client, blm_user, idm, csv_file(ANDAMAN, *unmatched), django_capture_on_commit_callbacks)

    record = IndexImport.objects.get()
    page = client.get(response["Location"]).content.decode()
    table = page[page.index('id="import-unmatched"') :]
    table = table[: table.index("</table>")]
    assert table.count("<tr>") == 1 + 50  # header and the first 50
    assert "60 baris memiliki kode desa yang tidak ada" in page
    download = client.get(reverse("villages:index_import_unmatched", args=[record.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert "attachment" in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.getvalue().decode("utf-8-sig"))))
    assert rows[0] == ["baris", "kode_desa", "nama_desa"]
    assert len(rows) == 1 + 60
    assert rows[1] == ["3", "92.01.01.2001", "DESA LAMA 0"]
    assert rows[-1][2] == "DESA LAMA 59"


def test_another_users_import_is_not_found(client, blm_user, admin_user):
    record = make_import(admin_user, status=ImportStatus.DONE, unmatched=[{"row": 2, "code": "x", "name": "y"}])
    client.force_login(blm_user)

    assert client.get(record.get_absolute_url()).status_code == 404
    assert client.get(reverse("villages:index_import_unmatched", args=[record.pk])).status_code == 404
    assert "idm.csv" not in client.get(UPLOAD_URL).content.decode()


def test_national_users_see_every_import(client, blm_user, ministry_user):
    record = make_import(blm_user, status=ImportStatus.DONE)
    client.force_login(ministry_user)

    assert client.get(record.get_absolute_url()).status_code == 200


def test_a_running_import_shows_its_progress_and_polls_with_a_plain_link_as_fallback(client, blm_user):
    record = make_import(blm_user, status=ImportStatus.RUNNING, total_rows=1000, processed_rows=250)
    client.force_login(blm_user)

    page = client.get(record.get_absolute_url()).content.decode()

    assert '<progress class="w-100" max="100" value="25"' in page
    assert f'hx-get="{record.get_absolute_url()}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert f'<a href="{record.get_absolute_url()}">Muat ulang halaman</a>' in page
    assert "250 dari 1.000 baris diperiksa" in page
    assert 'style="' not in page


def test_the_htmx_request_gets_only_the_progress_fragment(client, blm_user):
    record = make_import(blm_user, status=ImportStatus.RUNNING, total_rows=1000, processed_rows=500)
    client.force_login(blm_user)

    fragment = client.get(record.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    assert fragment.lstrip().startswith('<section id="import-progress"')
    assert fragment.rstrip().endswith("</section>")
    assert 'value="50"' in fragment
    assert "<html" not in fragment and "breadcrumb" not in fragment


def test_polling_stops_when_the_import_is_finished(client, blm_user):
    record = make_import(blm_user, status=ImportStatus.DONE, total_rows=2, processed_rows=2, created_count=2)
    client.force_login(blm_user)

    fragment = client.get(record.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    assert "hx-get" not in fragment and "hx-trigger" not in fragment
    assert 'value="100"' in fragment
    assert "Impor selesai" in fragment


def test_the_upload_page_lists_the_users_imports_with_constant_queries(client, blm_user, django_assert_num_queries):
    make_import(blm_user, status=ImportStatus.DONE)
    client.force_login(blm_user)
    with CaptureQueriesContext(connection) as before:
        assert client.get(UPLOAD_URL).status_code == 200
    for index in range(10):
        make_import(blm_user, status=ImportStatus.FAILED, errors=[{"row": index, "message": "x"}])

    with django_assert_num_queries(len(before.captured_queries)):
        page = client.get(UPLOAD_URL).content.decode()

    assert page.count("idm.csv") == 11


# --- schemes ----------------------------------------------------------------------


def test_the_schemes_page_shows_how_statuses_are_computed(client, pemda_user):
    client.force_login(pemda_user)

    page = client.get(reverse("villages:index_schemes")).content.decode()

    assert "Indeks Desa Membangun (IDM)" in page
    assert "Permendesa PDTT No. 2 Tahun 2016" in page
    assert "(IKS + IKE + IKL) / 3" in page
    assert "≤ 0,4907" in page
    assert "&gt; 0,7072 s.d. ≤ 0,8155" in page
    assert "&gt; 0,8155" in page
    assert "Sangat Tertinggal" in page
    assert "Ubah di Admin" not in page
    assert 'style="' not in page
