"""What every page reads before its own work — its session, the signed-in user and the menu — read in
SQL written once (percontohan/sessions.py, percontohan/auth.py) or made once per process
(percontohan/context_processors.py): the same as Django's own readings, for every user and language."""

import re

from django.conf import settings
from django.contrib.sessions.backends import db as django_db_sessions
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from percontohan.auth import signed_in_user, unread_notifications
from percontohan.models import User
from percontohan.sessions import SessionStore
from tests.percontohan.test_notifications import notify


def session_key_of(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_signed_in_user_is_read_as_the_orm_reads_it(blm_user, pemda_user):
    notify(blm_user, 2)
    notify(blm_user, read=True)
    notify(pemda_user, 4)

    ours = signed_in_user(blm_user.pk)
    orms = User.objects.annotate(unread_notification_count=unread_notifications()).get(pk=blm_user.pk)

    for field in User._meta.concrete_fields:
        assert getattr(ours, field.attname) == getattr(orms, field.attname), field.name
    assert ours.unread_notification_count == orms.unread_notification_count == 2
    assert (ours._state.adding, ours._state.db) == (False, "default")
    assert ours.get_role_display() == orms.get_role_display()
    assert ours.organisation == blm_user.organisation


def test_the_signed_in_users_scope_is_read_with_them_no_query_of_its_own(blm_user, pemda_user, admin_user):
    for user in (blm_user, pemda_user, admin_user):
        ours = signed_in_user(user.pk)
        with CaptureQueriesContext(connection) as queries:
            codes = ours.scope_regency_codes
        assert codes == User.objects.get(pk=user.pk).scope_regency_codes
        assert not queries.captured_queries
    assert signed_in_user(admin_user.pk).scope_regency_codes is None
    assert signed_in_user(blm_user.pk).scope_regency_codes == frozenset(
        blm_user.scope_regencies.values_list("code", flat=True)
    )


def test_a_changed_scope_holds_from_the_next_page(client, blm_user):
    client.force_login(blm_user)
    client.get("/")
    blm_user.scope_regencies.set(["11.01"])

    response = client.get("/")

    assert response.wsgi_request.user.scope_regency_codes == frozenset({"11.01"})


def test_an_unknown_user_is_nobody(db):
    assert signed_in_user(987654321) is None


def test_a_deactivated_user_is_signed_out_at_the_next_page(client, blm_user):
    client.force_login(blm_user)
    assert client.get("/").status_code == 200

    User.objects.filter(pk=blm_user.pk).update(is_active=False)

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_changed_password_signs_the_other_sessions_out(client, blm_user):
    client.force_login(blm_user)
    blm_user.set_password("kata-sandi-baru-yang-panjang")
    blm_user.save()

    assert client.get("/").status_code == 302


def test_the_session_is_read_as_djangos_database_sessions_read_it(client, blm_user):
    client.force_login(blm_user)
    key = session_key_of(client)

    ours = SessionStore(key).load()

    assert ours == django_db_sessions.SessionStore(key).load()
    assert ours["_auth_user_id"] == str(blm_user.pk)


def test_an_expired_session_is_empty_and_its_key_dropped(client, blm_user):
    client.force_login(blm_user)
    key = session_key_of(client)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timezone.timedelta(seconds=1))

    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None
    assert client.get("/").status_code == 302


def test_an_unknown_session_key_is_an_empty_session(db):
    store = SessionStore("x" * 32)
    assert store.load() == {}
    assert store.session_key is None


def test_signing_out_ends_the_session_for_every_browser_holding_its_cookie(client, blm_user):
    client.force_login(blm_user)
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = session_key_of(client)
    assert copy.get("/").status_code == 200

    client.post(reverse("logout"))

    assert copy.get("/").status_code == 302
    assert not Session.objects.filter(session_key=copy.cookies[settings.SESSION_COOKIE_NAME].value).exists()


def test_what_the_session_holds_stays_from_page_to_page(client, blm_user):
    """What a page puts in the session is there on the next page, beside who is signed in."""
    client.force_login(blm_user)
    key = session_key_of(client)
    session = SessionStore(key)
    session["catatan"] = "tetap"
    session.save()

    assert client.get("/").status_code == 200
    assert SessionStore(key).load()["catatan"] == "tetap"
    assert SessionStore(key).load()["_auth_user_id"] == str(blm_user.pk)


def nav_links(html):
    """(label, whether marked as the current page) of every link of the navigation bar."""
    nav = html[html.index('<nav class="navbar') : html.index("</nav>")]
    return [
        (label.strip(), current)
        for current, label in (
            ("aria-current" in tag, label)
            for tag, label in re.findall(r'<a (class="(?:nav-link|dropdown-item)[^>]*)>([^<]+)</a>', nav)
        )
    ]


def current_links(html):
    return [label for label, current in nav_links(html) if current]


def test_the_menu_marks_the_page_it_is_on_on_each_page(client, blm_user):
    client.force_login(blm_user)

    assert current_links(client.get("/").content.decode()) == ["Beranda"]
    assert current_links(client.get(reverse("villages:pilot_list")).content.decode()) == ["Desa percontohan"]
    assert current_links(client.get(reverse("agreements:agreement_list")).content.decode()) == ["Perjanjian"]
    assert current_links(client.get("/").content.decode()) == ["Beranda"]


def test_the_menu_speaks_the_language_of_the_page(client, blm_user):
    client.force_login(blm_user)
    indonesian = [label for label, _current in nav_links(client.get("/").content.decode())]

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = [label for label, _current in nav_links(client.get("/").content.decode())]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    again = [label for label, _current in nav_links(client.get("/").content.decode())]
    translation.activate(settings.LANGUAGE_CODE)

    assert "Beranda" in indonesian and "Home" not in indonesian
    assert "Home" in english and "Beranda" not in english
    assert again == indonesian


def test_only_staff_get_the_admin_link(client, blm_user, admin_user):
    client.force_login(blm_user)
    assert "Admin" not in [label for label, _current in nav_links(client.get("/").content.decode())]

    client.force_login(admin_user)
    assert "Admin" in [label for label, _current in nav_links(client.get("/").content.decode())]


def test_a_page_without_the_menu_does_not_write_it_and_its_context_comes_first(client, pemda_user, demo):
    """A PDF summary renders no menu: the captured contexts start with its own (tests render it again from
    there), whether or not this process has written the menu of that page before."""
    from agreements.models import Agreement
    from percontohan.context_processors import _navigation

    client.force_login(pemda_user)
    agreement = Agreement.objects.visible_to(pemda_user).order_by("pk").first()
    _navigation.cache_clear()

    response = client.get(reverse("agreements:agreement_pdf", args=[agreement.pk]))

    assert response.status_code == 200
    assert _navigation.cache_info().currsize == 0
    assert response.templates[0].name == "agreements/agreement_summary_pdf.html"
    assert "includes/navigation.html" not in [template.name for template in response.templates]
