"""The attendance sheet, the scores sheet and the reaction form: what each user sees, saving one cell at a
time, refusals of stale and bad values (which change nothing), and constant query counts."""

import datetime
from decimal import Decimal

import pghistory.models
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from percontohan.history import StaleRecordError
from tests.trainings.factories import enrol, make_batch, make_programme, mark_all
from trainings import services, sheets
from trainings.models import (
    Attendance,
    AttendanceMark,
    BatchStatus,
    Enrolment,
    EnrolmentStatus,
    Reaction,
    Session,
)

STALE = "telah diubah oleh pengguna lain"


@pytest.fixture
def batch(db):
    """A running Barito Kuala batch of three 3-JP sessions with two participants."""
    batch = make_batch(sessions=3, status=BatchStatus.RUNNING)
    enrol(batch, full_name="Siti Rahmah")
    enrol(batch, full_name="Ahmad Fauzi")
    return batch


def first(batch):
    return batch.enrolments.order_by("person__full_name").first()  # Ahmad Fauzi


def session(batch, number=1):
    return batch.sessions.order_by("date")[number - 1]


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def post_mark(client, enrolment, session, mark, version=0):
    url = reverse("trainings:attendance_cell", args=[enrolment.pk, session.pk])
    return client.post(url, {"mark": mark, "version": version}, HTTP_HX_REQUEST="true")


def post_score(client, enrolment, field, value, version=None):
    url = reverse("trainings:scores_cell", args=[enrolment.pk, field])
    version = enrolment.version if version is None else version
    return client.post(url, {"value": value, "version": version}, HTTP_HX_REQUEST="true")


def sheet(client, name, batch):
    response = client.get(reverse(f"trainings:{name}", args=[batch.pk]))
    assert response.status_code == 200
    return response.content.decode()


def stored_state():
    return (
        pghistory.models.Events.objects.count(),
        list(Attendance.objects.order_by("pk").values_list("pk", "mark", "version")),
        list(Enrolment.objects.order_by("pk").values_list("pk", "pre_test", "post_test", "practical", "version")),
        list(Reaction.objects.order_by("pk").values_list("pk", "content", "version")),
    )


# --- The attendance sheet -------------------------------------------------------------------------------


def test_the_attendance_sheet_lists_the_participants_holding_a_place_and_every_session(client, blm_user, batch):
    waiting = enrol(make_batch(quota=1), full_name="Penunggu Lain")  # another batch: never on this sheet
    withdrawn = enrol(batch, full_name="Mundur Saja")
    services.enrolment_set_status(enrolment=withdrawn, status=EnrolmentStatus.WITHDRAWN, reason="Pindah kerja")
    client.force_login(blm_user)
    content = sheet(client, "attendance_sheet", batch)
    assert "Siti Rahmah" in content and "Ahmad Fauzi" in content
    assert "Mundur Saja" not in content and waiting.person.full_name not in content
    assert content.count('<select class="form-select form-select-sm sheet-input"') == 2 * 3
    for number, topic in enumerate(("Materi 1", "Materi 2", "Materi 3"), start=1):
        assert f"Sesi {number}, " in content and topic in content


def test_each_select_is_labelled_by_its_participant_and_its_session(client, blm_user, batch):
    client.force_login(blm_user)
    content = sheet(client, "attendance_sheet", batch)
    enrolment, first_session = first(batch), session(batch)
    assert f'aria-labelledby="p-{enrolment.pk} s-{first_session.pk}"' in content
    assert f'<span id="p-{enrolment.pk}">Ahmad Fauzi</span>' in content
    assert f'<span id="s-{first_session.pk}">' in content


def test_an_editor_records_a_mark_and_who_recorded_it_and_when_are_kept(client, blm_user, batch):
    client.force_login(blm_user)
    enrolment, first_session = first(batch), session(batch)
    response = post_mark(client, enrolment, first_session, AttendanceMark.PRESENT)
    assert response.status_code == 200
    attendance = Attendance.objects.get(enrolment=enrolment, session=first_session)
    assert attendance.mark == AttendanceMark.PRESENT
    assert attendance.recorded_by == blm_user
    content = response.content.decode()
    assert f'id="att-{enrolment.pk}-{first_session.pk}"' in content
    assert '<option value="hadir" selected>' in content
    assert f"Dicatat oleh {blm_user}" in content
    assert "hx-vals='{\"version\": 1}'" in content
    assert "Tersimpan (Ahmad Fauzi" in content
    assert pghistory.models.Events.objects.tracks(attendance).count() == 1


def test_changing_a_mark_keeps_the_history_and_the_new_recorder(client, blm_user, admin_user, batch):
    enrolment, first_session = first(batch), session(batch)
    post_mark(logged_in(blm_user), enrolment, first_session, AttendanceMark.ABSENT)
    response = post_mark(logged_in(admin_user), enrolment, first_session, AttendanceMark.LATE, version=1)
    assert response.status_code == 200
    attendance = Attendance.objects.get(enrolment=enrolment, session=first_session)
    assert (attendance.mark, attendance.recorded_by, attendance.version) == (AttendanceMark.LATE, admin_user, 2)
    assert pghistory.models.Events.objects.tracks(attendance).count() == 2


def test_a_mark_changed_meanwhile_is_refused_and_the_cell_shows_the_current_one(client, blm_user, admin_user, batch):
    enrolment, first_session = first(batch), session(batch)
    post_mark(logged_in(admin_user), enrolment, first_session, AttendanceMark.PRESENT)
    post_mark(logged_in(admin_user), enrolment, first_session, AttendanceMark.EXCUSED, version=1)
    before = stored_state()
    # The BLM's sheet was read when the cell was at version 1.
    response = post_mark(logged_in(blm_user), enrolment, first_session, AttendanceMark.ABSENT, version=1)
    assert response.status_code == 200
    assert stored_state() == before
    content = response.content.decode()
    assert STALE in content
    assert '<option value="izin" selected>' in content
    assert "hx-vals='{\"version\": 2}'" in content
    assert "Tidak tersimpan" in content


def test_a_cell_recorded_meanwhile_by_someone_else_is_not_overwritten(client, blm_user, admin_user, batch):
    enrolment, first_session = first(batch), session(batch)
    post_mark(logged_in(admin_user), enrolment, first_session, AttendanceMark.PRESENT)
    response = post_mark(logged_in(blm_user), enrolment, first_session, AttendanceMark.ABSENT, version=0)
    assert STALE in response.content.decode()
    assert Attendance.objects.get(enrolment=enrolment, session=first_session).mark == AttendanceMark.PRESENT


def test_emptying_a_cell_removes_its_mark(client, blm_user, batch):
    client.force_login(blm_user)
    enrolment, first_session = first(batch), session(batch)
    post_mark(client, enrolment, first_session, AttendanceMark.PRESENT)
    response = post_mark(client, enrolment, first_session, "", version=1)
    assert "Tersimpan" in response.content.decode()
    assert not Attendance.objects.filter(enrolment=enrolment).exists()


@pytest.mark.parametrize("mark", ["hadir!", "present", "<script>", "hadir\x00"])
def test_an_unknown_mark_is_refused_with_a_message_and_changes_nothing(client, blm_user, batch, mark):
    client.force_login(blm_user)
    before = stored_state()
    response = post_mark(client, first(batch), session(batch), mark)
    assert response.status_code == 200
    assert stored_state() == before
    assert "Pilih salah satu: Hadir, Terlambat, Izin atau Tidak hadir." in response.content.decode()


def test_a_session_of_another_batch_is_not_found(client, blm_user, batch):
    client.force_login(blm_user)
    other = make_batch(sessions=1, status=BatchStatus.RUNNING)
    response = post_mark(client, first(batch), other.sessions.get(), AttendanceMark.PRESENT)
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_a_participant_withdrawn_meanwhile_cannot_be_marked(client, blm_user, batch):
    client.force_login(blm_user)
    enrolment = first(batch)
    services.enrolment_set_status(enrolment=enrolment, status=EnrolmentStatus.WITHDRAWN, reason="Sakit")
    response = post_mark(client, enrolment, session(batch), AttendanceMark.PRESENT)
    assert "tidak lagi memegang tempat" in response.content.decode()
    assert not Attendance.objects.exists()


def test_each_row_shows_the_share_of_hours_attended_and_whether_the_minimum_is_met(client, blm_user, db):
    programme = make_programme(min_attendance_pct=75)
    batch = make_batch(programme=programme, sessions=4, status=BatchStatus.RUNNING)
    Session.objects.filter(pk=session(batch, 4).pk).update(hours_jp=Decimal(6))  # 3 + 3 + 3 + 6 = 15 JP
    enrolment = enrol(batch, full_name="Rina Wati")
    client.force_login(blm_user)
    for number, mark in ((1, AttendanceMark.PRESENT), (2, AttendanceMark.LATE), (3, AttendanceMark.ABSENT)):
        post_mark(client, enrolment, session(batch, number), mark)
    # 6 of 15 JP: present and late count, absent does not.
    response = post_mark(client, enrolment, session(batch, 4), AttendanceMark.EXCUSED)
    assert "40%" in response.content.decode()
    assert "di bawah 75%" in response.content.decode()
    response = post_mark(client, enrolment, session(batch, 4), AttendanceMark.PRESENT, version=1)
    content = response.content.decode()
    assert f'id="att-pct-{enrolment.pk}" hx-swap-oob="true">80%' in content
    assert "memenuhi" in content
    assert "80%" in sheet(client, "attendance_sheet", batch)


def test_each_column_counts_the_marks_of_its_session(client, blm_user, batch):
    client.force_login(blm_user)
    first_session = session(batch)
    siti, ahmad = batch.enrolments.get(person__full_name="Siti Rahmah"), first(batch)
    post_mark(client, siti, first_session, AttendanceMark.LATE)
    response = post_mark(client, ahmad, first_session, AttendanceMark.ABSENT)
    count = response.content.decode().split(f'id="att-count-{first_session.pk}" hx-swap-oob="true">')[1]
    assert count.startswith('<span class="fw-semibold">1</span> hadir')
    assert "1 terlambat" in count
    assert '<abbr title="Tidak hadir">A</abbr> 1' in count


@pytest.mark.parametrize("user", ["pemda_user", "ministry_user"])
def test_readers_see_the_marks_but_no_inputs(request, batch, user):
    mark_all(batch, AttendanceMark.EXCUSED)
    content = sheet(logged_in(request.getfixturevalue(user)), "attendance_sheet", batch)
    assert "Siti Rahmah" in content
    assert content.count(">Izin</span>") == 6
    assert "<select" not in content and "hx-post" not in content and "sheets.js" not in content


@pytest.mark.parametrize(
    ("status", "note"),
    [
        (BatchStatus.PLANNED, "masih direncanakan"),
        (BatchStatus.CLOSED, "hanya dapat dibaca"),
        (BatchStatus.CANCELLED, "dibatalkan"),
    ],
)
def test_a_batch_not_taking_marks_is_read_only_with_a_note_and_its_cells_refuse_edits(client, blm_user, status, note):
    batch = make_batch(sessions=2, status=BatchStatus.RUNNING)
    enrolment = enrol(batch)
    batch.status = status
    batch.cancel_reason = "Banjir" if status == BatchStatus.CANCELLED else ""
    batch.save()
    client.force_login(blm_user)
    content = sheet(client, "attendance_sheet", batch)
    assert note in content
    assert "<select" not in content
    before = stored_state()
    response = post_mark(client, enrolment, session(batch), AttendanceMark.PRESENT)
    assert note in response.content.decode()
    assert "<select" not in response.content.decode()  # the cell comes back read-only
    response = post_score(client, enrolment, "post-test", "80")
    assert note in response.content.decode()
    assert "sheet-input" not in response.content.decode()
    assert stored_state() == before


def test_registration_open_takes_the_first_days_marks(client, blm_user):
    batch = make_batch(sessions=2, status=BatchStatus.REGISTRATION)
    enrolment = enrol(batch)
    client.force_login(blm_user)
    assert "<select" in sheet(client, "attendance_sheet", batch)
    post_mark(client, enrolment, session(batch), AttendanceMark.PRESENT)
    assert Attendance.objects.filter(enrolment=enrolment).count() == 1


REFUSED = [
    ("anonymous", 302),
    ("pemda_user", 403),
    ("ministry_user", 403),
    ("other_pemda_user", 403),
]


@pytest.mark.parametrize(("user", "status"), REFUSED)
def test_a_valid_mark_or_score_posted_by_a_user_who_may_not_change_the_batch_changes_nothing(
    request, batch, user, status
):
    client = Client() if user == "anonymous" else logged_in(request.getfixturevalue(user))
    enrolment = first(batch)
    before = stored_state()
    assert post_mark(client, enrolment, session(batch), AttendanceMark.PRESENT).status_code == status
    assert post_score(client, enrolment, "post-test", "80").status_code == status
    assert stored_state() == before


def test_the_blm_cannot_mark_or_score_a_batch_outside_its_working_area(client, blm_user, admin_user):
    aceh = make_batch(venue="11.01", sessions=1, status=BatchStatus.RUNNING)
    enrolment = enrol(aceh, village_code="11.01.01.2001")
    client.force_login(blm_user)
    before = stored_state()
    assert post_mark(client, enrolment, aceh.sessions.get(), AttendanceMark.PRESENT).status_code == 404
    assert post_score(client, enrolment, "post-test", "80").status_code == 404
    assert client.get(reverse("trainings:attendance_sheet", args=[aceh.pk])).status_code == 404
    assert stored_state() == before
    # Admin may.
    assert post_mark(logged_in(admin_user), enrolment, aceh.sessions.get(), AttendanceMark.PRESENT).status_code == 200
    assert Attendance.objects.filter(enrolment=enrolment).exists()


def grow_sheet(batch, participants=40, sessions=12):
    for day in range(batch.sessions.count(), sessions):
        Session.objects.create(
            batch=batch, date=batch.starts_on + datetime.timedelta(days=day), topic=f"Materi {day}", hours_jp=3
        )
    for index in range(batch.enrolments.count(), participants):
        enrol(batch, full_name=f"Peserta {index:02d}")
    Attendance.objects.all().delete()
    mark_all(batch)
    Enrolment.objects.filter(batch=batch).update(pre_test=Decimal("55.5"), post_test=Decimal("80"))


@pytest.mark.parametrize("name", ["attendance_sheet", "scores_sheet"])
@pytest.mark.parametrize("user", ["blm_user", "admin_user", "pemda_user"])
def test_a_sheet_runs_the_same_number_of_queries_for_one_cell_and_for_40_participants_by_12_sessions(
    request, db, django_assert_num_queries, name, user
):
    batch = make_batch(sessions=1, status=BatchStatus.RUNNING, quota=40)
    enrolment = enrol(batch)
    Attendance.objects.create(enrolment=enrolment, session=batch.sessions.get(), mark=AttendanceMark.PRESENT)
    Reaction.objects.create(enrolment=enrolment, content=4, trainer=4, venue=4, usefulness=4)
    client = logged_in(request.getfixturevalue(user))
    url = reverse(f"trainings:{name}", args=[batch.pk])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    baseline = len(small.captured_queries)
    grow_sheet(batch)
    with django_assert_num_queries(baseline):
        content = client.get(url).content.decode()
    assert "Peserta 39" in content


# --- The scores sheet -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [("75", "75", "75"), ("82,5", "82.5", "82,5"), ("82.25", "82.25", "82,25"), ("100", "100", "100"), ("0", "0", "0")],
)
def test_an_editor_saves_a_score_written_with_a_comma_or_a_point(client, blm_user, batch, typed, stored, shown):
    client.force_login(blm_user)
    enrolment = first(batch)
    response = post_score(client, enrolment, "post-test", typed)
    enrolment.refresh_from_db()
    assert enrolment.post_test == Decimal(stored)
    content = response.content.decode()
    assert f'value="{shown}"' in content
    assert f'id="score-version-{enrolment.pk}" value="{enrolment.version}" hx-swap-oob="true"' in content
    assert pghistory.models.Events.objects.tracks(enrolment).filter(pgh_label="update").count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("101", "Nilai paling tinggi 100."),
        ("100,01", "Nilai paling tinggi 100."),
        ("-1", "Nilai paling rendah 0."),
        ("abc", "Tulis nilai berupa angka 0–100"),
        ("NaN", "Tulis nilai berupa angka 0–100"),
        ("Infinity", "Tulis nilai berupa angka 0–100"),
        ("1e2", "Tulis nilai berupa angka 0–100"),
        ("8,5,5", "Tulis nilai berupa angka 0–100"),
        ("82,555", "Paling banyak dua angka di belakang koma."),
        ("7\x005", "karakter NUL"),
        ("<script>", "Tulis nilai berupa angka 0–100"),
        ("<script>alert(1)</script>", "paling banyak 20 karakter"),
    ],
)
def test_a_bad_score_gets_a_clear_message_in_its_cell_and_changes_nothing(client, blm_user, batch, typed, message):
    client.force_login(blm_user)
    enrolment = first(batch)
    post_score(client, enrolment, "pre-test", "40")
    enrolment.refresh_from_db()
    before = stored_state()
    response = post_score(client, enrolment, "pre-test", typed)
    assert response.status_code == 200
    assert stored_state() == before
    content = response.content.decode()
    assert message in content
    assert 'aria-invalid="true"' in content
    assert "<script>alert" not in content
    assert "\x00" not in content


def test_an_empty_score_clears_it(client, blm_user, batch):
    client.force_login(blm_user)
    enrolment = first(batch)
    post_score(client, enrolment, "pre-test", "40")
    enrolment.refresh_from_db()
    response = post_score(client, enrolment, "pre-test", "  ")
    enrolment.refresh_from_db()
    assert enrolment.pre_test is None
    assert "dikosongkan" in response.content.decode()


def test_a_score_over_a_participant_changed_meanwhile_is_refused_and_the_current_score_is_shown(
    client, blm_user, admin_user, batch
):
    enrolment = first(batch)
    read_at = enrolment.version
    post_score(logged_in(admin_user), enrolment, "post-test", "70")
    before = stored_state()
    response = post_score(logged_in(blm_user), enrolment, "post-test", "90", version=read_at)
    assert stored_state() == before
    content = response.content.decode()
    assert STALE in content
    assert 'value="70"' in content
    enrolment.refresh_from_db()
    # The row's version comes back, so the user can save again.
    assert f'id="score-version-{enrolment.pk}" value="{enrolment.version}"' in content


def test_the_version_sent_back_lets_the_next_score_of_the_row_save(client, blm_user, batch):
    client.force_login(blm_user)
    enrolment = first(batch)
    response = post_score(client, enrolment, "pre-test", "40")
    version = response.content.decode().split(f'id="score-version-{enrolment.pk}" value="')[1].split('"')[0]
    post_score(client, enrolment, "post-test", "70", version=int(version))
    enrolment.refresh_from_db()
    assert (enrolment.pre_test, enrolment.post_test) == (Decimal(40), Decimal(70))


def test_an_unknown_score_column_is_not_found(client, blm_user, batch):
    client.force_login(blm_user)
    assert post_score(client, first(batch), "version", "3").status_code == 404


def test_each_row_shows_its_result_by_the_programmes_rule_with_the_reason(client, blm_user, db):
    programme = make_programme(min_attendance_pct=80, min_post_test=70, requires_practical=True, min_practical=60)
    batch = make_batch(programme=programme, sessions=2, status=BatchStatus.RUNNING)
    passing, failing = enrol(batch, full_name="Lulus Saja"), enrol(batch, full_name="Kurang Nilai")
    mark_all(batch)
    Enrolment.objects.filter(pk=passing.pk).update(post_test=80, practical=65)
    Enrolment.objects.filter(pk=failing.pk).update(post_test=65)
    client.force_login(blm_user)
    content = sheet(client, "scores_sheet", batch)
    assert 'id="col-praktik"' in content
    passing_row = content.split(f'id="outcome-{passing.pk}"')[1].split("</td>")[0]
    failing_row = content.split(f'id="outcome-{failing.pk}"')[1].split("</td>")[0]
    assert "Memenuhi syarat" in passing_row
    assert "Belum memenuhi syarat" in failing_row
    assert "Nilai post-test 65 di bawah minimal 70." in failing_row
    assert "Nilai praktik belum diisi." in failing_row
    # A score that meets the rule turns the result at once.
    response = post_score(client, Enrolment.objects.get(pk=failing.pk), "post-test", "72")
    response = post_score(client, Enrolment.objects.get(pk=failing.pk), "praktik", "60")
    assert f'id="outcome-{failing.pk}" hx-swap-oob="true"><span class="badge text-bg-success">' in (
        response.content.decode()
    )


def test_a_closed_batch_shows_the_results_it_recorded(client, pemda_user, db):
    batch = make_batch(sessions=1, status=BatchStatus.RUNNING)
    enrolment = enrol(batch)
    mark_all(batch)
    Enrolment.objects.filter(pk=enrolment.pk).update(post_test=90)
    services.batch_set_status(batch=batch, status=BatchStatus.CLOSED)
    content = sheet(logged_in(pemda_user), "scores_sheet", batch)
    assert ">Lulus</span>" in content
    assert "Memenuhi semua syarat kelulusan." in content
    assert "sheet-input" not in content


def test_the_bottom_row_gives_the_mean_scores_and_the_normalised_gain(client, blm_user, batch):
    siti, ahmad = batch.enrolments.get(person__full_name="Siti Rahmah"), first(batch)
    third = enrol(batch, full_name="Hanya Pretest")
    Enrolment.objects.filter(pk=siti.pk).update(pre_test=40, post_test=70)
    Enrolment.objects.filter(pk=ahmad.pk).update(pre_test=60, post_test=80)
    Enrolment.objects.filter(pk=third.pk).update(pre_test=20)
    content = sheet(logged_in(blm_user), "scores_sheet", batch)
    summary = content.split('id="score-summary"')[1].split("</tr>")[0]
    assert '<span class="fw-semibold">40</span>' in summary  # mean pre-test of 3
    assert '<span class="fw-semibold">75</span>' in summary  # mean post-test of 2
    assert "0,50" in summary  # ((70 + 80) / 2 − (40 + 60) / 2) / (100 − 50)
    assert "2 peserta dengan pre-test dan post-test" in summary


def test_the_score_summary_has_no_gain_without_pairs_or_with_a_perfect_pre_test():
    def row(pre, post):
        return Enrolment(pre_test=pre, post_test=post)

    assert sheets.score_summary([]).gain is None
    assert sheets.score_summary([row(Decimal(50), None)]).gain is None
    assert sheets.score_summary([row(Decimal(100), Decimal(100))]).gain is None
    summary = sheets.score_summary([row(Decimal(40), Decimal(70)), row(Decimal(60), Decimal(80))])
    assert (summary.pre_mean, summary.post_mean, summary.gain, summary.paired_count) == (
        Decimal(50),
        Decimal(75),
        Decimal("0.50"),
        2,
    )


@pytest.mark.parametrize("user", ["pemda_user", "ministry_user"])
def test_readers_see_the_scores_but_no_inputs_nor_reaction_links(request, batch, user):
    Enrolment.objects.filter(batch=batch).update(pre_test=Decimal("45.5"))
    content = sheet(logged_in(request.getfixturevalue(user)), "scores_sheet", batch)
    assert content.count("45,5") >= 2
    assert "sheet-input" not in content and "hx-post" not in content
    assert "Isi tanggapan" not in content


# --- The reaction form ----------------------------------------------------------------------------------

REACTION = {"content": "5", "trainer": "4", "venue": "3", "usefulness": "5", "comment": "Materi BUMDes sangat berguna."}


def test_each_row_of_the_scores_sheet_links_to_the_reaction_form(client, blm_user, batch):
    content = sheet(logged_in(blm_user), "scores_sheet", batch)
    for enrolment in batch.enrolments.all():
        assert reverse("trainings:reaction", args=[enrolment.pk]) in content


def test_an_editor_records_a_reaction_then_changes_it(client, blm_user, batch):
    client.force_login(blm_user)
    enrolment = first(batch)
    url = reverse("trainings:reaction", args=[enrolment.pk])
    page = client.get(url).content.decode()
    assert 'type="radio"' in page and "Ahmad Fauzi" in page
    response = client.post(url, REACTION)
    assert response.status_code == 302
    assert response["Location"] == reverse("trainings:scores_sheet", args=[batch.pk])
    reaction = Reaction.objects.get(enrolment=enrolment)
    assert (reaction.content, reaction.trainer, reaction.venue, reaction.usefulness) == (5, 4, 3, 5)
    assert "4,3 / 5" in sheet(client, "scores_sheet", batch)
    response = client.post(url, {**REACTION, "venue": "5", "version": reaction.version})
    assert response.status_code == 302
    reaction.refresh_from_db()
    assert (reaction.venue, reaction.version) == (5, 2)


@pytest.mark.parametrize(("field", "value"), [("content", "0"), ("trainer", "6"), ("venue", "abc"), ("usefulness", "")])
def test_a_reaction_outside_1_to_5_is_refused_and_nothing_is_saved(client, blm_user, batch, field, value):
    client.force_login(blm_user)
    response = client.post(reverse("trainings:reaction", args=[first(batch).pk]), {**REACTION, field: value})
    assert response.status_code == 200
    assert "Pilih nilai 1 sampai 5." in response.content.decode()
    assert not Reaction.objects.exists()


def test_a_reaction_recorded_meanwhile_is_not_overwritten(client, blm_user, admin_user, batch):
    enrolment = first(batch)
    url = reverse("trainings:reaction", args=[enrolment.pk])
    logged_in(admin_user).post(url, REACTION)
    # The BLM opened the empty form before the admin saved: its form carries no version.
    response = logged_in(blm_user).post(url, {**REACTION, "content": "1"})
    assert response.status_code == 200
    assert STALE in response.content.decode()
    assert Reaction.objects.get().content == 5


def test_a_reaction_changed_meanwhile_is_refused(client, blm_user, admin_user, batch):
    enrolment = first(batch)
    url = reverse("trainings:reaction", args=[enrolment.pk])
    logged_in(admin_user).post(url, REACTION)
    logged_in(admin_user).post(url, {**REACTION, "trainer": "2", "version": 1})
    response = logged_in(blm_user).post(url, {**REACTION, "trainer": "5", "version": 1})
    assert STALE in response.content.decode()
    assert Reaction.objects.get().trainer == 2


def test_a_closed_batch_still_takes_reactions_but_a_planned_one_does_not(client, blm_user):
    batch = make_batch(sessions=1, status=BatchStatus.RUNNING)
    enrolment = enrol(batch)
    mark_all(batch)
    services.batch_set_status(batch=batch, status=BatchStatus.CLOSED)
    client.force_login(blm_user)
    assert client.post(reverse("trainings:reaction", args=[enrolment.pk]), REACTION).status_code == 302
    assert Reaction.objects.count() == 1
    planned = make_batch(sessions=1)
    waiting = enrol(planned)
    response = client.post(reverse("trainings:reaction", args=[waiting.pk]), REACTION, follow=True)
    assert response.redirect_chain[-1][0] == reverse("trainings:scores_sheet", args=[planned.pk])
    assert "Tanggapan peserta diisi ketika pelatihan berjalan" in response.content.decode()
    assert Reaction.objects.count() == 1


@pytest.mark.parametrize("user", ["pemda_user", "ministry_user"])
def test_readers_may_not_open_the_reaction_form(request, batch, user):
    client = logged_in(request.getfixturevalue(user))
    url = reverse("trainings:reaction", args=[first(batch).pk])
    assert client.get(url).status_code == 403
    assert client.post(url, REACTION).status_code == 403
    assert not Reaction.objects.exists()


# --- The services ---------------------------------------------------------------------------------------


def test_attendance_save_refuses_a_stale_version_and_a_session_of_another_batch(blm_user, batch):
    enrolment, first_session = first(batch), session(batch)
    sheets.attendance_save(
        enrolment=enrolment, session=first_session, mark=AttendanceMark.PRESENT, version=0, user=blm_user
    )
    with pytest.raises(StaleRecordError):
        sheets.attendance_save(
            enrolment=enrolment, session=first_session, mark=AttendanceMark.ABSENT, version=0, user=blm_user
        )
    other = make_batch(sessions=1, status=BatchStatus.RUNNING).sessions.get()
    with pytest.raises(Exception, match="bukan sesi angkatan"):
        sheets.attendance_save(enrolment=enrolment, session=other, mark=AttendanceMark.PRESENT, version=0, user=None)
    assert Attendance.objects.get().mark == AttendanceMark.PRESENT
