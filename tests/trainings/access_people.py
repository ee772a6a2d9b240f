"""Access cases of people, enrolments and the participant import (merged into the URL walker).

Samples: in Barito Kuala (63.04) and in Aceh Selatan (11.01), a person living there, a batch held
there with that person enrolled, and a finished participant import of the batch. A person is seen
through their village's regency, an enrolment and an import through their batch; every write loads
its record through the write rule (403 for a role that only reads, before any lookup; 404 outside the
editor's regions). Revealing a NIK is for Admin alone (403 for everyone else, before any lookup).
"""

import datetime

from tests.access import (
    ACEH_SELATAN,
    ACEH_SELATAN_EDIT,
    ADMIN_ONLY,
    BARITO_KUALA,
    BARITO_KUALA_EDIT,
    EDITORS_ONLY,
    EVERYONE_IN,
    EVERYONE_REDIRECTED,
    REFUSED_FORM,
    USERS,
    Case,
    in_both_regencies,
)
from tests.trainings.factories import ACEH_SELATAN_VILLAGE, BARITO_KUALA_VILLAGE, enrol, make_batch, make_person
from trainings.models import ParticipantImport
from trainings.nik import Sex, compose

PREFIXES = ("people_barito_kuala", "people_aceh_selatan")
# A structurally valid NIK that no sample holds (searching for it finds nobody).
UNKNOWN_NIK = compose("63.04.03", datetime.date(1985, 1, 2), Sex.MALE, 9876)


def _pair(sample, expect_bk, expect_as, **case):
    return in_both_regencies(sample, expect_bk, expect_as, prefixes=PREFIXES, **case)


CASES = {
    "trainings:person_list": [
        Case(expect=EVERYONE_IN),
        Case(
            data={"q": "Warga", "sex": "P", "regency": "63.04", "village": BARITO_KUALA_VILLAGE, "nik_status": "ada"},
            expect=EVERYONE_IN,
        ),
        # The exact NIK search is a POST answered with the list's hash address; a malformed NIK shows the list.
        Case(method="post", data={"nik": UNKNOWN_NIK}, expect=EVERYONE_REDIRECTED),
        Case(method="post", data={"nik": "123"}, expect=EVERYONE_IN),
    ],
    "trainings:person_create": [Case(expect=EDITORS_ONLY), Case(method="post", expect=REFUSED_FORM)],
    "trainings:person_detail": _pair("person", BARITO_KUALA, ACEH_SELATAN),
    "trainings:person_update": [
        *_pair("person", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair("person", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={}),
    ],
    "trainings:person_reveal": [
        *_pair("person", {user: 405 for user in USERS}, {user: 405 for user in USERS}),
        *_pair("person", ADMIN_ONLY, ADMIN_ONLY, method="post", data={"reason": "Pemeriksaan data peserta"}),
        # Without a reason the Admin gets the person's page back, and nothing is revealed.
        *_pair("person", ADMIN_ONLY, ADMIN_ONLY, method="post", data={}),
    ],
    "trainings:batch_participants": [
        *_pair("batch", BARITO_KUALA, ACEH_SELATAN),
        *_pair("batch", BARITO_KUALA, ACEH_SELATAN, data={"q": "Warga", "status": "terdaftar"}),
    ],
    "trainings:batch_enrol": [
        *_pair("batch", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair("batch", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={}),
        *_pair("batch", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={"action": "find", "find": "Warga"}),
    ],
    "trainings:enrolment_status": [
        *_pair("enrolment", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair("enrolment", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={}),
    ],
    "trainings:participant_import": [
        *_pair("batch", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair("batch", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={}),
    ],
    "trainings:participant_import_detail": _pair("import", BARITO_KUALA, ACEH_SELATAN),
    "trainings:participant_template": [Case(expect=EVERYONE_IN)],
}


def make_samples():
    samples = {}
    for prefix, venue, village in (
        (PREFIXES[0], "63.04", BARITO_KUALA_VILLAGE),
        (PREFIXES[1], "11.01", ACEH_SELATAN_VILLAGE),
    ):
        person = make_person(full_name=f"Warga {prefix}", village_code=village)
        batch = make_batch(venue=venue)
        enrolment = enrol(batch, person)
        record = ParticipantImport.objects.create(
            batch=batch, original_name=f"{prefix}.csv", status="selesai", enrolled_count=1, created_count=1
        )
        samples.update(
            {
                f"{prefix}_person": person,
                f"{prefix}_batch": batch,
                f"{prefix}_enrolment": enrolment,
                f"{prefix}_import": record,
            }
        )
    return samples
