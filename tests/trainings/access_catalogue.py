"""Access cases of the training catalogue (programmes, trainers), batches and sessions (merged into the
URL walker).

Samples: a batch of BLM Banjarmasin held in Barito Kuala (63.04) and one of BLM Aceh held in Aceh
Selatan (11.01), each with a session, its programme and a trainer of its BLM. The catalogue is read by
everyone and changed by the staff of the BLM keeping it (BLM Aceh's: Admin only for the test BLM staff);
a batch and its sessions are read and changed in the regions of the batch.
"""

from tests.access import (
    ACEH_SELATAN,
    ACEH_SELATAN_EDIT,
    ADMIN_ONLY,
    BARITO_KUALA,
    BARITO_KUALA_EDIT,
    EDITORS_ONLY,
    EVERYONE_IN,
    REFUSED_FORM,
    Case,
    in_both_regencies,
)
from tests.trainings.factories import blm_aceh, blm_banjarmasin, make_batch, make_trainer

PREFIXES = ("catalogue_barito_kuala", "catalogue_aceh_selatan")


def _pair(sample, expect_bk, expect_as, **case):
    return in_both_regencies(sample, expect_bk, expect_as, prefixes=PREFIXES, **case)


def _catalogue(sample):
    """A catalogue record: everyone reads both; BLM Banjarmasin's is changed by its staff, BLM Aceh's by Admin."""
    return {
        "detail": _pair(sample, EVERYONE_IN, EVERYONE_IN),
        "update": [
            *_pair(sample, EDITORS_ONLY, ADMIN_ONLY),
            *_pair(sample, REFUSED_FORM, ADMIN_ONLY, method="post", data={}),
        ],
    }


PROGRAMME, TRAINER = _catalogue("programme"), _catalogue("trainer")

CASES = {
    "trainings:programme_list": [
        Case(expect=EVERYONE_IN),
        Case(data={"q": "BUMDes", "field": "bumdes", "active": "ya"}, expect=EVERYONE_IN),
    ],
    "trainings:programme_create": [Case(expect=EDITORS_ONLY), Case(method="post", expect=REFUSED_FORM)],
    "trainings:programme_detail": PROGRAMME["detail"],
    "trainings:programme_update": PROGRAMME["update"],
    "trainings:trainer_list": [Case(expect=EVERYONE_IN), Case(data={"q": "Pelatih"}, expect=EVERYONE_IN)],
    "trainings:trainer_create": [Case(expect=EDITORS_ONLY), Case(method="post", expect=REFUSED_FORM)],
    "trainings:trainer_detail": TRAINER["detail"],
    "trainings:trainer_update": TRAINER["update"],
    "trainings:batch_list": [
        Case(expect=EVERYONE_IN),
        Case(data={"status": "direncanakan", "year": "2024", "regency": "63.04"}, expect=EVERYONE_IN),
    ],
    "trainings:batch_create": [Case(expect=EDITORS_ONLY), Case(method="post", expect=REFUSED_FORM)],
    "trainings:batch_detail": _pair("batch", BARITO_KUALA, ACEH_SELATAN),
    "trainings:batch_update": [
        *_pair("batch", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair("batch", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={}),
    ],
    # A lifecycle step posted from the batch's page; without a version it is refused there (stale).
    "trainings:batch_status": _pair(
        "batch", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={"status": "pendaftaran"}
    ),
    "trainings:session_create": [
        *_pair("batch", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair("batch", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={}),
    ],
    "trainings:session_update": [
        *_pair("session", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair("session", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={}),
    ],
    "trainings:session_delete": [
        *_pair("session", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        # Without the version it was read at, the deletion is refused (stale) and the page shown again.
        *_pair("session", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={}),
    ],
}


def make_samples():
    samples = {}
    for prefix, venue, blm in ((PREFIXES[0], "63.04", blm_banjarmasin), (PREFIXES[1], "11.01", blm_aceh)):
        batch = make_batch(venue=venue, sessions=1)
        samples.update(
            {
                f"{prefix}_batch": batch,
                f"{prefix}_session": batch.sessions.get(),
                f"{prefix}_programme": batch.programme,
                f"{prefix}_trainer": make_trainer(blm=blm()),
            }
        )
    return samples
