"""Access cases of the programme area, pilot village and site selection pages (merged into the URL walker).

Samples: a Barito Kuala (63.04) area, membership, pilot village and selection
round, and the same in Aceh Selatan (11.01). Forms load their record through the
write rule (403 for a role that only reads, before any lookup; a record outside
the user's regions is a 404); a membership is only found through its own area.
"""

from tests.access import (
    ACEH_SELATAN,
    ACEH_SELATAN_EDIT,
    BARITO_KUALA,
    BARITO_KUALA_EDIT,
    DECIDED_ROUND,
    EDITORS_ONLY,
    EVERYONE_IN,
    REFUSED_FORM,
    Case,
    in_both_regencies,
)
from tests.villages.factories import (
    ANDAMAN,
    HILIR_MESJID,
    KEUDE_BAKONGAN,
    AreaMembershipFactory,
    PilotVillageFactory,
    ProgrammeAreaFactory,
    SelectionCandidateFactory,
    aceh_blm,
    regency,
    round_with_criteria,
    village,
)
from villages.models.selection import RoundStatus

NOT_FOUND_FOR_EDITORS = {**EDITORS_ONLY, "admin_user": 404, "blm_user": 404}


def _pair(url_kwarg, sample, expect_bk, expect_as):
    return in_both_regencies(sample, expect_bk, expect_as, url_kwarg=url_kwarg)


def _refused_post(sample, data=None, **kwargs):
    """A post of the Barito Kuala sample's form that the form refuses: shown again, nothing changes."""
    return Case(kwargs={"pk": f"barito_kuala_{sample}", **kwargs}, method="post", data=data or {}, expect=REFUSED_FORM)


CASES = {
    "villages:area_list": [Case(expect=EVERYONE_IN)],
    "villages:area_create": [
        Case(expect=EDITORS_ONLY),
        Case(method="post", data={"name": ""}, expect=REFUSED_FORM),
    ],
    "villages:area_detail": _pair("pk", "area", BARITO_KUALA, ACEH_SELATAN),
    "villages:area_update": [
        *_pair("pk", "area", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        _refused_post("area", {"name": "", "version": "1"}),
    ],
    "villages:area_member_add": [
        *_pair("pk", "area", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        Case(kwargs={"pk": "barito_kuala_area"}, method="post", data={"village": "11.01.01.2001"}, expect=REFUSED_FORM),
    ],
    "villages:area_member_end": [
        Case(kwargs={"pk": "barito_kuala_area", "membership_pk": "barito_kuala_membership"}, expect=BARITO_KUALA_EDIT),
        Case(kwargs={"pk": "aceh_selatan_area", "membership_pk": "aceh_selatan_membership"}, expect=ACEH_SELATAN_EDIT),
        # A membership is looked up through its own area only.
        Case(
            kwargs={"pk": "barito_kuala_area", "membership_pk": "aceh_selatan_membership"},
            expect=NOT_FOUND_FOR_EDITORS,
        ),
        # No end date: refused.
        _refused_post("area", membership_pk="barito_kuala_membership"),
    ],
    "villages:pilot_list": [Case(expect=EVERYONE_IN)],
    "villages:pilot_create": [
        Case(expect=EDITORS_ONLY),
        Case(method="post", data={"regency": "63.04"}, expect=REFUSED_FORM),
    ],
    "villages:pilot_transition": [
        *_pair("pk", "pilot", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        # Candidate → designated skips a step: refused, the page shows why.
        Case(
            kwargs={"pk": "barito_kuala_pilot"},
            method="post",
            data={"to_status": "ditetapkan", "reason": "Langsung ditetapkan."},
            expect=REFUSED_FORM,
        ),
        Case(
            kwargs={"pk": "aceh_selatan_pilot"},
            method="post",
            data={"to_status": "lulus", "reason": "Langsung lulus."},
            expect=ACEH_SELATAN_EDIT,
        ),
    ],
    "villages:round_list": [Case(expect=EVERYONE_IN)],
    "villages:round_create": [
        Case(expect=EDITORS_ONLY),
        Case(method="post", data={"title": ""}, expect=REFUSED_FORM),
    ],
    "villages:round_detail": _pair("pk", "round", BARITO_KUALA, ACEH_SELATAN),
    "villages:round_update": [
        *_pair("pk", "round", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        _refused_post("round", {"title": "", "version": "1"}),
    ],
    "villages:round_criteria": [
        *_pair("pk", "round", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        # No formset management data: refused.
        _refused_post("round"),
    ],
    # (each form of a decided round: see the loop below the dict)
    "villages:round_candidates": [
        *_pair("pk", "round", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        Case(
            kwargs={"pk": "barito_kuala_round"},
            method="post",
            data={"villages": ["11.01.01.2001"]},
            expect=REFUSED_FORM,
        ),
    ],
    "villages:round_scores": [
        *_pair("pk", "round", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        # No stakeholder chosen: the page asks for one.
        _refused_post("round"),
    ],
    "villages:round_decide": [
        *_pair("pk", "round", BARITO_KUALA_EDIT, ACEH_SELATAN_EDIT),
        # No candidate chosen, no rationale: refused, the round stays open.
        Case(kwargs={"pk": "barito_kuala_round"}, method="post", data={}, expect=REFUSED_FORM),
        Case(kwargs={"pk": "aceh_selatan_round"}, method="post", data={}, expect=ACEH_SELATAN_EDIT),
    ],
}

for _name in ("round_update", "round_criteria", "round_candidates", "round_scores", "round_decide"):
    CASES[f"villages:{_name}"].append(Case(kwargs={"pk": "decided_round"}, expect=DECIDED_ROUND))


def make_samples():
    """A Barito Kuala area, membership, pilot village and round, and an Aceh Selatan one of each."""
    barito_kuala_area = ProgrammeAreaFactory(name="Kawasan Perdesaan Anjir Pasar")
    aceh_selatan_area = ProgrammeAreaFactory(name="Kawasan Perdesaan Bakongan", regency=regency("11.01"))
    blm_aceh = aceh_blm()
    aceh_selatan_round = round_with_criteria(
        title="Seleksi lokasi Aceh Selatan", regency=regency("11.01"), responsible_blm=blm_aceh, villages=()
    )
    SelectionCandidateFactory(round=aceh_selatan_round, village=village(KEUDE_BAKONGAN))
    return {
        "barito_kuala_area": barito_kuala_area,
        "aceh_selatan_area": aceh_selatan_area,
        "barito_kuala_membership": AreaMembershipFactory(area=barito_kuala_area, village=village(ANDAMAN)),
        "aceh_selatan_membership": AreaMembershipFactory(area=aceh_selatan_area, village=village(KEUDE_BAKONGAN)),
        "barito_kuala_pilot": PilotVillageFactory(village=village(ANDAMAN), programme_area=barito_kuala_area),
        "aceh_selatan_pilot": PilotVillageFactory(village=village(KEUDE_BAKONGAN), responsible_blm=blm_aceh),
        "barito_kuala_round": round_with_criteria(
            title="Seleksi lokasi Anjir Pasar", programme_area=barito_kuala_area, villages=(ANDAMAN, HILIR_MESJID)
        ),
        "aceh_selatan_round": aceh_selatan_round,
        "decided_round": round_with_criteria(title="Seleksi lokasi yang sudah diputuskan", status=RoundStatus.DECIDED),
    }
