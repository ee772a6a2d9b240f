"""Long exports run in the background: the user is sent to a page with a progress bar, then a download
link (and a notification); the file holds exactly the filtered rows their list showed them; nobody else
can open it; old ones are deleted."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from percontohan import background, exports
from percontohan.background import TaskStatus
from percontohan.models import Export
from percontohan.storage import private_storage
from percontohan.tasks import delete_old_exports


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch, settings):
    """Exports are written under tmp_path; a list of more than 100 rows is exported in the background."""
    monkeypatch.setattr(private_storage, "_location", str(tmp_path / "private"))
    for cached in ("base_location", "location"):
        private_storage.__dict__.pop(cached, None)
    settings.EXPORT_INLINE_MAX_ROWS = 100
    yield
    for cached in ("base_location", "location"):
        private_storage.__dict__.pop(cached, None)


def export_villages(client, django_capture_on_commit_callbacks, export_format="csv", **filters):
    """Ask for the village list's export; the background task runs when the request's work is committed."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("villages:village_list"), {**filters, "_export": export_format})
    return response


def csv_rows(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_long_export_sends_the_user_to_its_page_and_ends_with_a_download_of_the_filtered_rows(
    client, blm_user, django_capture_on_commit_callbacks
):
    client.force_login(blm_user)
    response = export_villages(client, django_capture_on_commit_callbacks, regency="63.04")

    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("export", args=[export.pk])
    assert export.status == TaskStatus.DONE
    assert export.total_rows == export.processed_rows == 201  # every village of Kabupaten Barito Kuala

    page = client.get(response["Location"]).content.decode()
    assert "Unduh desa-2024.csv" in page or "Unduh desa" in page
    assert "201 baris" in page
    assert f'href="{reverse("villages:village_list")}?regency=63.04' in page  # back to the filtered list

    download = client.get(reverse("export_download", args=[export.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    rows = csv_rows(download)
    codes = [row[0] for row in rows[1:]]
    assert len(codes) == 201
    assert all(code.startswith("63.04.") for code in codes)
    assert blm_user.notifications.get().url == reverse("export", args=[export.pk])


def test_a_long_xlsx_export_is_a_workbook_with_every_row(
    client, blm_user, django_capture_on_commit_callbacks, tmp_path
):
    client.force_login(blm_user)
    export_villages(client, django_capture_on_commit_callbacks, "xlsx", regency="63.04")

    export = Export.objects.get()
    download = client.get(reverse("export_download", args=[export.pk]))
    path = tmp_path / "desa.xlsx"
    path.write_bytes(b"".join(download.streaming_content))
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert len(list(sheet.iter_rows(values_only=True))) == 202  # the header and 201 villages


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_long_export_postgresql_writes_ends_done_with_progress_written_as_often_as_possible(
    client, blm_user, django_capture_on_commit_callbacks, monkeypatch, export_format
):
    """The village list is written by PostgreSQL (a COPY for the CSV): writing the progress meanwhile,
    on the same connection, must not wait for the COPY (it waited forever)."""
    monkeypatch.setattr(exports, "CSV_FLUSH_BYTES", 256)
    monkeypatch.setattr(background, "PROGRESS_SECONDS", 0)
    client.force_login(blm_user)

    export_villages(client, django_capture_on_commit_callbacks, export_format, regency="63.04")

    export = Export.objects.get()
    assert export.status == TaskStatus.DONE
    assert export.total_rows == export.processed_rows == 201


def test_a_short_export_is_still_downloaded_at_once(client, pemda_user, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 5000
    client.force_login(pemda_user)
    response = client.get(reverse("villages:village_list"), {"_export": "csv"})
    assert response.status_code == 200
    assert len(csv_rows(response)) == 202
    assert not Export.objects.exists()


def test_the_page_polls_while_the_export_is_waiting_and_stops_when_it_is_done(client, blm_user):
    client.force_login(blm_user)
    export = Export.objects.create(
        user=blm_user, title="desa", path="/desa/", export_format="csv", filename="desa.csv", language="id"
    )
    url = reverse("export", args=[export.pk])
    waiting = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in waiting
    assert "<html" not in waiting  # only the progress section
    assert "Menunggu" in waiting
    Export.objects.filter(pk=export.pk).update(status=TaskStatus.FAILED, error="Daftar ini tidak lagi dapat Anda buka.")
    failed = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in failed
    assert "Daftar ini tidak lagi dapat Anda buka." in failed
    assert client.get(reverse("export_download", args=[export.pk])).status_code == 404


def test_nobody_else_opens_or_downloads_an_export(client, blm_user, admin_user, django_capture_on_commit_callbacks):
    client.force_login(blm_user)
    export_villages(client, django_capture_on_commit_callbacks, regency="63.04")
    export = Export.objects.get()

    client.force_login(admin_user)
    assert client.get(reverse("export", args=[export.pk])).status_code == 404
    assert client.get(reverse("export_download", args=[export.pk])).status_code == 404


def test_an_export_whose_list_the_user_may_no_longer_open_fails_with_a_message(client, blm_user):
    from percontohan.exports import run_background_export

    export = Export.objects.create(
        user=blm_user,
        title="desa",
        path="/wilayah/desa/11.01.01.2001/",  # a village outside the user's working area: a 404, no list
        export_format="csv",
        filename="desa.csv",
        language="id",
    )
    run_background_export(export)
    export.refresh_from_db()
    assert export.status == TaskStatus.FAILED
    assert export.error == "Daftar ini tidak lagi dapat Anda buka."


def test_asking_again_while_the_export_is_waiting_follows_the_same_export(client, blm_user):
    client.force_login(blm_user)
    # Not run yet (its task is enqueued only once the request's work is committed).
    first = client.get(reverse("villages:village_list"), {"regency": "63.04", "_export": "csv"})
    second = client.get(reverse("villages:village_list"), {"regency": "63.04", "_export": "csv"})

    export = Export.objects.get()
    assert first["Location"] == second["Location"] == reverse("export", args=[export.pk])
    other = client.get(reverse("villages:village_list"), {"regency": "63.04", "_export": "xlsx"})
    assert other["Location"] != first["Location"]  # another format is another export


def test_an_export_of_a_user_deactivated_meanwhile_fails_without_a_file(
    client, blm_user, django_capture_on_commit_callbacks
):
    from percontohan.exports import run_background_export

    client.force_login(blm_user)
    client.get(reverse("villages:village_list"), {"regency": "63.04", "_export": "csv"})
    export = Export.objects.get()
    blm_user.is_active = False
    blm_user.save()

    run_background_export(Export.objects.select_related("user").get(pk=export.pk))

    export.refresh_from_db()
    assert export.status == TaskStatus.FAILED
    assert "tidak aktif" in export.error
    assert not export.file


def test_the_daily_upkeep_deletes_exports_older_than_a_week_with_their_files(
    client, blm_user, django_capture_on_commit_callbacks, settings
):
    client.force_login(blm_user)
    export_villages(client, django_capture_on_commit_callbacks, regency="63.04")
    export = Export.objects.get()
    assert private_storage.exists(export.file.name)

    today = timezone.localdate()
    assert delete_old_exports(today) == 0
    assert delete_old_exports(today + datetime.timedelta(days=settings.EXPORT_KEEP_DAYS + 1)) == 1
    assert not Export.objects.exists()
    assert not private_storage.exists(export.file.name)
