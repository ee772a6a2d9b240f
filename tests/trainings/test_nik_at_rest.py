"""The NIK at rest and on its way: a dump of the database holds no NIK in clear (only the masked form); nor
do history events, exports, pages (but the Admin's reveal), SQL statements or log output."""

import json
import re
import subprocess

import pghistory.models
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from psycopg.conninfo import make_conninfo

from percontohan import embedded_db
from percontohan.imports import ImportFailed
from tests.factories import UserFactory
from tests.trainings.factories import BARITO_KUALA_VILLAGE, enrol, make_batch, make_person
from tests.trainings.test_participant_import import csv_bytes, nik_of, row
from trainings import nik as niks
from trainings import services
from trainings.imports import import_participants
from trainings.models import Person
from trainings.nik import Sex

SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def pg_dump():
    """The whole test database as SQL text, dumped with the PostgreSQL binaries the project uses
    (percontohan.embedded_db finds them) and the test database's own connection settings."""
    database = connection.settings_dict
    options = database.get("OPTIONS", {})
    params = {key: database.get(key.upper()) or options.get(key) for key in ("host", "port", "user", "password")}
    conninfo = make_conninfo(dbname=database["NAME"], **{key: value for key, value in params.items() if value})
    command = [str(embedded_db._bindir() / "pg_dump"), "--no-owner", "--dbname", conninfo]
    done = subprocess.run(command, capture_output=True, check=True)  # noqa: S603
    return done.stdout.decode("utf-8")


def people_every_way(user):
    """People registered by the service, by the web form's service with a reveal, and by an import."""
    batch = make_batch(quota=2)
    direct = [make_person(full_name=f"Warga {index}") for index in range(3)]
    enrol(batch, direct[0])
    import_participants(batch, csv_bytes(row(8101), row(8102), row(8103, sex="L")), user)
    imported = list(Person.objects.filter(full_name__startswith="Peserta"))
    return batch, [*direct, *imported]


def test_a_database_dump_holds_no_nik_in_clear_only_masked_ones(committed_regions):
    user = UserFactory(role="staf_blm", username="blm-dump", regencies=("62", "63"))
    _batch, people = people_every_way(user)
    niks_stored = {person.pk: person.nik for person in Person.objects.all()}
    assert len(niks_stored) == 6 and all(niks_stored.values())

    dump = pg_dump()

    assert "trainings_person" in dump  # the dump is the right database
    for person in people:
        assert person.nik not in dump
        assert person.nik_masked in dump
    sixteen_digit_strings = set(SIXTEEN_DIGITS.findall(dump))
    assert not sixteen_digit_strings & set(niks_stored.values())


def test_history_events_hold_the_masked_nik_only(db, blm_user):
    _batch, people = people_every_way(blm_user)
    changed = people[0]
    old_nik = changed.nik

    services.person_save(person=changed, nik=nik_of(8555))

    events = pghistory.models.Events.objects.filter(pgh_model="trainings.PersonEvent")
    stored = json.dumps([[event.pgh_data, event.pgh_diff] for event in events], ensure_ascii=False)
    for person in people:
        assert person.nik not in stored
    assert old_nik not in stored and nik_of(8555) not in stored
    assert niks.mask(nik_of(8555)) in stored


def test_no_page_or_export_shows_a_nik_but_the_admins_reveal(client, admin_user):
    batch, people = people_every_way(admin_user)
    person = people[0]
    client.force_login(admin_user)
    pages = [
        reverse("trainings:person_list"),
        f"{reverse('trainings:person_list')}?_export=csv",
        f"{reverse('trainings:person_list')}?_export=xlsx",
        person.get_absolute_url(),
        reverse("trainings:person_update", args=[person.pk]),
        reverse("trainings:batch_participants", args=[batch.pk]),
        f"{reverse('trainings:batch_participants', args=[batch.pk])}?_export=csv",
        reverse("trainings:batch_enrol", args=[batch.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.getvalue()
        for someone in people:
            assert someone.nik.encode() not in body, url

    reveal = client.post(reverse("trainings:person_reveal", args=[person.pk]), {"reason": "Pemeriksaan data"})

    assert person.nik in reveal.content.decode()
    assert person.nik not in reveal.cookies.output()
    assert all(person.nik not in value for value in client.cookies.values())


def test_no_sql_statement_and_no_log_line_carries_a_nik_while_people_are_registered_or_refused(
    client, blm_user, caplog
):
    batch = make_batch()
    good = nik_of(8201)
    disagreeing = nik_of(8202)  # a woman's NIK entered for a man
    repeated = nik_of(8203)
    client.force_login(blm_user)
    data = {
        "full_name": "Siti Aminah",
        "sex": Sex.FEMALE,
        "birth_date": "1990-08-05",
        "village": BARITO_KUALA_VILLAGE,
    }
    caplog.set_level("DEBUG")

    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("trainings:person_create"), {**data, "nik": good})
        client.post(reverse("trainings:person_create"), {**data, "nik": disagreeing, "sex": Sex.MALE})
        client.post(reverse("trainings:person_list"), {"nik": good})
        client.post(reverse("trainings:batch_enrol", args=[batch.pk]), {"action": "find", "find": good})
        with pytest.raises(ImportFailed):
            import_participants(batch, csv_bytes(row(8203), row(8204, nik=repeated), row(8205, sex="L")), blm_user)
        import_participants(batch, csv_bytes(row(8206), row(8207)), blm_user)

    assert Person.objects.filter(nik_hash=niks.nik_hash(good)).exists()
    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    logged = caplog.text
    for nik in (good, disagreeing, repeated, nik_of(8205, sex=Sex.MALE), nik_of(8206), nik_of(8207)):
        assert nik not in sql
        assert nik not in logged
