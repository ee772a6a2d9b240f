"""The training catalogue: programmes and trainers, read by everyone and kept by their BLM's staff."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.trainings.factories import blm_aceh, blm_banjarmasin, make_batch, make_programme, make_trainer
from trainings.models import Programme, ProgrammeField, Session, Trainer

PROGRAMMES = reverse("trainings:programme_list")
TRAINERS = reverse("trainings:trainer_list")


def listed(response):
    return [str(record) for record in response.context["table"].page.object_list.data]


def programme_data(blm, **changes):
    return {
        "code": "BUM-01",
        "title": "Pengelolaan BUMDes",
        "field": ProgrammeField.BUMDES,
        "blm": blm.pk,
        "objectives": "Peserta mampu menyusun rencana usaha BUMDes.",
        "competencies": "",
        "hours_jp": "30",
        "gives_certificate": "on",
        "min_attendance_pct": "80",
        "min_post_test": "60",
        "min_practical": "",
        "active": "on",
        **changes,
    }


def errors_beside(response, field):
    return response.context["form"].errors.get(field, [])


@pytest.fixture
def signed_in(client, blm_user):
    client.force_login(blm_user)
    return client


# --- Programme list ---------------------------------------------------------------------------------------


def test_the_programme_list_searches_by_title_or_code_and_filters_by_field_blm_and_active(signed_in):
    make_programme(code="AGR-01", title="Budi daya padi apung", field=ProgrammeField.AGRIBUSINESS)
    make_programme(code="KEU-01", title="Siskeudes untuk perangkat desa", field=ProgrammeField.VILLAGE_FINANCE)
    make_programme(code="KEU-02", title="Pelaporan APBDes", field=ProgrammeField.VILLAGE_FINANCE, active=False)
    make_programme(code="AQU-01", title="Budi daya ikan", field=ProgrammeField.AQUACULTURE, blm=blm_aceh())

    assert listed(signed_in.get(PROGRAMMES, {"q": "padi"})) == ["Budi daya padi apung (AGR-01)"]
    assert listed(signed_in.get(PROGRAMMES, {"q": "keu-02"})) == ["Pelaporan APBDes (KEU-02)"]
    assert len(listed(signed_in.get(PROGRAMMES, {"field": ProgrammeField.VILLAGE_FINANCE}))) == 2
    assert listed(signed_in.get(PROGRAMMES, {"field": ProgrammeField.VILLAGE_FINANCE, "active": "ya"})) == [
        "Siskeudes untuk perangkat desa (KEU-01)"
    ]
    # The catalogue is everyone's: BLM Aceh's programme is listed to the Banjarmasin staff too.
    assert listed(signed_in.get(PROGRAMMES, {"blm": blm_aceh().pk})) == ["Budi daya ikan (AQU-01)"]


def test_the_programme_list_exports_every_filtered_row(signed_in):
    for number in range(30):
        make_programme(code=f"DIG-{number:02d}", title=f"Pemasaran digital {number:02d}")
    make_programme(code="=1+1", title="@SUM(A1)")

    response = signed_in.get(PROGRAMMES, {"q": "digital", "_export": "csv"})

    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][:3] == ["Kode", "Judul", "Bidang"]
    assert len(rows) == 31
    exported = signed_in.get(PROGRAMMES, {"q": "SUM", "_export": "csv"}).getvalue().decode("utf-8-sig")
    assert "'=1+1" in exported and "'@SUM(A1)" in exported


def test_the_programme_list_runs_the_same_queries_as_programmes_grow(signed_in, django_assert_num_queries):
    make_programme()
    with CaptureQueriesContext(connection) as before:
        signed_in.get(PROGRAMMES)
    for _number in range(15):
        make_programme(blm=blm_aceh())

    with django_assert_num_queries(len(before.captured_queries)):
        assert signed_in.get(PROGRAMMES).status_code == 200


# --- Programme page -----------------------------------------------------------------------------------------


def test_a_programme_page_states_its_completion_rule_in_words(signed_in):
    programme = make_programme(min_attendance_pct=90, min_post_test=70, requires_practical=True, min_practical=65)
    without_test = make_programme(min_post_test=None, gives_certificate=False)

    page = signed_in.get(programme.get_absolute_url()).content.decode()
    rule = re.search(r'<ul class="mb-2" id="completion-rule">(.*?)</ul>', page, flags=re.S).group(1)
    assert "sedikitnya 90% dari jam pelajaran" in rule
    assert "nilai post-test sedikitnya 70" in rule
    assert "nilai penilaian praktik sedikitnya 65" in rule
    assert "Peserta yang lulus menerima sertifikat." in page

    other = signed_in.get(without_test.get_absolute_url()).content.decode()
    assert "Kelulusan tidak bergantung pada nilai post-test." in other
    assert "Program ini tidak memberi sertifikat." in other
    assert "praktik sedikitnya" not in other


def test_a_programme_page_lists_only_the_batches_the_reader_may_see(client, pemda_user):
    programme = make_programme(title="Tata kelola BUMDes")
    make_batch(programme=programme, name="Angkatan Barito Kuala")
    make_batch(programme=programme, name="Angkatan Aceh Selatan", venue="11.01")
    client.force_login(pemda_user)

    page = client.get(programme.get_absolute_url()).content.decode()

    assert "Angkatan Barito Kuala" in page
    assert "Angkatan Aceh Selatan" not in page


def test_the_programme_page_offers_editing_to_its_blms_staff_only(client, blm_user, pemda_user):
    own, other = make_programme(), make_programme(blm=blm_aceh())
    edit = reverse("trainings:programme_update", args=[own.pk])
    client.force_login(blm_user)
    assert edit in client.get(own.get_absolute_url()).content.decode()
    assert (
        reverse("trainings:programme_update", args=[other.pk])
        not in client.get(other.get_absolute_url()).content.decode()
    )
    client.force_login(pemda_user)
    assert edit not in client.get(own.get_absolute_url()).content.decode()


# --- Programme forms -------------------------------------------------------------------------------------


def test_blm_staff_add_a_programme_of_their_own_blm(signed_in):
    own, _other = blm_banjarmasin(), blm_aceh()
    form = signed_in.get(reverse("trainings:programme_create")).context["form"]
    assert list(form.fields["blm"].queryset) == [own]

    response = signed_in.post(reverse("trainings:programme_create"), programme_data(blm_banjarmasin(), code="bum-01 "))

    programme = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == programme.get_absolute_url()
    assert (programme.code, programme.blm, programme.min_post_test) == ("BUM-01", blm_banjarmasin(), 60)


def test_blm_staff_cannot_put_a_programme_under_another_blm(signed_in):
    response = signed_in.post(reverse("trainings:programme_create"), programme_data(blm_aceh()))

    assert response.status_code == 200
    assert errors_beside(response, "blm")
    assert not Programme.objects.exists()


def test_a_practical_assessment_needs_a_minimum_score(signed_in):
    response = signed_in.post(
        reverse("trainings:programme_create"), programme_data(blm_banjarmasin(), requires_practical="on")
    )

    assert errors_beside(response, "min_practical") == ["Isi nilai praktik minimal bila ada penilaian praktik."]
    assert not response.context["form"].non_field_errors()
    assert not Programme.objects.exists()


def test_a_programme_code_is_used_once(signed_in):
    make_programme(code="BUM-01")

    response = signed_in.post(reverse("trainings:programme_create"), programme_data(blm_banjarmasin()))

    assert errors_beside(response, "code")
    assert Programme.objects.count() == 1


def test_editing_a_programme_someone_changed_meanwhile_is_refused(signed_in):
    programme = make_programme(title="Judul lama")
    url = reverse("trainings:programme_update", args=[programme.pk])
    read_at = programme.version
    Programme.objects.get(pk=programme.pk).save()  # someone else saves it first

    response = signed_in.post(
        url, programme_data(blm_banjarmasin(), code=programme.code, title="Judul baru", version=read_at)
    )

    assert response.status_code == 200
    assert "telah diubah oleh pengguna lain" in str(response.context["form"].non_field_errors())
    programme.refresh_from_db()
    assert programme.title == "Judul lama"


def test_blm_staff_edit_their_programme_and_the_change_is_in_its_history(signed_in):
    programme = make_programme(title="Judul lama")
    url = reverse("trainings:programme_update", args=[programme.pk])

    response = signed_in.post(
        url, programme_data(blm_banjarmasin(), code=programme.code, title="Judul baru", version=programme.version)
    )

    assert response.status_code == 302
    page = signed_in.get(programme.get_absolute_url()).content.decode()
    assert "Judul baru" in page and "Judul lama" in page  # the history shows the change


# --- Trainers ----------------------------------------------------------------------------------------


def test_a_trainer_is_added_without_an_organisation_and_listed_by_expertise(signed_in):
    response = signed_in.post(
        reverse("trainings:trainer_create"),
        {"name": "Ir. Rahmadi", "blm": blm_banjarmasin().pk, "organisation": "", "expertise": "Agribisnis padi"},
    )

    trainer = Trainer.objects.get()
    assert response["Location"] == trainer.get_absolute_url()
    assert trainer.organisation is None
    assert listed(signed_in.get(TRAINERS, {"q": "padi"})) == ["Ir. Rahmadi"]
    assert listed(signed_in.get(TRAINERS, {"q": "perikanan"})) == []


def test_blm_staff_cannot_edit_another_blms_trainer(signed_in):
    trainer = make_trainer(blm=blm_aceh(), name="Pelatih Aceh")

    assert signed_in.get(reverse("trainings:trainer_update", args=[trainer.pk])).status_code == 403
    response = signed_in.post(
        reverse("trainings:trainer_update", args=[trainer.pk]),
        {"name": "Diubah", "blm": blm_aceh().pk, "version": trainer.version},
    )
    assert response.status_code == 403
    trainer.refresh_from_db()
    assert trainer.name == "Pelatih Aceh"


def test_a_trainers_page_lists_the_sessions_of_batches_the_reader_may_see(client, pemda_user):
    trainer = make_trainer(name="Siti Aminah")
    home = make_batch(sessions=1)
    home.sessions.get().trainers.add(trainer)
    away = make_batch(venue="11.01", sessions=1)
    Session.objects.filter(batch=away).update(topic="Materi di Aceh")
    away.sessions.get().trainers.add(trainer)
    client.force_login(pemda_user)

    page = client.get(trainer.get_absolute_url()).content.decode()

    assert str(home) in page
    assert "Materi di Aceh" not in page


def test_the_trainer_list_runs_the_same_queries_as_trainers_grow(signed_in, django_assert_num_queries):
    make_trainer()
    with CaptureQueriesContext(connection) as before:
        signed_in.get(TRAINERS)
    for _number in range(15):
        make_trainer(blm=blm_aceh(), organisation=blm_banjarmasin())

    with django_assert_num_queries(len(before.captured_queries)):
        assert signed_in.get(TRAINERS).status_code == 200
