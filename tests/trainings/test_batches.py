"""Batches and their sessions through their pages: the scoped list with places taken, the forms and their
refusals, the lifecycle from planned to closed, and nothing changing once a batch is closed or cancelled."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement
from tests.agreements.factories_documents import make_agreement, make_commitment
from tests.trainings.factories import (
    ACEH_SELATAN_VILLAGE,
    BARITO_KUALA_VILLAGE,
    blm_aceh,
    blm_banjarmasin,
    enrol,
    make_batch,
    make_programme,
    make_trainer,
    mark_all,
)
from trainings.models import Batch, BatchMode, BatchStatus, EnrolmentStatus, FollowUp, Session
from villages.models import ProgrammeArea

BATCHES = reverse("trainings:batch_list")
CAHAYA_BARU = "63.04.17.2005"
START = datetime.date(2024, 5, 6)


@pytest.fixture
def signed_in(client, blm_user):
    client.force_login(blm_user)
    return client


def listed(response):
    return [record.name for record in response.context["table"].page.object_list.data]


def batch_data(programme, **changes):
    return {
        "programme": programme.pk,
        "name": "Angkatan I 2024",
        "blm": programme.blm_id,
        "mode": BatchMode.IN_VILLAGE,
        "venue_village": BARITO_KUALA_VILLAGE,
        "venue_detail": "Aula Kantor Desa",
        "starts_on": "2024-05-06",
        "ends_on": "2024-05-10",
        "quota": "30",
        "target_villages": [BARITO_KUALA_VILLAGE, CAHAYA_BARU],
        "notes": "",
        **changes,
    }


def session_data(**changes):
    return {
        "date": "2024-05-06",
        "starts_at": "08:00",
        "ends_at": "11:30",
        "topic": "Pengantar pengelolaan BUMDes",
        "hours_jp": "3",
        **changes,
    }


def form_errors(response, field=None):
    form = response.context["form"]
    return form.non_field_errors() if field is None else form.errors.get(field, [])


def set_status(client, batch, status, **data):
    batch.refresh_from_db()
    return client.post(
        reverse("trainings:batch_status", args=[batch.pk]), {"status": status, "version": batch.version, **data}
    )


# --- The list ------------------------------------------------------------------------------------------


def test_the_batch_list_shows_only_batches_in_the_readers_regency(client, pemda_user, other_pemda_user):
    make_batch(name="Di Barito Kuala")
    make_batch(name="Di Aceh Selatan", venue="11.01")
    # Held in Aceh, aimed at a Barito Kuala village: seen in Barito Kuala too.
    make_batch(name="Untuk Barito Kuala", venue="11.01", targets=[BARITO_KUALA_VILLAGE])

    client.force_login(pemda_user)
    assert sorted(listed(client.get(BATCHES))) == ["Di Barito Kuala", "Untuk Barito Kuala"]
    client.force_login(other_pemda_user)
    assert sorted(listed(client.get(BATCHES))) == ["Di Aceh Selatan", "Untuk Barito Kuala"]


def test_the_batch_list_shows_places_taken_and_waiting(signed_in):
    batch = make_batch(name="Hampir penuh", quota=2)
    for _number in range(3):
        enrol(batch)

    response = signed_in.get(BATCHES)

    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Hampir penuh.*?</tr>", response.content.decode(), flags=re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
    assert cells[7:] == ["2", "2", "1", "Direncanakan"]


def test_the_batch_list_filters_by_status_mode_programme_blm_year_and_regency(signed_in):
    programme = make_programme(title="Agribisnis padi")
    make_batch(name="Lama", programme=programme, starts_on=datetime.date(2020, 8, 3))
    make_batch(name="Buka", status=BatchStatus.REGISTRATION)
    make_batch(name="Di Cahaya Baru", venue=CAHAYA_BARU)
    make_batch(name="Kapuas", venue="62.03")

    assert listed(signed_in.get(BATCHES, {"status": BatchStatus.REGISTRATION})) == ["Buka"]
    assert listed(signed_in.get(BATCHES, {"programme": programme.pk})) == ["Lama"]
    assert listed(signed_in.get(BATCHES, {"year": "2020"})) == ["Lama"]
    assert listed(signed_in.get(BATCHES, {"q": "padi"})) == ["Lama"]
    assert listed(signed_in.get(BATCHES, {"regency": "62.03"})) == ["Kapuas"]
    assert len(listed(signed_in.get(BATCHES, {"regency": "63.04", "mode": BatchMode.IN_VILLAGE}))) == 3
    assert listed(signed_in.get(BATCHES, {"mode": BatchMode.ONLINE})) == []
    assert len(listed(signed_in.get(BATCHES, {"blm": blm_banjarmasin().pk}))) == 4


def test_the_regency_filter_loads_its_choices_on_demand(signed_in):
    make_batch()

    page = signed_in.get(BATCHES, {"regency": "63.04"}).content.decode()

    select = re.search(r'<select name="regency".*?</select>', page, flags=re.S).group(0)
    assert 'data-picker="region"' in select
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "63.04"]


def test_the_batch_list_exports_every_filtered_row_with_its_places(signed_in):
    batch = make_batch(name="Angkatan ekspor", venue=BARITO_KUALA_VILLAGE)
    enrol(batch)
    make_batch(name="Lain", venue="62.03")

    response = signed_in.get(BATCHES, {"regency": "63.04", "_export": "csv"})

    header, *rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert header == [
        "Angkatan",
        "Program",
        "BLM",
        "Moda",
        "Mulai",
        "Selesai",
        "Tempat",
        "Kuota",
        "Terisi",
        "Daftar tunggu",
        "Status",
    ]
    assert rows == [
        [
            "Angkatan ekspor",
            batch.programme.title,
            "Balai Latihan Masyarakat Banjarmasin",
            "Di desa",
            "2024-05-06",
            "2024-05-06",
            "Anjir Pasar Kota, Kec. Anjir Pasar",
            "30",
            "1",
            "0",
            "Direncanakan",
        ]
    ]


def test_the_batch_list_runs_the_same_queries_as_batches_grow(signed_in, django_assert_num_queries):
    enrol(make_batch())
    with CaptureQueriesContext(connection) as before:
        signed_in.get(BATCHES)
    for number in range(12):
        batch = make_batch(venue=CAHAYA_BARU if number % 2 else "62.03", targets=[BARITO_KUALA_VILLAGE])
        enrol(batch)

    with django_assert_num_queries(len(before.captured_queries)):
        assert signed_in.get(BATCHES).status_code == 200


# --- Creating and editing a batch -------------------------------------------------------------------------


def test_blm_staff_create_a_batch_held_in_a_village_for_target_villages(signed_in):
    programme = make_programme()

    response = signed_in.post(reverse("trainings:batch_create"), batch_data(programme))

    batch = Batch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    assert (batch.status, batch.venue_village_id, batch.blm) == (
        BatchStatus.PLANNED,
        BARITO_KUALA_VILLAGE,
        programme.blm,
    )
    assert sorted(batch.target_villages.values_list("code", flat=True)) == [BARITO_KUALA_VILLAGE, CAHAYA_BARU]
    page = signed_in.get(batch.get_absolute_url()).content.decode()
    assert "Anjir Pasar Kota" in page and "Cahaya Baru" in page
    assert "0 dari 30 tempat terisi" in page


def test_the_batch_form_carries_only_the_chosen_villages_and_searches_the_others(signed_in):
    batch = make_batch(venue=BARITO_KUALA_VILLAGE, targets=[CAHAYA_BARU])

    page = signed_in.get(reverse("trainings:batch_update", args=[batch.pk])).content.decode()

    for name, chosen in (("venue_village", ["", BARITO_KUALA_VILLAGE]), ("target_villages", [CAHAYA_BARU])):
        select = re.search(rf'<select name="{name}".*?</select>', page, flags=re.S).group(0)
        assert 'data-search-url="/wilayah/cari/"' in select
        assert re.findall(r'<option value="([^"]*)"', select) == chosen


def test_a_batch_at_the_blm_has_no_venue_village_and_one_in_a_village_needs_one(signed_in):
    programme = make_programme()

    at_blm = signed_in.post(reverse("trainings:batch_create"), batch_data(programme, mode=BatchMode.AT_BLM))
    in_village = signed_in.post(reverse("trainings:batch_create"), batch_data(programme, venue_village=""))

    assert "kosongkan desa tempat pelatihan" in form_errors(at_blm, "venue_village")[0]
    assert form_errors(in_village, "venue_village") == ["Pilih desa tempat pelatihan diadakan."]
    assert not Batch.objects.exists()
    signed_in.post(reverse("trainings:batch_create"), batch_data(programme, mode=BatchMode.AT_BLM, venue_village=""))
    assert Batch.objects.get().venue_village is None


def test_a_batch_cannot_end_before_it_starts(signed_in):
    response = signed_in.post(reverse("trainings:batch_create"), batch_data(make_programme(), ends_on="2024-05-01"))

    assert form_errors(response, "ends_on") == ["Tanggal selesai tidak boleh sebelum tanggal mulai."]
    assert not form_errors(response)
    assert not Batch.objects.exists()


def test_villages_and_areas_outside_the_users_scope_are_not_accepted(signed_in):
    programme = make_programme()
    aceh_area = ProgrammeArea.objects.create(name="Kawasan Aceh", kind="perdesaan", regency_id="11.01")

    response = signed_in.post(
        reverse("trainings:batch_create"),
        batch_data(
            programme, venue_village=ACEH_SELATAN_VILLAGE, target_villages=[ACEH_SELATAN_VILLAGE], area=aceh_area.pk
        ),
    )

    assert form_errors(response, "venue_village") and form_errors(response, "target_villages")
    assert form_errors(response, "area")
    assert not Batch.objects.exists()


def test_a_batch_offers_only_the_agreements_and_commitments_the_user_sees(signed_in):
    own = make_agreement("63.04")
    commitment = make_commitment(own)
    other = make_agreement("11.01")
    form = signed_in.get(reverse("trainings:batch_create")).context["form"]
    assert list(form.fields["agreement"].queryset) == [own]
    assert list(form.fields["commitment"].queryset) == [commitment]

    # A commitment names its agreement; one of another agreement is refused.
    second = make_agreement("63.04")
    refused = signed_in.post(
        reverse("trainings:batch_create"), batch_data(make_programme(), agreement=second.pk, commitment=commitment.pk)
    )
    assert form_errors(refused, "commitment") == ["Komitmen ini bukan bagian dari perjanjian yang dipilih."]
    signed_in.post(reverse("trainings:batch_create"), batch_data(make_programme(), commitment=commitment.pk))
    assert Batch.objects.get().agreement == own
    assert other not in form.fields["agreement"].queryset


def test_the_batch_page_links_only_the_agreement_its_reader_may_see(client, blm_user, admin_user):
    agreement = make_agreement("11.01", title="PKS pelatihan Aceh")
    batch = make_batch(agreement=agreement)

    client.force_login(blm_user)
    assert "PKS pelatihan Aceh" not in client.get(batch.get_absolute_url()).content.decode()
    client.force_login(admin_user)
    assert "PKS pelatihan Aceh" in client.get(batch.get_absolute_url()).content.decode()
    assert Agreement.objects.visible_to(blm_user).filter(pk=agreement.pk).exists() is False


def test_the_quota_cannot_fall_below_the_places_taken(signed_in):
    batch = make_batch(quota=5)
    for _number in range(3):
        enrol(batch)

    response = signed_in.post(
        reverse("trainings:batch_update", args=[batch.pk]),
        batch_data(batch.programme, quota="2", starts_on="2024-05-06", ends_on="2024-05-06", version=batch.version),
    )

    assert form_errors(response, "quota") == ["Sudah 3 peserta mendapat tempat; kuota tidak boleh kurang dari itu."]
    batch.refresh_from_db()
    assert batch.quota == 5


def test_new_dates_that_leave_sessions_outside_are_refused(signed_in):
    batch = make_batch(sessions=3)

    response = signed_in.post(
        reverse("trainings:batch_update", args=[batch.pk]),
        batch_data(batch.programme, starts_on="2024-05-07", ends_on="2024-05-07", version=batch.version),
    )

    assert "2 sesi terjadwal di luar tanggal ini" in str(form_errors(response))
    batch.refresh_from_db()
    assert batch.starts_on == START


def test_a_regional_editor_cannot_edit_a_batch_of_another_region(signed_in):
    batch = make_batch(venue="11.01")

    assert signed_in.get(reverse("trainings:batch_update", args=[batch.pk])).status_code == 404
    assert (
        signed_in.post(reverse("trainings:batch_status", args=[batch.pk]), {"status": "pendaftaran"}).status_code == 404
    )


# --- The lifecycle, through the batch's page -----------------------------------------------------------------


def test_the_status_form_offers_only_the_allowed_steps(signed_in):
    batch = make_batch()

    form = signed_in.get(batch.get_absolute_url()).context["status_form"]

    assert [value for value, _label in form.fields["status"].widget.choices] == [
        BatchStatus.REGISTRATION,
        BatchStatus.CANCELLED,
    ]


def test_a_batch_runs_only_with_sessions_and_the_refusal_is_shown_on_its_page(signed_in):
    batch = make_batch(status=BatchStatus.REGISTRATION)

    response = set_status(signed_in, batch, BatchStatus.RUNNING)

    assert response.status_code == 200
    assert "Tambahkan jadwal sesi lebih dahulu." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REGISTRATION


def test_cancelling_needs_a_reason(signed_in):
    batch = make_batch()

    refused = set_status(signed_in, batch, BatchStatus.CANCELLED, reason="  ")
    assert "Pembatalan harus disertai alasan." in refused.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PLANNED

    set_status(signed_in, batch, BatchStatus.CANCELLED, reason="Banjir di lokasi pelatihan.")
    batch.refresh_from_db()
    assert (batch.status, batch.cancel_reason) == (BatchStatus.CANCELLED, "Banjir di lokasi pelatihan.")
    assert "Banjir di lokasi pelatihan." in signed_in.get(batch.get_absolute_url()).content.decode()


def test_a_step_the_lifecycle_does_not_allow_is_refused_with_the_allowed_ones(signed_in):
    batch = make_batch()

    response = set_status(signed_in, batch, BatchStatus.CLOSED)

    assert "Langkah yang diizinkan: Pendaftaran dibuka, Dibatalkan." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PLANNED


def test_a_status_change_over_a_newer_version_is_refused(signed_in):
    batch = make_batch()
    read_at = batch.version
    Batch.objects.get(pk=batch.pk).save()

    response = signed_in.post(
        reverse("trainings:batch_status", args=[batch.pk]), {"status": BatchStatus.REGISTRATION, "version": read_at}
    )

    assert "telah diubah oleh pengguna lain" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PLANNED


def test_a_batch_goes_from_planned_to_closed_and_closing_decides_each_result(signed_in):
    batch = make_batch(sessions=2, quota=2, programme=make_programme(min_post_test=60))
    passed, failed = enrol(batch), enrol(batch)
    mark_all(batch)
    passed.post_test, failed.post_test = Decimal(80), Decimal(40)
    passed.save()
    failed.save()

    for status in (BatchStatus.REGISTRATION, BatchStatus.RUNNING):
        assert set_status(signed_in, batch, status).status_code == 302
    response = set_status(signed_in, batch, BatchStatus.CLOSED)

    assert response.status_code == 302
    page = signed_in.get(batch.get_absolute_url()).content.decode()
    assert "Hasil peserta ditetapkan: 1 lulus, 1 tidak lulus." in page
    assert "Ubah status angkatan" not in page  # nothing follows a closed batch
    passed.refresh_from_db()
    failed.refresh_from_db()
    assert (passed.status, failed.status) == (EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)
    assert "post-test 40 di bawah minimal 60" in failed.result_reason
    assert FollowUp.objects.filter(enrolment=passed).count() == 2


def test_nothing_of_a_closed_or_cancelled_batch_changes_any_more(signed_in):
    for status in (BatchStatus.CLOSED, BatchStatus.CANCELLED):
        batch = make_batch(
            sessions=1, status=status, cancel_reason="Dibatalkan" if status == BatchStatus.CANCELLED else ""
        )
        session = batch.sessions.get()
        urls = [
            reverse("trainings:batch_update", args=[batch.pk]),
            reverse("trainings:session_create", args=[batch.pk]),
            reverse("trainings:session_update", args=[session.pk]),
            reverse("trainings:session_delete", args=[session.pk]),
        ]
        for url in urls:
            for response in (signed_in.get(url), signed_in.post(url, {**session_data(), "version": session.version})):
                assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
        page = signed_in.get(batch.get_absolute_url()).content.decode()
        assert "data dan jadwalnya tidak dapat diubah lagi" in page
        assert reverse("trainings:session_create", args=[batch.pk]) not in page
        assert Session.objects.filter(batch=batch).count() == 1
        batch.refresh_from_db()
        assert batch.version == 1


# --- Sessions -------------------------------------------------------------------------------------------------


def test_a_session_is_added_with_trainers_of_the_batchs_blm(signed_in):
    batch = make_batch(ends_on=datetime.date(2024, 5, 10))
    trainer = make_trainer(name="Ir. Rahmadi")
    make_trainer(blm=blm_aceh(), name="Pelatih Aceh")
    url = reverse("trainings:session_create", args=[batch.pk])
    form = signed_in.get(url).context["form"]
    assert [str(t) for t in form.fields["trainers"].queryset] == ["Ir. Rahmadi"]

    response = signed_in.post(url, session_data(trainers=[trainer.pk]))

    assert response["Location"] == f"{batch.get_absolute_url()}#sesi"
    session = batch.sessions.get()
    assert list(session.trainers.all()) == [trainer]
    page = signed_in.get(batch.get_absolute_url()).content.decode()
    assert "Pengantar pengelolaan BUMDes" in page and "Ir. Rahmadi" in page and "08:00–11:30" in page


def test_a_session_keeps_to_the_batchs_dates_hours_and_roster(signed_in):
    batch = make_batch(ends_on=datetime.date(2024, 5, 10))
    outsider = make_trainer(blm=blm_aceh())
    url = reverse("trainings:session_create", args=[batch.pk])

    response = signed_in.post(
        url, session_data(date="2024-05-11", starts_at="11:00", ends_at="09:00", hours_jp="0", trainers=[outsider.pk])
    )

    assert form_errors(response, "date") == [
        "Tanggal sesi harus di antara tanggal mulai dan selesai angkatan (6 Mei 2024 – 10 Mei 2024)."
    ]
    assert form_errors(response, "ends_at") == ["Jam selesai harus setelah jam mulai."]
    assert form_errors(response, "hours_jp") == ["Jam pelajaran harus lebih dari 0."]
    assert form_errors(response, "trainers")
    assert not form_errors(response)
    assert not Session.objects.exists()


def test_a_session_is_changed_and_deleted_from_the_batchs_page(signed_in):
    batch = make_batch(sessions=2)
    first, second = batch.sessions.order_by("date")

    response = signed_in.post(
        reverse("trainings:session_update", args=[first.pk]),
        session_data(topic="Analisis kelayakan usaha", version=first.version),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.topic == "Analisis kelayakan usaha"

    delete = reverse("trainings:session_delete", args=[second.pk])
    assert "Hapus sesi" in signed_in.get(delete).content.decode()
    stale = signed_in.post(delete, {"version": second.version - 1})
    assert "telah diubah oleh pengguna lain" in stale.content.decode()
    assert signed_in.post(delete, {"version": second.version}).status_code == 302
    assert list(batch.sessions.all()) == [first]


def test_a_session_with_attendance_recorded_is_not_deleted(signed_in):
    batch = make_batch(sessions=1)
    enrol(batch)
    mark_all(batch)
    session = batch.sessions.get()

    response = signed_in.post(reverse("trainings:session_delete", args=[session.pk]), {"version": session.version})

    assert "sudah memiliki catatan kehadiran" in response.content.decode()
    assert Session.objects.filter(pk=session.pk).exists()


def test_the_batch_page_runs_the_same_queries_as_sessions_grow(signed_in, django_assert_num_queries):
    batch = make_batch(sessions=1, targets=[CAHAYA_BARU], ends_on=START + datetime.timedelta(days=10))
    trainer = make_trainer()
    batch.sessions.get().trainers.add(trainer)
    with CaptureQueriesContext(connection) as before:
        signed_in.get(batch.get_absolute_url())
    for day in range(1, 8):
        session = Session.objects.create(
            batch=batch, date=START + datetime.timedelta(days=day), topic=f"Sesi {day}", hours_jp=Decimal(2)
        )
        session.trainers.add(trainer, make_trainer())
    batch.target_villages.add(BARITO_KUALA_VILLAGE)

    with django_assert_num_queries(len(before.captured_queries)):
        assert signed_in.get(batch.get_absolute_url()).status_code == 200
