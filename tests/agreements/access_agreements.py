"""Access cases of the agreement pages (merged into the URL walker).

Samples: a draft MoU covering Barito Kuala (63.04), one covering Aceh Selatan
(11.01) and one covering both. Reading follows the agreement's regions (another
regency: 404, the PDF summary included); the form and every lifecycle step load
the agreement through the write rule: 403 for a role that only reads (before any
lookup), 404 for a record the editor cannot see, 403 for the BLM on the agreement
that also covers Aceh Selatan (Admin's to change). The posts here are refused
(missing data, or a step the lifecycle does not allow), so they change nothing.
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
from tests.agreements.factories import AgreementFactory


def _pair(expect_bk, expect_as, **case):
    return in_both_regencies("agreement", expect_bk, expect_as, **case)


def _spanning(expect, **case):
    """The agreement covering Barito Kuala and Aceh Selatan: the BLM reads it, only Admin changes it."""
    return [Case(kwargs={"pk": "two_regency_agreement"}, expect=expect, **case)]


CASES = {
    # The agreement picker's search: every signed-in user, each finding only what they may see
    # (tests/agreements/test_search_picker.py).
    "agreements:agreement_search": [Case(expect=EVERYONE_IN), Case(data={"q": "MoU"}, expect=EVERYONE_IN)],
    "agreements:agreement_list": [
        Case(expect=EVERYONE_IN),
        Case(data={"q": "Barito", "kind": "mou", "expiring": "on"}, expect=EVERYONE_IN),
        Case(data={"_export": "xlsx"}, expect=EVERYONE_IN),
    ],
    "agreements:agreement_create": [
        Case(expect=EDITORS_ONLY),
        Case(method="post", data={"number": ""}, expect=REFUSED_FORM),
    ],
    "agreements:agreement_detail": [*_pair(BARITO_KUALA, ACEH_SELATAN), *_spanning(EVERYONE_IN)],
    "agreements:agreement_pdf": _pair(BARITO_KUALA, ACEH_SELATAN),
    "agreements:agreement_update": [
        *_pair(BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_spanning(ADMIN_ONLY),
        Case(kwargs={"pk": "barito_kuala_agreement"}, method="post", data={"title": ""}, expect=REFUSED_FORM),
        # Admin's form shows the refusal again; everyone else is refused before it (403).
        *_spanning(ADMIN_ONLY, method="post", data={"title": ""}),
    ],
    "agreements:agreement_sign": [
        *_pair(BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_spanning(ADMIN_ONLY),
        *_pair(REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={}),
    ],
    # A draft cannot be terminated, renewed or amended: refused with the lifecycle's message.
    "agreements:agreement_terminate": [
        *_pair(BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair(
            REFUSED_FORM,
            ACEH_SELATAN_EDIT,
            method="post",
            data={"terminated_on": "2026-01-05", "reason": "Tidak dilanjutkan."},
        ),
    ],
    "agreements:agreement_renew": [
        *_pair(BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair(REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={"number": "NK.99/2026", "title": "Perpanjangan"}),
    ],
    "agreements:agreement_addendum": [
        *_pair(BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        *_pair(REFUSED_FORM, ACEH_SELATAN_EDIT, method="post", data={"number": "AD.01/2026", "title": "Adendum I"}),
    ],
}


def make_samples():
    """Draft MoUs covering Barito Kuala, Aceh Selatan, and both; each with two parties and signatories."""
    return {
        "two_regency_agreement": AgreementFactory(
            number="NK.03/SJ/V/2021",
            title="Pembangunan Desa Percontohan di Barito Kuala dan Aceh Selatan",
            regencies=["63.04", "11.01"],
        ),
        "barito_kuala_agreement": AgreementFactory(
            number="NK.01/SJ/III/2020", title="Pembangunan Desa Percontohan di Kabupaten Barito Kuala"
        ),
        "aceh_selatan_agreement": AgreementFactory(
            number="NK.02/SJ/IV/2021",
            title="Pembangunan Desa Percontohan di Kabupaten Aceh Selatan",
            regencies=["11.01"],
        ),
    }
