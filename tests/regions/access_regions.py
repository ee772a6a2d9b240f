"""Access cases of the region pages' JSON searches — the village picker's and the region pickers' — (merged
into the URL walker).

Every signed-in user may search, whatever the role; what each finds stays inside their regions, an
official of another region finding nothing of Barito Kuala (tests/regions/test_search.py). Anonymous
visitors are sent to the login page; a level that is not searched finds no page.
"""

from tests.access import EVERYONE_IN, NOBODY, Case

CASES = {
    "regions:village_search": [
        Case(expect=EVERYONE_IN),
        Case(data={"q": "Andaman"}, expect=EVERYONE_IN),
        Case(data={"q": "63.04.03", "kabupaten": "63.04"}, expect=EVERYONE_IN),
        Case(data={"q": "1101", "kabupaten": "11.01"}, expect=EVERYONE_IN),
    ],
    "regions:region_search": [
        Case(kwargs={"level": "provinsi"}, expect=EVERYONE_IN),
        Case(kwargs={"level": "provinsi"}, data={"q": "Kalimantan"}, expect=EVERYONE_IN),
        Case(kwargs={"level": "kabupaten"}, data={"q": "Barito", "provinsi": "63"}, expect=EVERYONE_IN),
        Case(kwargs={"level": "kabupaten"}, data={"q": "11.01"}, expect=EVERYONE_IN),
        Case(
            kwargs={"level": "kecamatan"},
            data={"q": "Jejangkit", "provinsi": "63", "kabupaten": "63.04"},
            expect=EVERYONE_IN,
        ),
        Case(kwargs={"level": "kecamatan"}, data={"kabupaten": "11.01"}, expect=EVERYONE_IN),
        Case(kwargs={"level": "provinsi-kabupaten"}, data={"q": "Barito"}, expect=EVERYONE_IN),
        Case(kwargs={"level": "desa"}, data={"q": "Andaman"}, expect=NOBODY),
    ],
}


def make_samples():
    return {}
