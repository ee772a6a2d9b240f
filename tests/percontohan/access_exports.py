"""Access cases of a background export's page and download (merged into the URL walker).

An export is its user's own: somebody else's is a 404 for every user, admins included.
"""

from percontohan.background import TaskStatus
from percontohan.models import Export
from tests.access import NOBODY, Case
from tests.factories import UserFactory

CASES = {
    "export": [Case(kwargs={"pk": "someone_elses_export"}, expect=NOBODY)],
    "export_download": [Case(kwargs={"pk": "someone_elses_export"}, expect=NOBODY)],
}


def make_samples():
    owner = UserFactory(username="pemilik-ekspor", role="staf_blm", regencies=("63",))
    export = Export.objects.create(
        user=owner,
        title="desa",
        path="/desa/",
        query="regency=63.04",
        export_format="csv",
        filename="desa-2024.csv",
        language="id",
        status=TaskStatus.DONE,
    )
    return {"someone_elses_export": export}
