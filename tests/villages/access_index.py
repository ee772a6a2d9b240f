"""Access cases of the development index pages (merged into the URL walker).

Imports are not regional records: an import is seen by admins and national
users and by the person who started it; anyone else gets 404. Samples: an
import started by the BLM test user (the `blm_user` fixture, "blm-test")
and one started from the command line (no user), seen only by admins and the
ministry. Uploading is for editors: the page is 403 for the others, before
anything is read; an empty POST shows the form's errors again and changes nothing.
"""

from percontohan.models import User
from tests.access import EDITORS_ONLY, EVERYONE_IN, USERS, Case
from villages.models import IndexImport, IndexScheme
from villages.models.index import ImportStatus

NATIONAL_ONLY = {user: 404 for user in USERS} | {"admin_user": 200, "ministry_user": 200}
STARTER_AND_NATIONAL = NATIONAL_ONLY | {"blm_user": 200}


def _pair():
    return [
        Case(kwargs={"pk": "blm_index_import"}, expect=STARTER_AND_NATIONAL),
        Case(kwargs={"pk": "command_line_index_import"}, expect=NATIONAL_ONLY),
    ]


CASES = {
    "villages:index_import": [
        Case(expect=EDITORS_ONLY),
        Case(method="post", data={}, expect=EDITORS_ONLY),
    ],
    "villages:index_import_detail": _pair(),
    "villages:index_import_unmatched": _pair(),
    "villages:index_schemes": [Case(expect=EVERYONE_IN)],
}


def make_samples():
    idm = IndexScheme.objects.get(code="idm")
    # The user of the `blm_user` fixture (the walker's samples fixture creates it first).
    blm = User.objects.get(username="blm-test")
    unmatched = [{"row": 2, "code": "92.01.01.2001", "name": "DESA LAMA"}]
    return {
        "blm_index_import": IndexImport.objects.create(
            scheme=idm, original_name="idm-blm.csv", started_by=blm, status=ImportStatus.DONE, unmatched=unmatched
        ),
        "command_line_index_import": IndexImport.objects.create(
            scheme=idm, original_name="idm_2024_national.csv", status=ImportStatus.DONE, unmatched=unmatched
        ),
    }
