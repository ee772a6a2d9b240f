"""Access cases of the organisation pages (merged into the URL walker).

Samples: a Dinas of Barito Kuala (63.04) and one of Aceh Selatan (11.01), a
national unit of the ministry (Biro Humas: no province, no regency) and the
provincial government of Kalimantan Selatan (63, no regency). Everyone reads the
national one, and the provincial one within its province; only Admin changes
either — the BLM sees them but gets 403, its POST changes nothing. A BLM that
moves its own Dinas to Aceh Selatan, or makes it a national body, sees its form
again with the reason, and nothing is saved; Admin may do both.
"""

from partners.models import OrganisationKind
from regions.models import Province, Regency
from tests.access import (
    ACEH_SELATAN,
    ACEH_SELATAN_EDIT,
    ADMIN_ONLY,
    BARITO_KUALA,
    EDITORS_ONLY,
    EVERYONE_IN,
    REDIRECT,
    REFUSED_FORM,
    Case,
    in_both_regencies,
)
from tests.factories import OrganisationFactory

# Admin saves (and is sent to the record's page); the BLM's form is shown again with the reason.
ADMIN_SAVES_BLM_REFUSED = {**REFUSED_FORM, "admin_user": REDIRECT}
# Admin saves; everyone else is refused before the form (403).
ADMIN_SAVES = {**ADMIN_ONLY, "admin_user": REDIRECT}


def posted(name, kind, province="", regency="", **fields):
    """The organisation form as a browser posts it (every sample is at its first version)."""
    return {"name": name, "kind": kind, "province": province, "regency": regency, "version": "1", **fields}


BARITO_KUALA_DINAS = "Dinas PMD Barito Kuala"

CASES = {
    "partners:organisation_list": [Case(expect=EVERYONE_IN)],
    # The organisation picker's search: every signed-in user, each finding only what they may see
    # (tests/partners/test_search.py).
    "partners:organisation_search": [Case(expect=EVERYONE_IN), Case(data={"q": "Dinas PMD"}, expect=EVERYONE_IN)],
    "partners:organisation_create": [
        Case(expect=EDITORS_ONLY),
        # A national body: Admin records it; a BLM's form says national bodies are Admin's.
        Case(method="post", data=posted("Biro Perencanaan", "unit_kementerian"), expect=ADMIN_SAVES_BLM_REFUSED),
        # A Dinas of Aceh Selatan: outside the BLM's working area.
        Case(method="post", data=posted("Dinas Aceh", "dinas", "11", "11.01"), expect=ADMIN_SAVES_BLM_REFUSED),
    ],
    "partners:organisation_detail": [
        *in_both_regencies("organisation", BARITO_KUALA, ACEH_SELATAN),
        Case(kwargs={"pk": "national_organisation"}, expect=EVERYONE_IN),
        Case(kwargs={"pk": "provincial_organisation"}, expect=BARITO_KUALA),
    ],
    "partners:organisation_update": [
        *in_both_regencies("organisation", EDITORS_ONLY, ACEH_SELATAN_EDIT),
        Case(kwargs={"pk": "national_organisation"}, expect=ADMIN_ONLY),
        Case(kwargs={"pk": "provincial_organisation"}, expect=ADMIN_ONLY),
        Case(
            kwargs={"pk": "national_organisation"},
            method="post",
            data=posted("Biro Humas", "unit_kementerian", address="Jalan TMP Kalibata 17"),
            expect=ADMIN_SAVES,
        ),
        Case(
            kwargs={"pk": "provincial_organisation"},
            method="post",
            data=posted("Pemerintah Provinsi Kalimantan Selatan", "pemprov", "63"),
            expect=ADMIN_SAVES,
        ),
        # Unchanged but for the address: saved by both editors.
        Case(
            kwargs={"pk": "barito_kuala_organisation"},
            method="post",
            data=posted(BARITO_KUALA_DINAS, "dinas", "63", "63.04", address="Jalan Jenderal Sudirman 1"),
            expect={**EDITORS_ONLY, "admin_user": REDIRECT, "blm_user": REDIRECT},
        ),
        # Moved out of the BLM's working area, or made a national body: refused to the BLM, nothing changes.
        Case(
            kwargs={"pk": "barito_kuala_organisation"},
            method="post",
            data=posted(BARITO_KUALA_DINAS, "dinas", "11", "11.01"),
            expect=ADMIN_SAVES_BLM_REFUSED,
        ),
        Case(
            kwargs={"pk": "barito_kuala_organisation"},
            method="post",
            data=posted(BARITO_KUALA_DINAS, "unit_kementerian", "63", "63.04"),
            expect=ADMIN_SAVES_BLM_REFUSED,
        ),
        Case(
            kwargs={"pk": "barito_kuala_organisation"},
            method="post",
            data=posted(BARITO_KUALA_DINAS, "dinas"),
            expect=ADMIN_SAVES_BLM_REFUSED,
        ),
    ],
}


def make_samples():
    """A Dinas in Barito Kuala and in Aceh Selatan, a national bureau and a provincial government."""
    return {
        "barito_kuala_organisation": OrganisationFactory(name=BARITO_KUALA_DINAS),
        "aceh_selatan_organisation": OrganisationFactory(
            name="Dinas PMD Aceh Selatan", regency=Regency.objects.get(code="11.01")
        ),
        "national_organisation": OrganisationFactory(
            name="Biro Humas", kind=OrganisationKind.MINISTRY_UNIT, regency=None, province=None
        ),
        "provincial_organisation": OrganisationFactory(
            name="Pemerintah Provinsi Kalimantan Selatan",
            kind=OrganisationKind.PROVINCE_GOV,
            regency=None,
            province=Province.objects.get(code="63"),
        ),
    }
