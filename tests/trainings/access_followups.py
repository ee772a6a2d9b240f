"""Access cases of follow-ups, their evidence and the results pages (merged into the URL walker).

Samples: a closed batch held in Barito Kuala (63.04) and one in Aceh Selatan (11.01, a BLM outside the
test BLM staff's working area), each with a participant living there, their planned follow-ups and an
evidence file. Reading follows the batch and the participant (another regency: 404, downloads
included); writing loads the follow-up through the write rule (403 for a role that only reads, before
any lookup; 404 outside the editor's regions); an upload refused changes nothing.
"""

from django.utils import timezone

from tests.access import (
    ACEH_SELATAN,
    ACEH_SELATAN_EDIT,
    BARITO_KUALA,
    BARITO_KUALA_EDIT,
    EVERYONE_IN,
    REDIRECT,
    REFUSED_FORM,
    Case,
    in_both_regencies,
)
from tests.agreements.factories_documents import HTML_BYTES, png_bytes, stored_sample
from tests.trainings.factories_followups import closed_batch
from trainings.models import FollowUpEvidence


class RepeatableUpload:
    """A file for a case's POST that can be sent again and again (the walker posts each case once per
    user; the test client reads a file object to its end)."""

    def __init__(self, name, content, content_type):
        self.name, self.content, self.content_type = name, content, content_type

    def read(self):
        return self.content

    def __str__(self):
        return self.name


def _pair(sample, expect_bk, expect_as, **case):
    return in_both_regencies(
        sample, expect_bk, expect_as, prefixes=("followup_barito_kuala", "followup_aceh_selatan"), **case
    )


def recorded(**changes):
    """A valid answer (the participant reached, applied it, income typed with thousands dots)."""
    return {
        "version": "1",
        "done_on": timezone.localdate().isoformat(),
        "method": "kunjungan",
        "reached": "on",
        "applied": "sebagian",
        "what_applied": "Pembukuan BUMDes",
        "income_before": "1.250.000",
        "income_after": "1.500.000",
        **changes,
    }


# Recording is allowed to editors of the region; the others are refused before anything changes.
RECORDED = {**BARITO_KUALA_EDIT, "admin_user": REDIRECT, "blm_user": REDIRECT}
RECORDED_ACEH = {**ACEH_SELATAN_EDIT, "admin_user": REDIRECT}
# A web page named as a photo: a real upload, refused by its content even to editors, so the walker
# stores no file whoever sends it (tests/trainings/test_followups.py stores real evidence).
DISGUISED_PAGE = RepeatableUpload("foto kebun.png", HTML_BYTES, "image/png")

CASES = {
    "trainings:followup_list": [
        Case(expect=EVERYONE_IN),
        Case(data={"state": "semua", "wave": "2"}, expect=EVERYONE_IN),
        Case(data={"state": "terlambat", "regency": "63.04"}, expect=EVERYONE_IN),
        Case(data={"_export": "csv"}, expect=EVERYONE_IN),
    ],
    "trainings:followup_detail": _pair("follow_up", BARITO_KUALA, ACEH_SELATAN),
    "trainings:followup_update": [
        *_pair("follow_up", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair("follow_up", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={"version": "1"}),
        *_pair("follow_up", RECORDED, RECORDED_ACEH, method="post", data=recorded()),
    ],
    # Evidence is posted from the follow-up's page: without a file the page shows the error.
    "trainings:followup_evidence_add": [
        *_pair("follow_up", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post"),
        *_pair("follow_up", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={"file": DISGUISED_PAGE}),
    ],
    "trainings:followup_evidence_download": _pair("evidence", BARITO_KUALA, ACEH_SELATAN),
    "trainings:batch_results": _pair("batch", BARITO_KUALA, ACEH_SELATAN),
    "trainings:batch_results_pdf": _pair("batch", BARITO_KUALA, ACEH_SELATAN),
    "trainings:results": [
        Case(expect=EVERYONE_IN),
        Case(data={"group": "regency"}, expect=EVERYONE_IN),
        Case(data={"group": "venue", "programme": "999999"}, expect=EVERYONE_IN),
    ],
}


def make_samples():
    """A closed batch with a participant, follow-ups and an evidence file in Barito Kuala and in Aceh Selatan."""
    samples = {}
    for prefix, venue in (("followup_barito_kuala", "63.04"), ("followup_aceh_selatan", "11.01")):
        batch = closed_batch(venue=venue, people=1, name=f"Angkatan {prefix}")
        follow_up = batch.enrolments.get().follow_ups.get(wave=1)
        evidence = FollowUpEvidence(
            follow_up=follow_up, original_name="foto.png", content_type="image/png", size=len(png_bytes()), sha256="0"
        )
        evidence.file.name = stored_sample("followups", f"{prefix}.png", png_bytes())
        evidence.save()
        samples.update({f"{prefix}_batch": batch, f"{prefix}_follow_up": follow_up, f"{prefix}_evidence": evidence})
    return samples
