"""Access cases of the village page, the village list (and its export) and the map of pilot villages."""

from tests.access import ACEH_SELATAN, BARITO_KUALA, EVERYONE_IN, REDIRECT, Case
from tests.factories import OrganisationFactory
from tests.villages.factories_village import geo, idm_score, pilot, square
from villages.models import PilotStatus

# The list and the map answer everyone with a page of what their scope holds;
# another regency's villages are simply not in it (tests/villages/test_village_views.py).
CASES = {
    "villages:village": [
        Case(kwargs={"code": "63.04.17.2003"}, expect=BARITO_KUALA),  # a pilot village with a score and a map
        Case(kwargs={"code": "63.04.03.2001"}, expect=BARITO_KUALA),
        Case(kwargs={"code": "11.01.01.2001"}, expect=ACEH_SELATAN),
        Case(kwargs={"code": "99.99.99.9999"}, expect={user: 404 for user in EVERYONE_IN}),
    ],
    "villages:village_list": [
        Case(expect=EVERYONE_IN),
        # All 83,762 villages (Admin, Kementerian) are too many for a request: they are exported in the background.
        Case(data={"_export": "xlsx"}, expect={**EVERYONE_IN, "admin_user": REDIRECT, "ministry_user": REDIRECT}),
        Case(data={"province": "63", "year": "1999", "sort": "-index_value"}, expect=EVERYONE_IN),
    ],
    "villages:map": [Case(expect=EVERYONE_IN)],
    "villages:map_data": [Case(expect=EVERYONE_IN)],
    "villages:map_context": [Case(expect=EVERYONE_IN), Case(data={"kabupaten": "63.04"}, expect=EVERYONE_IN)],
}


def make_samples():
    """Desa Bahandang (Jejangkit): a designated pilot village with its IDM 2024 and location."""
    idm_score("63.04.17.2003", 2024, "0.7657", "0.6167", "0.8", value="0.7275", published="MAJU")
    blm = OrganisationFactory(name="BLM Banjarmasin (uji akses desa)", kind="blm")
    designation = pilot("63.04.17.2003", PilotStatus.DESIGNATED, blm=blm, period_start=2021)
    geo("63.04.17.2003", "-3.0310", "114.6530", boundary=square("114.6530", "-3.0310"))
    return {"bahandang_pilot": designation}
