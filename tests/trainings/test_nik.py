"""The NIK's structure as the person form checks it (the field error says which digits are wrong), sex and
birth date agreeing with it, and rotating the NIK keys (`manage.py rotate_nik_keys`)."""

import datetime

import pghistory.models
import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from regions.models import Regency
from tests.trainings.factories import BARITO_KUALA_VILLAGE, make_person
from trainings import nik as niks
from trainings import services
from trainings.forms_people import PersonForm
from trainings.models import Person
from trainings.nik import Sex

BIRTH = datetime.date(1990, 8, 5)
# Barito Kuala (63.04), Kecamatan Anjir Pasar (03); born 5 August 1990 (a woman: 45); serial 0001.
WOMAN = "6304034508900001"
MAN = "6304030508900001"
BAD_DATE = "Angka 7–12 NIK bukan tanggal lahir yang sah (DDMMYY, tanggal ditambah 40 untuk perempuan)."
SAYS_MAN = "Jenis kelamin tidak sesuai dengan NIK: tanggal pada NIK menunjukkan laki-laki."


def form_for(nik, *, sex=Sex.FEMALE, birth_date=BIRTH, user):
    data = {
        "full_name": "Siti Aminah",
        "nik": nik,
        "sex": sex,
        "birth_date": birth_date.isoformat(),
        "village": BARITO_KUALA_VILLAGE,
    }
    form = PersonForm(data, user=user)
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("630403450890001", "NIK harus 16 angka; yang diisi 15 angka."),
        ("63040345089000012", "NIK harus 16 angka; yang diisi 17 angka."),
        ("63040345089O0001", "NIK hanya boleh berisi angka."),
        ("630403450890000A", "NIK hanya boleh berisi angka."),
        ("9904034508900001", "Angka 1–4 NIK (9904) bukan kode kabupaten/kota yang dikenal."),
        (
            "6304037208900001",
            BAD_DATE,
        ),
        (
            "6304030513900001",
            BAD_DATE,
        ),
        ("6304034508900000", "Angka 13–16 NIK (nomor urut) tidak boleh 0000."),
    ],
    ids=[
        "15 digits",
        "17 digits",
        "a letter O",
        "a letter at the end",
        "unknown regency",
        "day 72",
        "month 13",
        "serial 0000",
    ],
)
def test_a_malformed_nik_is_refused_on_its_field_saying_which_digits_are_wrong(blm_user, nik, message):
    form = form_for(nik, user=blm_user)

    assert form.errors["nik"] == [message]
    assert nik not in message


def test_spaces_dots_and_dashes_people_type_in_a_nik_are_ignored(blm_user):
    form = form_for("6304 0345-0890.0001", user=blm_user)

    assert form.is_valid(), form.errors
    assert form.nik_digits == WOMAN


def test_a_womans_nik_has_40_added_to_the_day(blm_user):
    reading = niks.read(WOMAN)

    assert (reading.sex, reading.birth_date) == (Sex.FEMALE, BIRTH)
    assert form_for(WOMAN, user=blm_user).is_valid()
    assert form_for(MAN, sex=Sex.MALE, user=blm_user).is_valid()


def test_a_nik_issued_in_a_retired_regency_is_still_accepted(blm_user):
    Regency.objects.create(code="63.98", name="Kabupaten Lama", province_id="63", retired_on=datetime.date(2013, 1, 1))

    form = form_for("6398014508900001", user=blm_user)

    assert "nik" not in form.errors
    assert form.warnings  # its kecamatan is unknown: a doubt, not a refusal


def test_an_unknown_district_is_a_warning_not_a_refusal(blm_user):
    form = form_for("6304994508900001", user=blm_user)

    assert form.is_valid(), form.errors
    assert form.warnings == ["Angka 5–6 NIK (99) bukan kecamatan yang dikenal di kabupaten/kota itu; periksa kembali."]


@pytest.mark.parametrize(
    ("nik", "sex", "birth_date", "field", "message"),
    [
        (
            WOMAN,
            Sex.MALE,
            BIRTH,
            "sex",
            "Jenis kelamin tidak sesuai dengan NIK: tanggal pada NIK menunjukkan perempuan (ditambah 40).",
        ),
        (
            MAN,
            Sex.FEMALE,
            BIRTH,
            "sex",
            "Jenis kelamin tidak sesuai dengan NIK: tanggal pada NIK menunjukkan laki-laki.",
        ),
        (
            WOMAN,
            Sex.FEMALE,
            datetime.date(1991, 8, 5),
            "birth_date",
            "Tanggal lahir tidak sesuai dengan angka 7–12 NIK.",
        ),
    ],
    ids=["woman entered as a man", "man entered as a woman", "another birth year"],
)
def test_sex_and_birth_date_disagreeing_with_the_nik_are_errors_on_those_fields(
    blm_user, nik, sex, birth_date, field, message
):
    form = form_for(nik, sex=sex, birth_date=birth_date, user=blm_user)

    assert form.errors[field] == [message]
    assert "nik" not in form.errors


def test_a_two_digit_year_is_read_in_the_past(blm_user):
    reading = niks.read("6304030501050001", today=datetime.date(2026, 1, 1))

    assert reading.birth_date == datetime.date(2005, 1, 5)
    assert niks.read("6304030501300001", today=datetime.date(2026, 1, 1)).birth_date == datetime.date(1930, 1, 5)


def test_the_mask_keeps_the_first_six_and_last_four_digits():
    assert niks.mask(WOMAN) == "630403••••••0001"


def test_the_keyed_hash_finds_a_nik_without_decrypting_and_reveals_nothing_of_it(db):
    person = make_person(nik=MAN, sex=Sex.MALE)

    assert services.find_by_nik(person.nik) == person
    assert person.nik not in person.nik_hash
    assert niks.nik_hash(person.nik) != niks.nik_hash(WOMAN)


# --- Rotating the keys ---------------------------------------------------------------------------------


@pytest.fixture
def fresh_nik_field():
    """The NIK field reads its keys once: let it read them again under the test's settings."""
    field = Person._meta.get_field("nik")

    def reset():
        for cached in ("f", "keys"):
            field.__dict__.pop(cached, None)

    reset()
    yield reset
    reset()


def stored_tokens():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, nik FROM trainings_person WHERE nik IS NOT NULL ORDER BY id")
        return dict(cursor.fetchall())


def test_rotating_re_encrypts_every_nik_with_the_first_key_and_recomputes_the_hashes(
    db, settings, fresh_nik_field, capsys
):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.NIK_ENCRYPTION_KEYS = [old_key]
    people = [make_person() for _ in range(5)]
    make_person(nik=False)
    niks_before = {person.pk: person.nik for person in people}
    before = stored_tokens()

    settings.NIK_ENCRYPTION_KEYS = [new_key, old_key]
    settings.NIK_HASH_KEY = "a-new-hash-key-for-the-test"
    fresh_nik_field()
    call_command("rotate_nik_keys", "--batch-size", "2")

    after = stored_tokens()
    assert set(after) == set(before) == set(niks_before)
    new_only, old_only = Fernet(new_key.encode()), Fernet(old_key.encode())
    for pk, token in after.items():
        assert token != before[pk]
        assert new_only.decrypt(token.encode()).decode() == niks_before[pk]
        with pytest.raises(InvalidToken):  # the old key no longer opens it
            old_only.decrypt(token.encode())
    # Without the old key, every NIK still reads and is found by its new hash.
    settings.NIK_ENCRYPTION_KEYS = [new_key]
    fresh_nik_field()
    for pk, nik in niks_before.items():
        person = Person.objects.get(pk=pk)
        assert person.nik == nik
        assert person.nik_hash == niks.nik_hash(nik)
        assert services.find_by_nik(nik) == person
    out = capsys.readouterr().out
    assert "5 NIK dienkripsi ulang" in out
    assert all(nik not in out for nik in niks_before.values())


def test_rotating_records_no_history_event(db, settings, fresh_nik_field):
    settings.NIK_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    person = make_person()
    events = pghistory.models.Events.objects.count()
    settings.NIK_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.NIK_ENCRYPTION_KEYS]
    fresh_nik_field()

    call_command("rotate_nik_keys")

    assert pghistory.models.Events.objects.count() == events
    assert Person.objects.get(pk=person.pk).nik == person.nik


def test_a_nik_no_key_opens_stops_the_rotation_and_changes_nothing(db, settings, fresh_nik_field):
    settings.NIK_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    make_person()
    before = stored_tokens()
    settings.NIK_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the old key is lost
    fresh_nik_field()

    with pytest.raises(CommandError, match="tidak dapat dibuka dengan kunci mana pun"):
        call_command("rotate_nik_keys")

    assert stored_tokens() == before
