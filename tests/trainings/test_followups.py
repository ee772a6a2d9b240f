"""Follow-up of what participants applied: the worklist, the short form, evidence files."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.agreements.factories_documents import HTML_BYTES, pdf_bytes, png_bytes, private_root
from tests.trainings.factories import ACEH_SELATAN_VILLAGE, BARITO_KUALA_VILLAGE
from tests.trainings.factories_followups import answer, closed_batch
from trainings.followups import OVERDUE_AFTER_DAYS, FollowUpState, state_of
from trainings.forms_followups import parse_rupiah
from trainings.models import FollowUp, FollowUpEvidence, FollowUpWave

LIST = reverse("trainings:followup_list")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with private_root(settings.PRIVATE_MEDIA_ROOT) as path:
        yield path


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def batch_ending(days_before_today, **fields):
    """A closed batch that ended `days_before_today` days ago (its follow-ups about 1 and 4 months later)."""
    ends_on = days_ago(days_before_today)
    return closed_batch(starts_on=ends_on - datetime.timedelta(days=1), ends_on=ends_on, **fields)


def rows(response):
    return list(response.context["table"].page.object_list)


def names(response):
    return [row.record.enrolment.person.full_name for row in rows(response)]


def form_data(follow_up, **changes):
    data = {
        "version": follow_up.version,
        "done_on": timezone.localdate().isoformat(),
        "method": "telepon",
        "reached": "on",
        "applied": "ya",
        "what_applied": "Pembukuan kas BUMDes dengan aplikasi",
        "business_started": "on",
        "business_type": "Keripik pisang",
        "income_before": "1.250.000",
        "income_after": "Rp 2.000.000,-",
        "village_result_kind": "unit_bumdes",
        "village_result": "Unit usaha olahan pisang BUMDes",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- The worklist ------------------------------------------------------------------------------------


def test_the_worklist_lists_what_is_due_and_late_soonest_first_and_marks_the_late_ones(client, blm_user):
    late = batch_ending(90, people=1)  # wave 1 due about two months ago: late
    due = batch_ending(35, people=1)  # wave 1 due a few days ago
    batch_ending(3, people=1)  # wave 1 not due yet
    client.force_login(blm_user)

    response = client.get(LIST)

    shown = [row.record for row in rows(response)]
    assert [f.enrolment.batch_id for f in shown] == [late.pk, due.pk]
    assert all(f.wave == FollowUpWave.FIRST for f in shown)
    content = response.content.decode()
    assert content.count('class="table-danger') == 1
    assert "Terlambat" in content and "Jatuh tempo" in content


def test_the_state_of_a_follow_up_follows_its_date(db):
    batch = batch_ending(10, people=1)
    follow_up = batch.enrolments.get().follow_ups.get(wave=1)
    today = follow_up.due_on
    assert state_of(follow_up, today - datetime.timedelta(days=1)) == FollowUpState.UPCOMING
    assert state_of(follow_up, today) == FollowUpState.DUE
    assert state_of(follow_up, today + datetime.timedelta(days=OVERDUE_AFTER_DAYS)) == FollowUpState.DUE
    assert state_of(follow_up, today + datetime.timedelta(days=OVERDUE_AFTER_DAYS + 1)) == FollowUpState.OVERDUE


def test_the_filters_show_upcoming_done_or_everything(client, blm_user):
    batch = batch_ending(60, people=2)
    first, second = batch.enrolments.order_by("pk")
    answer(first.follow_ups.get(wave=1), today=timezone.localdate())
    client.force_login(blm_user)

    assert len(rows(client.get(LIST))) == 1
    assert [r.record.enrolment_id for r in rows(client.get(LIST, {"state": "selesai"}))] == [first.pk]
    assert len(rows(client.get(LIST, {"state": "akan_datang"}))) == 2  # both second waves
    assert len(rows(client.get(LIST, {"state": "semua"}))) == 4
    assert len(rows(client.get(LIST, {"state": "semua", "wave": "2"}))) == 2
    assert len(rows(client.get(LIST, {"state": "semua", "batch": batch.pk}))) == 4
    assert len(rows(client.get(LIST, {"state": "semua", "programme": batch.programme_id}))) == 4


def test_the_regency_filter_keeps_participants_living_there(client, admin_user):
    batch = batch_ending(60, villages=[BARITO_KUALA_VILLAGE, ACEH_SELATAN_VILLAGE])
    client.force_login(admin_user)

    barito_kuala = rows(client.get(LIST, {"regency": "63.04"}))
    aceh_selatan = rows(client.get(LIST, {"regency": "11.01"}))

    assert [r.record.enrolment.person.village.code for r in barito_kuala] == [BARITO_KUALA_VILLAGE]
    assert [r.record.enrolment.person.village.code for r in aceh_selatan] == [ACEH_SELATAN_VILLAGE]
    assert batch.enrolments.count() == 2


def test_nobody_outside_the_users_scope_is_listed_or_exported(client, pemda_user, other_pemda_user):
    batch_ending(60, people=1, name="Angkatan Barito Kuala")
    batch_ending(60, venue="11.01", people=1, name="Angkatan Aceh Selatan")
    # A participant from Aceh Selatan trained in Barito Kuala: the official of Barito Kuala does not see them.
    mixed = batch_ending(60, villages=[ACEH_SELATAN_VILLAGE], name="Angkatan campuran")
    outsider = mixed.enrolments.get().person.full_name
    client.force_login(pemda_user)

    response = client.get(LIST)
    export = client.get(LIST, {"_export": "csv"}).getvalue().decode("utf-8-sig")

    for content in (response.content.decode(), export):
        assert "Angkatan Barito Kuala" in content
        assert "Angkatan Aceh Selatan" not in content
        assert outsider not in content
    client.force_login(other_pemda_user)
    assert "Angkatan Barito Kuala" not in client.get(LIST).content.decode()


def test_the_export_holds_every_filtered_follow_up_and_no_nik(client, blm_user):
    batch = batch_ending(60, people=3)
    client.force_login(blm_user)

    export = client.get(LIST, {"_export": "csv"}).getvalue().decode("utf-8-sig")

    lines = export.strip().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("Peserta,")
    for enrolment in batch.enrolments.select_related("person"):
        person = enrolment.person
        assert person.full_name in export
        assert person.nik not in export
        assert person.nik_masked not in export


def test_the_worklist_takes_the_same_number_of_queries_for_one_or_many_follow_ups(client, blm_user):
    client.force_login(blm_user)
    batch_ending(60, people=1)

    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST, {"state": "semua"}).status_code == 200
    batch_ending(45, villages=[BARITO_KUALA_VILLAGE] * 8)
    with CaptureQueriesContext(connection) as many:
        assert len(rows(client.get(LIST, {"state": "semua"}))) == 18
    assert len(many) == len(few)


def test_an_official_sees_the_worklist_without_record_buttons(client, pemda_user):
    batch_ending(60, people=1)
    client.force_login(pemda_user)

    content = client.get(LIST).content.decode()

    assert ">Lihat</a>" in content
    assert ">Catat</a>" not in content


# --- Recording a follow-up -------------------------------------------------------------------------------


@pytest.fixture
def follow_up(db):
    return batch_ending(60, people=1).enrolments.get().follow_ups.get(wave=1)


def update_url(follow_up):
    return reverse("trainings:followup_update", args=[follow_up.pk])


def test_an_editor_records_a_follow_up_with_amounts_typed_the_indonesian_way(client, blm_user, follow_up):
    client.force_login(blm_user)

    response = client.post(update_url(follow_up), form_data(follow_up))

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_on == timezone.localdate()
    assert (follow_up.income_before, follow_up.income_after) == (1_250_000, 2_000_000)
    assert follow_up.business_type == "Keripik pisang"
    assert follow_up.recorded_by == blm_user
    page = client.get(response["Location"]).content.decode()
    assert "Rp 1.250.000" in page and "Rp 2.000.000" in page and "Rp 750.000" in page
    assert "Unit usaha olahan pisang BUMDes" in page
    # Left the worklist.
    assert follow_up.pk not in [row.record.pk for row in rows(client.get(LIST))]


def test_the_form_shows_recorded_amounts_with_thousands_dots(client, blm_user, follow_up):
    answer(follow_up, income_before=1_250_000, income_after=1_500_000)
    client.force_login(blm_user)

    content = client.get(update_url(follow_up)).content.decode()

    assert 'value="1.250.000"' in content and 'value="1.500.000"' in content


def test_a_participant_not_reached_needs_only_the_method_and_date_and_keeps_no_answers(client, blm_user, follow_up):
    client.force_login(blm_user)
    data = form_data(follow_up, reached=None, applied=None)

    response = client.post(update_url(follow_up), data)

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_on is not None and not follow_up.reached
    assert (follow_up.applied, follow_up.income_before, follow_up.business_started) == ("", None, False)
    assert follow_up.village_result_kind == ""


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"done_on": "2099-01-01"}, "done_on", "tidak boleh di masa depan"),
        ({"done_on": "2020-01-01"}, "done_on", "tidak boleh sebelum pelatihan selesai"),
        ({"done_on": ""}, "done_on", None),
        ({"method": ""}, "method", None),
        ({"applied": ""}, "applied", "Pilih apakah peserta menerapkan hasil pelatihan."),
        ({"what_applied": ""}, "what_applied", "Tuliskan apa yang diterapkan peserta."),
        ({"business_type": ""}, "business_type", "Tuliskan jenis usaha yang dimulai."),
        ({"village_result": ""}, "village_result", "Uraikan hasil di tingkat desa."),
        ({"income_before": "1.250.000,50"}, "income_before", "tanpa sen"),
        ({"income_after": "dua juta"}, "income_after", "tanpa sen"),
        ({"income_after": "99.000.000.000"}, "income_after", "terlalu besar"),
        ({"what_applied": "Pembukuan\x00"}, "what_applied", "karakter NUL"),
    ],
)
def test_bad_answers_are_refused_by_field_and_change_nothing(client, blm_user, follow_up, changes, field, message):
    client.force_login(blm_user)

    response = client.post(update_url(follow_up), form_data(follow_up, **changes))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    if message:
        assert message in " ".join(errors[field])
    follow_up.refresh_from_db()
    assert follow_up.done_on is None and follow_up.version == 1


def test_a_follow_up_changed_meanwhile_is_not_overwritten(client, blm_user, follow_up):
    client.force_login(blm_user)
    stale = form_data(follow_up, what_applied="Versi lama")
    answer(follow_up, what_applied="Dicatat lebih dulu oleh rekan")

    response = client.post(update_url(follow_up), stale)

    assert response.status_code == 200
    assert "telah diubah oleh pengguna lain" in response.content.decode(), response.context["form"].errors
    follow_up.refresh_from_db()
    assert follow_up.what_applied == "Dicatat lebih dulu oleh rekan"


def test_hostile_text_is_shown_escaped(client, blm_user, follow_up):
    client.force_login(blm_user)
    client.post(
        update_url(follow_up), form_data(follow_up, what_applied='"><img src=x onerror=alert(1)><script>x</script>')
    )

    content = client.get(follow_up.get_absolute_url()).content.decode()

    assert "<script>x</script>" not in content and "<img src=x" not in content
    assert "&lt;script&gt;" in content


def test_the_detail_shows_the_history_of_the_answer(client, blm_user, follow_up):
    client.force_login(blm_user)
    client.post(update_url(follow_up), form_data(follow_up))
    follow_up.refresh_from_db()
    client.post(update_url(follow_up), form_data(follow_up, business_type="Kerupuk ikan"))

    content = client.get(follow_up.get_absolute_url()).content.decode()

    assert "Riwayat perubahan" in content
    assert "Keripik pisang" in content and "Kerupuk ikan" in content


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1250000", 1_250_000),
        ("1.250.000", 1_250_000),
        ("Rp 1.250.000", 1_250_000),
        ("Rp1.250.000,-", 1_250_000),
        ("1.250.000,00", 1_250_000),
        ("1,250,000", 1_250_000),
        ("1 250 000", 1_250_000),
        ("750", 750),
        ("", None),
    ],
)
def test_rupiah_is_read_as_people_write_it(typed, amount):
    assert parse_rupiah(typed) == amount


@pytest.mark.parametrize(
    "typed", ["1.250.000,50", "1.25", "-75.000", "1.250.000.00", "satu juta", "12.34.567", "9" * 5000]
)
def test_rupiah_with_cents_or_letters_is_refused(typed):
    with pytest.raises(ValueError):
        parse_rupiah(typed)


# --- Evidence ----------------------------------------------------------------------------------------


def evidence_url(follow_up):
    return reverse("trainings:followup_evidence_add", args=[follow_up.pk])


def test_evidence_is_stored_privately_and_downloads_with_its_real_type(client, blm_user, follow_up, private_media):
    client.force_login(blm_user)

    response = client.post(evidence_url(follow_up), {"file": SimpleUploadedFile("foto usaha.exe", png_bytes())})

    assert response.status_code == 302
    evidence = FollowUpEvidence.objects.get()
    assert evidence.content_type == "image/png" and evidence.uploaded_by == blm_user
    assert len(stored_files(private_media)) == 1
    download = client.get(reverse("trainings:followup_evidence_download", args=[evidence.pk]))
    assert download["Content-Type"] == "image/png"
    assert 'filename="foto usaha.png"' in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == png_bytes()


def test_a_web_page_renamed_as_a_pdf_is_refused_and_nothing_is_stored(client, blm_user, follow_up, private_media):
    client.force_login(blm_user)

    response = client.post(evidence_url(follow_up), {"file": SimpleUploadedFile("laporan.pdf", HTML_BYTES)})

    assert response.status_code == 200
    assert "halaman web (HTML)" in response.content.decode()
    assert not FollowUpEvidence.objects.exists()
    assert stored_files(private_media) == []


@pytest.mark.parametrize(("user", "status"), [("pemda_user", 403), ("other_pemda_user", 403), ("ministry_user", 403)])
def test_an_upload_by_a_reader_is_refused_and_stores_nothing(request, client, follow_up, private_media, user, status):
    client.force_login(request.getfixturevalue(user))

    response = client.post(evidence_url(follow_up), {"file": SimpleUploadedFile("bukti.pdf", pdf_bytes())})

    assert response.status_code == status
    assert not FollowUpEvidence.objects.exists()
    assert stored_files(private_media) == []


def test_an_upload_outside_the_editors_regions_is_not_found_and_stores_nothing(client, blm_user, private_media):
    aceh = batch_ending(60, venue="11.01", people=1).enrolments.get().follow_ups.get(wave=1)
    client.force_login(blm_user)

    response = client.post(evidence_url(aceh), {"file": SimpleUploadedFile("bukti.pdf", pdf_bytes())})

    assert response.status_code == 404
    assert stored_files(private_media) == []


def test_evidence_of_another_regency_is_not_found(client, admin_user, other_pemda_user, follow_up):
    client.force_login(admin_user)
    client.post(evidence_url(follow_up), {"file": SimpleUploadedFile("bukti.pdf", pdf_bytes())})
    evidence = FollowUpEvidence.objects.get()
    client.force_login(other_pemda_user)

    assert client.get(reverse("trainings:followup_evidence_download", args=[evidence.pk])).status_code == 404
    assert client.get(follow_up.get_absolute_url()).status_code == 404


def test_the_follow_up_page_lists_its_evidence(client, blm_user, follow_up):
    client.force_login(blm_user)
    client.post(evidence_url(follow_up), {"file": SimpleUploadedFile("Foto kebun.jpg", png_bytes())})

    content = client.get(follow_up.get_absolute_url()).content.decode()

    assert re.search(r'href="/pelatihan/tindak-lanjut/bukti/\d+/unduh/">Foto kebun.jpg</a>', content)
    assert FollowUp.objects.get(pk=follow_up.pk).version == 1  # evidence does not change the answer
