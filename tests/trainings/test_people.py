"""People and their enrolments: the person list and page, registering and changing a person, revealing a
NIK, a batch's participants, enrolling people and the enrolment status step."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.trainings.factories import (
    ACEH_SELATAN_VILLAGE,
    BARITO_KUALA_VILLAGE,
    enrol,
    make_batch,
    make_nik,
    make_person,
)
from trainings import nik as niks
from trainings.models import BatchStatus, Enrolment, EnrolmentStatus, NikReveal, Person
from trainings.nik import Sex

LIST = reverse("trainings:person_list")
CREATE = reverse("trainings:person_create")
BIRTH = datetime.date(1990, 8, 5)
# Another Barito Kuala village (Andaman, Kecamatan Anjir Pasar) and a Tanah Laut one (63.01).
ANDAMAN = "63.04.03.2001"


def person_data(**fields):
    """What the person form posts for a woman born 5 August 1990 in Anjir Pasar Kota, with her NIK."""
    data = {
        "full_name": "Siti Aminah",
        "nik": make_nik(birth_date=BIRTH, sex=Sex.FEMALE),
        "sex": Sex.FEMALE,
        "birth_date": BIRTH.isoformat(),
        "village": BARITO_KUALA_VILLAGE,
        "phone": "0812-3456-7890",
        "education": "sma",
        "occupation": "Petani",
        "village_role": "pkk",
        "disability": "",
    }
    return {**data, **fields}


def listed(response):
    return {record.full_name for record in response.context["table"].page.object_list.data}


def exported_rows(response, export_format):
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
        rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- The person list ---------------------------------------------------------------------------------


def test_the_person_list_shows_masked_niks_and_flags_people_without_one(client, blm_user):
    with_nik = make_person(full_name="Siti Aminah")
    make_person(full_name="Rahmat Hidayat", nik=False, sex=Sex.MALE)
    client.force_login(blm_user)

    response = client.get(LIST)

    html = response.content.decode()
    assert with_nik.nik_masked in html
    assert with_nik.nik not in html
    assert "tanpa NIK" in html
    assert listed(response) == {"Siti Aminah", "Rahmat Hidayat"}


def test_a_person_is_seen_through_the_regency_of_their_village(client, pemda_user, other_pemda_user, ministry_user):
    make_person(full_name="Warga Barito Kuala")
    make_person(full_name="Warga Aceh Selatan", village_code=ACEH_SELATAN_VILLAGE)

    client.force_login(pemda_user)
    assert listed(client.get(LIST)) == {"Warga Barito Kuala"}
    client.force_login(other_pemda_user)
    assert listed(client.get(LIST)) == {"Warga Aceh Selatan"}
    client.force_login(ministry_user)
    assert listed(client.get(LIST)) == {"Warga Barito Kuala", "Warga Aceh Selatan"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "amin"}, {"Siti Aminah"}),
        ({"sex": "L"}, {"Rahmat Hidayat"}),
        ({"regency": "63.04"}, {"Siti Aminah", "Rahmat Hidayat"}),
        ({"village": ANDAMAN}, {"Rahmat Hidayat"}),
        ({"education": "s1"}, {"Rahmat Hidayat"}),
        ({"village_role": "pkk"}, {"Siti Aminah"}),
        ({"disability": "ada"}, {"Rahmat Hidayat"}),
        ({"disability": "fisik"}, {"Rahmat Hidayat"}),
        ({"nik_status": "tanpa"}, {"Rahmat Hidayat"}),
        ({"nik_status": "ada"}, {"Siti Aminah"}),
    ],
)
def test_the_person_list_filters_by_name_sex_region_education_role_disability_and_missing_nik(
    client, blm_user, query, expected
):
    make_person(full_name="Siti Aminah", education="sma", village_role="pkk")
    make_person(
        full_name="Rahmat Hidayat",
        village_code=ANDAMAN,
        nik=False,
        sex=Sex.MALE,
        education="s1",
        village_role="bpd",
        disability="fisik",
    )
    client.force_login(blm_user)

    assert listed(client.get(LIST, query)) == expected


def test_a_nik_searched_by_post_finds_the_person_by_its_hash_and_never_enters_the_address(client, blm_user):
    person = make_person(full_name="Siti Aminah")
    make_person(full_name="Orang Lain")
    client.force_login(blm_user)

    response = client.post(LIST, {"nik": person.nik})

    assert response.status_code == 302
    assert person.nik not in response["Location"]
    assert response["Location"].endswith(f"nik={niks.nik_hash(person.nik)}")
    found = client.get(response["Location"])
    assert listed(found) == {"Siti Aminah"}
    assert person.nik not in found.content.decode()


def test_a_nik_typed_in_the_name_search_is_sent_to_its_hash_address(client, blm_user):
    person = make_person(full_name="Siti Aminah")
    client.force_login(blm_user)

    response = client.get(LIST, {"q": person.nik})

    assert response.status_code == 302
    assert person.nik not in response["Location"]
    assert listed(client.get(response["Location"])) == {"Siti Aminah"}
    htmx = client.get(LIST, {"q": person.nik}, headers={"HX-Request": "true"})
    assert person.nik not in htmx["HX-Redirect"]


def test_a_nik_search_that_is_not_16_digits_says_so(client, blm_user):
    client.force_login(blm_user)

    response = client.post(LIST, {"nik": "63040345"})

    assert response.status_code == 200
    assert "NIK harus 16 angka." in response.content.decode()


def test_a_nik_outside_the_users_regions_finds_nobody(client, pemda_user):
    aceh = make_person(village_code=ACEH_SELATAN_VILLAGE)
    client.force_login(pemda_user)

    response = client.get(client.post(LIST, {"nik": aceh.nik})["Location"])

    assert listed(response) == set()


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_person_export_holds_the_masked_nik_only(client, blm_user, export_format):
    person = make_person(full_name="Siti Aminah")
    make_person(full_name="Rahmat Hidayat", nik=False, sex=Sex.MALE)
    client.force_login(blm_user)

    response = client.get(LIST, {"_export": export_format})

    header, rows = exported_rows(response, export_format)
    assert "NIK (tersamar)" in header
    column = header.index("NIK (tersamar)")
    assert {row[column] for row in rows} == {person.nik_masked, "tanpa NIK"}
    assert person.nik.encode() not in response.getvalue()


def test_the_person_list_runs_the_same_queries_as_people_grow(client, blm_user, django_assert_num_queries):
    make_person()
    client.force_login(blm_user)
    query = {"sex": "P", "regency": "63.04"}
    with CaptureQueriesContext(connection) as before:
        client.get(LIST, query)
    for index in range(15):
        make_person(village_code=ANDAMAN if index % 2 else BARITO_KUALA_VILLAGE, nik=bool(index % 3))

    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get(LIST, query).status_code == 200


def test_the_person_list_shows_the_latest_recorded_first_and_sorts_by_name_on_request(client, blm_user):
    for name in ("Budi Santoso", "Aisyah Putri", "Citra Lestari"):
        make_person(full_name=name)
    client.force_login(blm_user)

    def names(response):
        return [record.full_name for record in response.context["table"].page.object_list.data]

    assert names(client.get(LIST)) == ["Citra Lestari", "Aisyah Putri", "Budi Santoso"]
    assert names(client.get(LIST, {"sort": "full_name"})) == ["Aisyah Putri", "Budi Santoso", "Citra Lestari"]


def test_a_search_matching_more_people_than_the_count_limit_says_more_than_and_still_pages(
    client, blm_user, monkeypatch
):
    from percontohan.tables import KeysFirstPaginator
    from trainings.views_people import PersonListView

    # Two people a page, counting stops at three: the list cannot say how many more there are.
    monkeypatch.setattr(PersonListView, "paginate_by", 2)
    monkeypatch.setattr(PersonListView, "count_limit", 3)
    monkeypatch.setattr(KeysFirstPaginator, "PAGES_AHEAD", 0)
    for index in range(6):
        make_person(full_name=f"Siti {chr(65 + index)}")
    client.force_login(blm_user)

    first = client.get(LIST, {"q": "siti"}).content.decode()
    assert "Lebih dari 3 baris" in first
    assert "?q=siti&amp;page=2" in first

    # Asked for page 3, the count reaches further; the last page holds the rest.
    third = client.get(LIST, {"q": "siti", "page": 3}).content.decode()
    assert "6 baris" in third
    assert "Lebih dari" not in third


# --- A person's page and the NIK reveal -----------------------------------------------------------


def test_the_person_page_shows_the_masked_nik_and_trainings_in_batches_the_user_may_see(client, pemda_user):
    person = make_person(full_name="Siti Aminah")
    here = make_batch(name="Angkatan Batola")
    there = make_batch(venue="11.01", name="Angkatan Aceh")
    enrol(here, person)
    enrol(there, person)
    client.force_login(pemda_user)

    response = client.get(person.get_absolute_url())

    html = response.content.decode()
    assert person.nik_masked in html
    assert person.nik not in html
    assert "Angkatan Batola" in html
    assert "Angkatan Aceh" not in html
    assert "Buka NIK" not in html  # not an Admin


def test_the_person_page_flags_someone_registered_without_nik(client, blm_user):
    person = make_person(nik=False)
    client.force_login(blm_user)

    html = client.get(person.get_absolute_url()).content.decode()

    assert 'id="nik-missing"' in html
    assert "didaftarkan tanpa NIK" in html


def test_the_nik_history_of_a_person_shows_masked_values_only(client, admin_user):
    person = make_person()
    old_nik, old_masked = person.nik, person.nik_masked
    client.force_login(admin_user)
    new_nik = make_nik(birth_date=BIRTH, sex=Sex.FEMALE)
    response = client.post(
        reverse("trainings:person_update", args=[person.pk]),
        person_data(full_name=person.full_name, nik=new_nik, version=person.version),
    )
    assert response.status_code == 302

    html = client.get(person.get_absolute_url()).content.decode()

    assert old_masked in html and niks.mask(new_nik) in html
    assert old_nik not in html and new_nik not in html


def test_an_admin_reveals_a_nik_with_a_reason_once_and_the_reveal_is_recorded(client, admin_user):
    person = make_person()
    client.force_login(admin_user)
    url = reverse("trainings:person_reveal", args=[person.pk])

    response = client.post(url, {"reason": "Verifikasi data untuk sertifikat"})

    assert response.status_code == 200
    assert person.nik in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert person.nik not in response.cookies.output()
    assert not messages_of(response)
    reveal = NikReveal.objects.get()
    assert (reveal.person, reveal.user, reveal.reason) == (person, admin_user, "Verifikasi data untuk sertifikat")
    # The person's page lists the reveal, and does not show the NIK again.
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Verifikasi data untuk sertifikat" in page
    assert person.nik not in page


def test_a_reveal_without_a_reason_is_refused_and_shows_nothing(client, admin_user):
    person = make_person()
    client.force_login(admin_user)

    response = client.post(reverse("trainings:person_reveal", args=[person.pk]), {"reason": ""})

    assert response.status_code == 200
    assert person.nik not in response.content.decode()
    assert "Alasan membuka NIK" in response.content.decode()
    assert not NikReveal.objects.exists()


@pytest.mark.parametrize("user", ["blm_user", "pemda_user", "ministry_user"])
def test_only_an_admin_may_reveal_a_nik(request, db, client, user):
    person = make_person()
    client.force_login(request.getfixturevalue(user))

    response = client.post(reverse("trainings:person_reveal", args=[person.pk]), {"reason": "Ingin tahu saja"})

    assert response.status_code == 403
    assert not NikReveal.objects.exists()


# --- Registering and changing a person ---------------------------------------------------------------


def test_staff_register_a_person_whose_nik_is_stored_encrypted_hashed_and_masked(client, blm_user):
    client.force_login(blm_user)
    data = person_data()

    response = client.post(CREATE, data)

    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert person.nik == data["nik"]
    assert person.nik_hash == niks.nik_hash(data["nik"])
    assert person.nik_masked == niks.mask(data["nik"])
    assert person.phone == "081234567890"
    assert messages_of(response) == ["Peserta didaftarkan."]


def test_a_bad_nik_is_a_field_error_naming_the_digits_and_is_not_written_back_into_the_page(client, blm_user):
    client.force_login(blm_user)
    bad = "6304034508900000"  # serial 0000

    response = client.post(CREATE, person_data(nik=bad))

    assert response.status_code == 200
    assert response.context["form"].errors["nik"] == ["Angka 13–16 NIK (nomor urut) tidak boleh 0000."]
    assert bad not in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"sex": Sex.MALE},
            "sex",
            "Jenis kelamin tidak sesuai dengan NIK: tanggal pada NIK menunjukkan perempuan (ditambah 40).",
        ),
        ({"birth_date": "1990-08-06"}, "birth_date", "Tanggal lahir tidak sesuai dengan angka 7–12 NIK."),
    ],
)
def test_sex_or_birth_date_disagreeing_with_the_nik_is_an_error_on_that_field(client, blm_user, fields, field, message):
    client.force_login(blm_user)

    response = client.post(CREATE, person_data(**fields))

    errors = response.context["form"].errors
    assert errors[field] == [message]
    assert "nik" not in errors
    assert not Person.objects.exists()


def test_a_checked_nik_is_carried_encrypted_to_the_corrected_form(client, blm_user):
    client.force_login(blm_user)
    data = person_data(sex=Sex.MALE)

    first = client.post(CREATE, data)
    kept = first.context["form"].data["nik_kept"]
    assert data["nik"] not in first.content.decode()
    assert niks.mask(data["nik"]) in first.content.decode()

    second = client.post(CREATE, {**data, "nik": "", "sex": Sex.FEMALE, "nik_kept": kept})

    assert second.status_code == 302
    assert Person.objects.get().nik == data["nik"]


def test_an_unknown_district_in_the_nik_is_a_warning_not_a_refusal(client, blm_user):
    client.force_login(blm_user)
    nik = "6304994508900001"  # Barito Kuala has no kecamatan 99

    response = client.post(CREATE, person_data(nik=nik))

    assert response.status_code == 302
    assert Person.objects.get().nik == nik
    assert any("Angka 5–6 NIK (99)" in message for message in messages_of(response))


def test_a_person_without_nik_needs_the_without_nik_acknowledgement(client, blm_user):
    client.force_login(blm_user)

    refused = client.post(CREATE, person_data(nik=""))
    assert refused.context["form"].errors["without_nik"] == [
        "Isi NIK, atau centang “Didaftarkan tanpa NIK” bila NIK belum ada."
    ]

    saved = client.post(CREATE, person_data(nik="", without_nik="on"))
    assert saved.status_code == 302
    person = Person.objects.get()
    assert person.nik_missing and person.nik is None and person.nik_masked == ""


def test_possible_duplicates_are_shown_before_saving_someone_without_nik_then_confirmed(client, blm_user):
    existing = make_person(full_name="Siti Aminah", birth_date=BIRTH)
    client.force_login(blm_user)
    data = person_data(full_name="Siti Aminah S", nik="", without_nik="on")

    first = client.post(CREATE, data)

    assert first.status_code == 200
    assert first.context["duplicates"] == [existing]
    assert "Mungkin sudah terdaftar" in first.content.decode()
    assert Person.objects.count() == 1
    confirmed = client.post(CREATE, {**data, "confirm_new": first.context["form"].data["confirm_new"]})
    assert confirmed.status_code == 302
    assert Person.objects.count() == 2


def test_registering_a_nik_that_exists_links_to_that_person_and_shows_their_earlier_trainings(client, blm_user):
    batch = make_batch(name="Angkatan Terdahulu")
    existing = make_person(full_name="Siti Aminah", birth_date=BIRTH)
    enrol(batch, existing)
    client.force_login(blm_user)

    response = client.post(CREATE, person_data(full_name="Siti A.", nik=existing.nik))

    assert response.status_code == 200
    assert response.context["existing"] == existing
    html = response.content.decode()
    assert "NIK ini sudah tercatat" in html
    assert existing.get_absolute_url() in html
    assert "Angkatan Terdahulu" in html
    assert existing.nik not in html
    assert Person.objects.count() == 1


def test_a_nik_held_by_someone_outside_the_users_regions_is_refused_without_showing_them(client, blm_user):
    aceh = make_person(full_name="Warga Aceh", village_code=ACEH_SELATAN_VILLAGE, birth_date=BIRTH)
    client.force_login(blm_user)

    response = client.post(CREATE, person_data(nik=aceh.nik, birth_date=BIRTH.isoformat()))

    assert "nik" in response.context["form"].errors
    assert "Warga Aceh" not in response.content.decode()
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"birth_date": "2099-01-01", "nik": "", "without_nik": "on"}, "birth_date"),
        ({"birth_date": "2020-01-01", "nik": "", "without_nik": "on"}, "birth_date"),
        ({"birth_date": "1900-01-01", "nik": "", "without_nik": "on"}, "birth_date"),
        ({"phone": "0812 abc"}, "phone"),
        ({"phone": "08-12+34"}, "phone"),
    ],
)
def test_a_birth_date_outside_15_to_100_years_or_a_phone_with_letters_is_refused(client, blm_user, fields, field):
    client.force_login(blm_user)

    response = client.post(CREATE, person_data(**fields))

    assert field in response.context["form"].errors
    assert not Person.objects.exists()


def test_readers_may_not_register_people(client, pemda_user):
    client.force_login(pemda_user)

    assert client.post(CREATE, person_data()).status_code == 403
    assert not Person.objects.exists()


def test_changing_a_person_keeps_their_nik_when_none_is_typed(client, blm_user):
    person = make_person(full_name="Siti Aminah")
    client.force_login(blm_user)

    response = client.post(
        reverse("trainings:person_update", args=[person.pk]),
        person_data(full_name="Siti Aminah Rahmah", nik="", version=person.version),
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Siti Aminah Rahmah"
    assert person.nik_hash == niks.nik_hash(person.nik) and person.nik_masked == niks.mask(person.nik)


def test_changing_a_person_someone_else_changed_meanwhile_is_refused(client, blm_user):
    person = make_person(full_name="Siti Aminah")
    read_version = person.version
    person.occupation = "Pedagang"
    person.save()
    client.force_login(blm_user)

    response = client.post(
        reverse("trainings:person_update", args=[person.pk]),
        person_data(full_name="Nama Baru", nik="", version=read_version),
    )

    assert response.status_code == 200
    assert "telah diubah oleh pengguna lain" in response.content.decode()
    person.refresh_from_db()
    assert person.full_name == "Siti Aminah"


def test_a_nik_of_another_person_cannot_be_given_to_someone(client, blm_user):
    first = make_person(full_name="Siti Aminah", birth_date=BIRTH)
    second = make_person(full_name="Rahmah", birth_date=BIRTH)
    client.force_login(blm_user)

    response = client.post(
        reverse("trainings:person_update", args=[second.pk]),
        person_data(full_name="Rahmah", nik=first.nik, version=second.version),
    )

    assert response.context["form"].errors["nik"]
    second.refresh_from_db()
    assert second.nik != first.nik


# --- A batch's participants --------------------------------------------------------------------------


def participants_url(batch):
    return reverse("trainings:batch_participants", args=[batch.pk])


def test_the_participants_page_shows_masked_niks_statuses_reasons_and_waiting_turns(client, blm_user):
    batch = make_batch(quota=1)
    first = enrol(batch, full_name="Siti Aminah")
    enrol(batch, full_name="Rahmah", nik=False)
    enrol(batch, full_name="Aisyah")
    client.force_login(blm_user)

    response = client.get(participants_url(batch))

    html = response.content.decode()
    assert first.person.nik_masked in html and first.person.nik not in html
    assert "tanpa NIK" in html
    rows = {e.person.full_name: e for e in response.context["table"].page.object_list.data}
    assert rows["Siti Aminah"].waiting_position is None
    assert (rows["Rahmah"].waiting_position, rows["Aisyah"].waiting_position) == (1, 2)
    assert "Daftar tunggu" in html
    assert "Ubah status" in html


def test_the_participants_page_offers_no_status_step_to_readers(client, pemda_user):
    batch = make_batch()
    enrol(batch)
    client.force_login(pemda_user)

    html = client.get(participants_url(batch)).content.decode()

    assert "Ubah status" not in html
    assert "Daftarkan peserta" not in html


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_participants_export_holds_masked_niks(client, blm_user, export_format):
    batch = make_batch()
    enrolment = enrol(batch, full_name="Siti Aminah")
    client.force_login(blm_user)

    response = client.get(participants_url(batch), {"_export": export_format})

    header, rows = exported_rows(response, export_format)
    assert "Aksi" not in header
    assert rows[0][header.index("NIK (tersamar)")] == enrolment.person.nik_masked
    assert enrolment.person.nik.encode() not in response.getvalue()


def test_the_participants_page_runs_the_same_queries_as_participants_grow(client, blm_user, django_assert_num_queries):
    batch = make_batch(quota=5)
    enrol(batch)
    client.force_login(blm_user)
    with CaptureQueriesContext(connection) as before:
        client.get(participants_url(batch))
    for index in range(12):
        enrol(batch, nik=bool(index % 2))

    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get(participants_url(batch)).status_code == 200


# --- Enrolling people --------------------------------------------------------------------------------


def enrol_url(batch):
    return reverse("trainings:batch_enrol", args=[batch.pk])


def test_a_person_is_found_by_nik_hash_or_by_name_and_enrolled(client, blm_user):
    batch = make_batch()
    person = make_person(full_name="Siti Aminah")
    client.force_login(blm_user)

    by_nik = client.post(enrol_url(batch), {"action": "find", "find": person.nik})
    assert by_nik.context["found"] == [person]
    assert person.nik not in by_nik.content.decode()
    assert client.post(enrol_url(batch), {"action": "find", "find": "amin"}).context["found"] == [person]

    response = client.post(enrol_url(batch), {"action": "enrol", "person": person.pk})

    assert response.status_code == 302
    assert response["Location"] == participants_url(batch)
    assert Enrolment.objects.get().person == person
    assert messages_of(response) == ["Siti Aminah didaftarkan sebagai peserta."]


def test_a_full_batch_puts_the_next_person_on_the_waiting_list(client, blm_user):
    batch = make_batch(quota=1)
    enrol(batch)
    person = make_person(full_name="Rahmah")
    client.force_login(blm_user)

    response = client.post(enrol_url(batch), {"action": "enrol", "person": person.pk})

    assert Enrolment.objects.get(person=person).status == EnrolmentStatus.WAITING
    assert messages_of(response) == ["Kuota penuh: Rahmah masuk daftar tunggu (urutan 1)."]


def test_a_new_person_is_registered_and_enrolled_at_once(client, blm_user):
    batch = make_batch()
    client.force_login(blm_user)
    data = {f"new-{key}": value for key, value in person_data().items()}

    response = client.post(enrol_url(batch), {"action": "register", **data})

    assert response.status_code == 302
    enrolment = Enrolment.objects.select_related("person").get()
    assert enrolment.batch == batch and enrolment.person.nik == data["new-nik"]


def test_a_bad_nik_in_the_enrol_form_registers_no_one(client, blm_user):
    batch = make_batch()
    client.force_login(blm_user)
    data = {f"new-{key}": value for key, value in person_data(nik="630403450890001").items()}

    response = client.post(enrol_url(batch), {"action": "register", **data})

    assert response.context["person_form"].errors["nik"] == ["NIK harus 16 angka; yang diisi 15 angka."]
    assert not Person.objects.exists() and not Enrolment.objects.exists()


def test_registering_an_existing_nik_in_the_enrol_form_offers_that_person(client, blm_user):
    batch = make_batch()
    existing = make_person(full_name="Siti Aminah", birth_date=BIRTH)
    client.force_login(blm_user)
    data = {f"new-{key}": value for key, value in person_data(nik=existing.nik).items()}

    response = client.post(enrol_url(batch), {"action": "register", **data})

    assert response.context["existing"] == existing
    assert "Daftarkan Siti Aminah ke angkatan ini" in response.content.decode()
    assert Person.objects.count() == 1 and not Enrolment.objects.exists()


def test_a_batch_no_longer_taking_registrations_refuses_an_enrolment(client, blm_user):
    batch = make_batch(status=BatchStatus.CLOSED)
    person = make_person()
    client.force_login(blm_user)

    response = client.post(enrol_url(batch), {"action": "enrol", "person": person.pk})

    assert response.status_code == 200
    assert "tidak menerima pendaftaran" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_someone_outside_the_users_regions_cannot_be_enrolled_by_id(client, blm_user):
    batch = make_batch()
    aceh = make_person(village_code=ACEH_SELATAN_VILLAGE)
    client.force_login(blm_user)

    response = client.post(enrol_url(batch), {"action": "enrol", "person": aceh.pk})

    assert response.status_code == 200
    assert not Enrolment.objects.exists()


# --- The enrolment status step -------------------------------------------------------------------------


def status_url(enrolment):
    return reverse("trainings:enrolment_status", args=[enrolment.pk])


def test_a_participant_is_confirmed(client, blm_user):
    enrolment = enrol(make_batch())
    client.force_login(blm_user)

    response = client.post(status_url(enrolment), {"status": "dikonfirmasi", "version": enrolment.version})

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CONFIRMED


def test_withdrawing_needs_a_reason_and_promotes_the_first_on_the_waiting_list(client, blm_user):
    batch = make_batch(quota=1)
    leaving = enrol(batch, full_name="Siti Aminah")
    waiting = enrol(batch, full_name="Rahmah")
    client.force_login(blm_user)

    refused = client.post(status_url(leaving), {"status": "mengundurkan_diri", "version": leaving.version})
    assert refused.context["form"].errors["reason"] == ["Tuliskan alasan peserta mengundurkan diri."]

    response = client.post(
        status_url(leaving), {"status": "mengundurkan_diri", "reason": "Sakit", "version": leaving.version}
    )

    assert response.status_code == 302
    leaving.refresh_from_db()
    waiting.refresh_from_db()
    assert (leaving.status, leaving.withdrawn_reason) == (EnrolmentStatus.WITHDRAWN, "Sakit")
    assert waiting.status == EnrolmentStatus.REGISTERED
    assert "Rahmah naik dari daftar tunggu menjadi peserta." in messages_of(response)


def test_a_status_step_on_a_stale_enrolment_is_refused(client, blm_user):
    enrolment = enrol(make_batch())
    client.force_login(blm_user)

    response = client.post(status_url(enrolment), {"status": "dikonfirmasi", "version": enrolment.version - 1})

    assert response.status_code == 200
    assert "telah diubah oleh pengguna lain" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.REGISTERED


def test_the_status_page_offers_only_the_allowed_steps(client, blm_user):
    enrolment = enrol(make_batch(quota=1))
    waiting = enrol(enrolment.batch)
    client.force_login(blm_user)

    html = client.get(status_url(waiting)).content.decode()

    options = re.findall(r'<option value="([^"]*)"', html)
    assert options == ["", "mengundurkan_diri"]
