"""Access cases of agreement documents, downloads and commitments (merged into the URL walker).

Samples: a Barito Kuala (63.04) agreement and an Aceh Selatan (11.01) one, each with a signed
PDF (one version, a real file), a commitment and an evidence file. Reading follows the agreement's
regions (another regency: 404, downloads included); every write loads its record through the write
rule (403 for a role that only reads, before any lookup; 404 outside the editor's regions).
"""

from tests.access import (
    ACEH_SELATAN,
    ACEH_SELATAN_EDIT,
    BARITO_KUALA,
    BARITO_KUALA_EDIT,
    EVERYONE_IN,
    REFUSED_FORM,
    Case,
    in_both_regencies,
)
from tests.agreements.factories_documents import (
    days_from_today,
    document_with_version,
    evidence_with_file,
    make_agreement,
    make_commitment,
)


def _pair(sample, expect_bk, expect_as, **case):
    return in_both_regencies(sample, expect_bk, expect_as, prefixes=("doc_barito_kuala", "doc_aceh_selatan"), **case)


CASES = {
    "agreements:document_create": [
        *_pair("agreement", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        Case(
            kwargs={"pk": "doc_barito_kuala_agreement"}, method="post", data={"kind": "lampiran"}, expect=REFUSED_FORM
        ),
    ],
    "agreements:document_detail": _pair("document", BARITO_KUALA, ACEH_SELATAN),
    "agreements:document_replace": [
        *_pair("document", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair("document", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post"),
    ],
    "agreements:document_download": _pair("version", BARITO_KUALA, ACEH_SELATAN),
    "agreements:evidence_download": _pair("evidence", BARITO_KUALA, ACEH_SELATAN),
    "agreements:commitment_list": [Case(expect=EVERYONE_IN), Case(data={"status": "terlambat"}, expect=EVERYONE_IN)],
    "agreements:commitment_create": [
        *_pair("agreement", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        Case(kwargs={"pk": "doc_barito_kuala_agreement"}, method="post", data={}, expect=REFUSED_FORM),
    ],
    "agreements:commitment_detail": _pair("commitment", BARITO_KUALA, ACEH_SELATAN),
    "agreements:commitment_update": [
        *_pair("commitment", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair("commitment", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={}),
    ],
    # Status and evidence are steps posted from the commitment's page; an empty post is refused there.
    "agreements:commitment_status": _pair("commitment", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post"),
    "agreements:commitment_evidence_add": _pair("commitment", REFUSED_FORM, ACEH_SELATAN_EDIT, method="post"),
}


def make_samples():
    """An agreement with a signed PDF, a commitment and an evidence file in Barito Kuala and in Aceh Selatan."""
    samples = {}
    for prefix, regency in (("doc_barito_kuala", "63.04"), ("doc_aceh_selatan", "11.01")):
        agreement = make_agreement(regency)
        document, version = document_with_version(agreement, sample_name=f"{prefix}.pdf")
        commitment = make_commitment(agreement, due_date=days_from_today(-10))
        evidence = evidence_with_file(commitment, sample_name=f"{prefix}.png")
        samples.update(
            {
                f"{prefix}_agreement": agreement,
                f"{prefix}_document": document,
                f"{prefix}_version": version,
                f"{prefix}_commitment": commitment,
                f"{prefix}_evidence": evidence,
            }
        )
    return samples
