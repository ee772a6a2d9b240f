"""Access cases of the notification pages (merged into the URL walker).

Everyone has their own notification list; somebody else's notification is a 404 for every user,
admins included; the write actions are POST only.
"""

from percontohan.models import Notification
from tests.access import EVERYONE_IN, EVERYONE_REDIRECTED, NOBODY, USERS, Case
from tests.factories import UserFactory

POST_ONLY = {user: 405 for user in USERS}

CASES = {
    "notifications": [Case(expect=EVERYONE_IN)],
    "notification_read": [
        Case(kwargs={"pk": "someone_elses_notification"}, method="post", expect=NOBODY),
        Case(kwargs={"pk": "someone_elses_notification"}, expect=POST_ONLY),
    ],
    "notifications_read_all": [
        Case(method="post", expect=EVERYONE_REDIRECTED),
        Case(expect=POST_ONLY),
    ],
}


def make_samples():
    owner = UserFactory(username="pemilik-notifikasi", role="staf_blm", regencies=("63",))
    notification = Notification.objects.create(
        user=owner, kind="agreement-expiring", key="uji:1", message="Perjanjian uji akan berakhir.", url="/"
    )
    return {"someone_elses_notification": notification}
