"""Access cases of the agreement pages (merged into the URL walker).

Samples: a draft MoU covering Barito Kuala (63.04) and one covering Aceh Selatan
(11.01). Reading follows the agreement's regions (another regency: 404, the PDF
summary included); the form and every lifecycle step are for editors (403 for
the others, before any lookup). The posts here are refused (missing data, or a
step the lifecycle does not allow), so they change nothing.
"""

from tests.access import (
    ACEH_SELATAN,
    ACEH_SELATAN_EDIT,
    BARITO_KUALA,
    BARITO_KUALA_EDIT,
    EDITORS_ONLY,
    EVERYONE_IN,
    Case,
)
from tests.agreements.factories import AgreementFactory

# Found, but the form or the lifecycle refuses the data: editors see the page again; nothing changes.
REFUSED_FORM = EDITORS_ONLY


def _pair(expect_bk, expect_as, **case):
    return [
        Case(kwargs={"pk": "barito_kuala_agreement"}, expect=expect_bk, **case),
        Case(kwargs={"pk": "aceh_selatan_agreement"}, expect=expect_as, **case),
    ]


CASES = {
    "agreements:agreement_list": [
        Case(expect=EVERYONE_IN),
        Case(data={"q": "Barito", "kind": "mou", "expiring": "on"}, expect=EVERYONE_IN),
        Case(data={"_export": "xlsx"}, expect=EVERYONE_IN),
    ],
    "agreements:agreement_create": [
        Case(expect=EDITORS_ONLY),
        Case(method="post", data={"number": ""}, expect=REFUSED_FORM),
    ],
    "agreements:agreement_detail": _pair(BARITO_KUALA, ACEH_SELATAN),
    "agreements:agreement_pdf": _pair(BARITO_KUALA, ACEH_SELATAN),
    "agreements:agreement_update": [
        *_pair(BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        Case(kwargs={"pk": "barito_kuala_agreement"}, method="post", data={"title": ""}, expect=REFUSED_FORM),
    ],
    "agreements:agreement_sign": [
        *_pair(BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
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
    """A draft MoU covering Barito Kuala and one covering Aceh Selatan, each with two parties and signatories."""
    return {
        "barito_kuala_agreement": AgreementFactory(
            number="NK.01/SJ/III/2020", title="Pembangunan Desa Percontohan di Kabupaten Barito Kuala"
        ),
        "aceh_selatan_agreement": AgreementFactory(
            number="NK.02/SJ/IV/2021",
            title="Pembangunan Desa Percontohan di Kabupaten Aceh Selatan",
            regencies=["11.01"],
        ),
    }
