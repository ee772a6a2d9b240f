"""Access cases of certificates (merged into the URL walker), the one public page included.

Samples: a closed batch in Barito Kuala (63.04) and one in Aceh Selatan (11.01), each with two participants
who completed it — one holding a certificate (with a fixed verification code), one still waiting for
theirs — and a finished issuing run. Reading follows the batch; issuing and revoking load their record
through the write rule (403 for a role that only reads, before any lookup; 404 outside the editor's
regions). The verification page answers everyone, logged in or not.
"""

from percontohan.background import TaskStatus
from tests.access import (
    ACEH_SELATAN,
    ACEH_SELATAN_EDIT,
    BARITO_KUALA,
    EVERYONE_IN,
    NOBODY,
    REDIRECT,
    REFUSED_FORM,
    USERS,
    Case,
    in_both_regencies,
)
from tests.trainings.factories_certificates import closed_batch
from trainings.certificates import certificate_issue
from trainings.models import Certificate, CertificateRun

CODES = {"cert_barito_kuala": "uji-akses-bk-0001", "cert_aceh_selatan": "uji-akses-as-0001"}

# Issuing or revoking succeeds for the editors who may change the batch: they are sent on (302).
DONE_BARITO_KUALA = {**{user: 403 for user in USERS}, "admin_user": REDIRECT, "blm_user": REDIRECT}
DONE_ACEH_SELATAN = {**DONE_BARITO_KUALA, "blm_user": 404}


def _pair(sample, expect_bk, expect_as, **case):
    return in_both_regencies(sample, expect_bk, expect_as, prefixes=tuple(CODES), **case)


CASES = {
    "trainings:batch_certificates": _pair("batch", BARITO_KUALA, ACEH_SELATAN),
    "trainings:certificates_issue": [
        *_pair("batch", DONE_BARITO_KUALA, DONE_ACEH_SELATAN, method="post"),
        Case(kwargs={"pk": "cert_barito_kuala_batch"}, expect={user: 405 for user in USERS}),
    ],
    "trainings:batch_certificates_pdf": _pair("batch", BARITO_KUALA, ACEH_SELATAN),
    "trainings:certificate_run": _pair("run", BARITO_KUALA, ACEH_SELATAN),
    "trainings:certificate_detail": _pair("certificate", BARITO_KUALA, ACEH_SELATAN),
    "trainings:certificate_pdf": _pair("certificate", BARITO_KUALA, ACEH_SELATAN),
    "trainings:certificate_revoke": [
        *_pair(
            "certificate",
            DONE_BARITO_KUALA,
            DONE_ACEH_SELATAN,
            method="post",
            data={"reason": "Uji akses", "version": 1},
        ),
        # No reason: the certificate's page again, with the error; nothing changes.
        *_pair("certificate", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={"reason": "", "version": 1}),
    ],
    # The one page without login: everyone, anonymous visitors included, sees it; an unknown code is a 404.
    "verify_certificate": [
        Case(kwargs={"code": CODES["cert_barito_kuala"]}, expect=EVERYONE_IN, anonymous=200),
        Case(kwargs={"code": CODES["cert_aceh_selatan"]}, expect=EVERYONE_IN, anonymous=200),
        Case(kwargs={"code": "tidak-ada"}, expect=NOBODY, anonymous=404),
    ],
}


def make_samples():
    """A closed batch with one certificate issued and one participant waiting, and a finished run, in
    Barito Kuala and in Aceh Selatan."""
    samples = {}
    for prefix, venue in (("cert_barito_kuala", "63.04"), ("cert_aceh_selatan", "11.01")):
        batch = closed_batch(venue=venue, passed=2)
        certificate = certificate_issue(enrolment=batch.enrolments.order_by("pk").first())
        Certificate.objects.filter(pk=certificate.pk).update(code=CODES[prefix])
        run = CertificateRun.objects.create(batch=batch, total_rows=1, processed_rows=1, status=TaskStatus.DONE)
        samples.update({f"{prefix}_batch": batch, f"{prefix}_certificate": certificate, f"{prefix}_run": run})
    return samples
