"""Access cases of the region pages' JSON village search (merged into the URL walker).

Every signed-in user may search; what each finds stays inside their regions
(tests/regions/test_search.py). Anonymous visitors are sent to the login page.
"""

from tests.access import EVERYONE_IN, Case

CASES = {
    "regions:village_search": [
        Case(expect=EVERYONE_IN),
        Case(data={"q": "Andaman"}, expect=EVERYONE_IN),
        Case(data={"q": "63.04.03", "kabupaten": "63.04"}, expect=EVERYONE_IN),
        Case(data={"q": "1101", "kabupaten": "11.01"}, expect=EVERYONE_IN),
    ],
}


def make_samples():
    return {}
