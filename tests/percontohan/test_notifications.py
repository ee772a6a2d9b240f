"""In-app notifications: each user sees and reads only their own; the user menu shows how many are unread."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from percontohan.context_processors import notifications as notifications_context
from percontohan.models import Notification


def notify(user, n=1, *, url="/desa/", read=False):
    made = [
        Notification.objects.create(
            user=user,
            kind="agreement-expiring",
            key=f"uji:{user.pk}:{index}:{Notification.objects.count()}",
            message=f"Pesan {index} untuk {user.username}",
            url=url,
            read_at=timezone.now() if read else None,
        )
        for index in range(n)
    ]
    return made[0] if n == 1 else made


def text_of(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_list_shows_only_the_users_own_notifications_newest_first(client, blm_user, pemda_user):
    notify(blm_user, 2)
    notify(pemda_user)
    client.force_login(blm_user)

    page = text_of(client.get(reverse("notifications")))

    assert "Pesan 1 untuk blm-test" in page
    assert page.index("Pesan 1 untuk blm-test") < page.index("Pesan 0 untuk blm-test")
    assert "pemda-test" not in page


def test_unread_notifications_are_highlighted(client, blm_user):
    notify(blm_user, read=True)
    unread = notify(blm_user)
    client.force_login(blm_user)

    content = client.get(reverse("notifications")).content.decode()

    assert content.count("notification-unread") == 1
    assert reverse("notification_read", args=[unread.pk]) in content


def test_the_list_is_paginated(client, blm_user):
    notify(blm_user, 30)
    client.force_login(blm_user)

    first = text_of(client.get(reverse("notifications")))
    second = text_of(client.get(reverse("notifications"), {"page": 2}))

    assert "Halaman 1 dari 2" in first
    assert "Pesan 29 untuk blm-test" in first
    assert "Pesan 0 untuk blm-test" in second


def test_reading_a_notification_marks_it_read_and_follows_its_link(client, blm_user):
    notification = notify(blm_user, url="/desa/")
    client.force_login(blm_user)

    response = client.post(reverse("notification_read", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/desa/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_users_notification_is_not_found_and_stays_unread(client, blm_user, admin_user):
    notification = notify(blm_user)
    client.force_login(admin_user)

    assert client.post(reverse("notification_read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_link_off_the_site_goes_back_to_the_list(client, blm_user):
    notification = notify(blm_user, url="https://contoh.example.com/")
    client.force_login(blm_user)

    response = client.post(reverse("notification_read", args=[notification.pk]))

    assert response["Location"] == reverse("notifications")


def test_reading_all_marks_only_the_users_own(client, blm_user, pemda_user):
    notify(blm_user, 3)
    theirs = notify(pemda_user)
    client.force_login(blm_user)

    response = client.post(reverse("notifications_read_all"))

    assert response["Location"] == reverse("notifications")
    assert not blm_user.notifications.unread().exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_user_menu_shows_the_unread_count_on_every_page(client, blm_user, pemda_user):
    notify(blm_user, 2)
    notify(blm_user, read=True)
    notify(pemda_user, 5)
    client.force_login(blm_user)

    for url in ("/", reverse("regions:index"), reverse("notifications")):
        content = client.get(url).content.decode()
        badge = re.search(r'id="notification-badge">(\d+)<', content)
        assert badge and badge.group(1) == "2", url
        assert reverse("notifications") in content

    client.post(reverse("notifications_read_all"))
    assert 'id="notification-badge"' not in client.get("/").content.decode()


def test_the_badge_is_read_with_the_signed_in_user_no_query_of_its_own(client, blm_user, pemda_user):
    notify(blm_user, 3)
    notify(blm_user, read=True)
    notify(pemda_user, 4)
    client.force_login(blm_user)
    client.get("/")

    with CaptureQueriesContext(connection) as queries:
        content = client.get(reverse("regions:index")).content.decode()

    assert re.search(r'id="notification-badge">(\d+)<', content).group(1) == "3"
    # The user's row is read once, the count with it (a subquery), and nothing else reads notifications.
    users = [query["sql"] for query in queries.captured_queries if 'FROM "percontohan_user"' in query["sql"]]
    assert len(users) == 1
    assert 'FROM "percontohan_notification"' in users[0]
    others = [query["sql"] for query in queries.captured_queries if query["sql"] not in users]
    assert not [sql for sql in others if "percontohan_notification" in sql]


@pytest.mark.parametrize("count", [0, 3])
def test_the_badge_costs_one_query(blm_user, django_assert_num_queries, count):
    for _ in range(count):
        notify(blm_user)
    request = RequestFactory().get("/")
    request.user = blm_user

    with django_assert_num_queries(1):
        assert notifications_context(request)["unread_notification_count"] == count


def test_an_anonymous_visitor_gets_no_badge(rf):
    request = rf.get("/")
    request.user = AnonymousUser()

    assert notifications_context(request) == {}
