"""Access cases of the attendance and scores sheets, their cells and the reaction form (merged into the URL walker).

Samples: a running batch held in Barito Kuala (63.04) and one in Aceh Selatan (11.01), each with two
sessions and one participant; a closed Barito Kuala batch (its sheets are read-only) and a planned one
(no reactions yet). A sheet is read by whoever sees the batch. A cell is posted through the write rule:
403 for a role that only reads, 404 outside the editor's regions; an editor's post here carries a stale
version (or a closed batch, or a bad value), so it is answered with the cell and its message and changes
nothing — the walker checks that every refused or re-shown post leaves the data as it was.
"""

from tests.access import (
    ACEH_SELATAN,
    ACEH_SELATAN_EDIT,
    BARITO_KUALA,
    BARITO_KUALA_EDIT,
    DECIDED_ROUND,
    EDITORS_ONLY,
    REFUSED_FORM,
    USERS,
    Case,
    in_both_regencies,
)
from tests.trainings.factories import ACEH_SELATAN_VILLAGE, enrol, make_batch
from trainings.models import BatchStatus

PREFIXES = ("sheets_barito_kuala", "sheets_aceh_selatan")
NOT_ALLOWED = {user: 405 for user in USERS}
# A mark as the sheet sends it, but read at a version the cell never had: refused as stale.
STALE_MARK = {"mark": "hadir", "version": "7"}
STALE_SCORE = {"value": "80", "version": "0"}


def _pair(sample, expect_bk, expect_as, **case):
    return in_both_regencies(sample, expect_bk, expect_as, prefixes=PREFIXES, **case)


def _cell(prefix, expect, **case):
    return Case(kwargs={"pk": f"{prefix}_enrolment", "session": f"{prefix}_session"}, expect=expect, **case)


def _score(prefix, expect, field="post-test", **case):
    return Case(kwargs={"pk": f"{prefix}_enrolment", "field": field}, expect=expect, **case)


CASES = {
    "trainings:attendance_sheet": [
        *_pair("batch", BARITO_KUALA, ACEH_SELATAN),
        Case(kwargs={"pk": "sheets_closed_batch"}, expect=BARITO_KUALA),
    ],
    "trainings:attendance_cell": [
        _cell("sheets_barito_kuala", NOT_ALLOWED),
        _cell("sheets_barito_kuala", EDITORS_ONLY, method="post", data=STALE_MARK),
        _cell("sheets_aceh_selatan", ACEH_SELATAN_EDIT, method="post", data=STALE_MARK),
        _cell("sheets_barito_kuala", EDITORS_ONLY, method="post", data={"mark": "bolos", "version": "0"}),
        # A closed batch takes no marks: editors get the cell back with why.
        _cell("sheets_closed", EDITORS_ONLY, method="post", data={"mark": "hadir", "version": "0"}),
    ],
    "trainings:scores_sheet": [
        *_pair("batch", BARITO_KUALA, ACEH_SELATAN),
        Case(kwargs={"pk": "sheets_closed_batch"}, expect=BARITO_KUALA),
    ],
    "trainings:scores_cell": [
        _score("sheets_barito_kuala", NOT_ALLOWED),
        _score("sheets_barito_kuala", EDITORS_ONLY, method="post", data=STALE_SCORE),
        _score("sheets_aceh_selatan", ACEH_SELATAN_EDIT, method="post", data=STALE_SCORE),
        _score("sheets_barito_kuala", EDITORS_ONLY, field="praktik", method="post", data={"value": "101"}),
        _score("sheets_barito_kuala", EDITORS_ONLY, field="pre-test", method="post", data={"value": "abc"}),
        _score("sheets_closed", EDITORS_ONLY, method="post", data={"value": "80", "version": "1"}),
        # Not a score column.
        _score(
            "sheets_barito_kuala",
            {user: 404 for user in USERS},
            field="versi",
            method="post",
            data={"value": "1"},
        ),
    ],
    "trainings:reaction": [
        *_pair("enrolment", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair("enrolment", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={"content": "9"}),
        # A closed batch still takes reactions; a planned one sends editors back to the scores sheet.
        Case(kwargs={"pk": "sheets_closed_enrolment"}, expect=BARITO_KUALA_EDIT),
        Case(kwargs={"pk": "sheets_planned_enrolment"}, expect=DECIDED_ROUND),
        Case(kwargs={"pk": "sheets_planned_enrolment"}, expect=DECIDED_ROUND, method="post", data={"content": "5"}),
    ],
}


def make_samples():
    """Running batches in Barito Kuala and Aceh Selatan, a closed and a planned Barito Kuala batch."""
    samples = {}
    for prefix, venue, village_code in (
        ("sheets_barito_kuala", "63.04", "63.04.03.2003"),
        ("sheets_aceh_selatan", "11.01", ACEH_SELATAN_VILLAGE),
        ("sheets_closed", "63.04", "63.04.03.2003"),
        ("sheets_planned", "63.04", "63.04.03.2003"),
    ):
        status = BatchStatus.PLANNED if prefix == "sheets_planned" else BatchStatus.RUNNING
        batch = make_batch(venue=venue, sessions=2, status=status)
        enrolment = enrol(batch, village_code=village_code, full_name=f"Peserta {prefix}")
        if prefix == "sheets_closed":
            batch.status = BatchStatus.CLOSED
            batch.save()
        samples.update(
            {
                f"{prefix}_batch": batch,
                f"{prefix}_enrolment": enrolment,
                f"{prefix}_session": batch.sessions.order_by("date").first(),
            }
        )
    return samples
