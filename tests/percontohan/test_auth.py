"""Logging in and out, lock-out after repeated failures, password change, and the language switch."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def test_logging_in_with_the_right_password_lands_on_the_home_page(client, pemda_user):
    response = log_in(client, pemda_user.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert f"Selamat datang, {pemda_user}" in page.content.decode()


def test_logging_in_returns_to_the_page_asked_for(client, pemda_user):
    response = log_in(client, pemda_user.username, next="/wilayah/kabupaten/63.04/")
    assert response["Location"] == "/wilayah/kabupaten/63.04/"


def test_a_wrong_password_is_refused_with_an_indonesian_message(client, pemda_user):
    response = log_in(client, pemda_user.username, "bukan-sandinya")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nama pengguna atau kata sandi salah." in content
    assert "_auth_user_id" not in client.session


def test_the_login_page_is_in_indonesian(client, db):
    content = client.get(reverse("login")).content.decode()
    assert 'lang="id"' in content
    assert "Masuk ke Portal Desa Percontohan" in content


def test_the_account_is_locked_after_repeated_failures_even_with_the_right_password(client, pemda_user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, pemda_user.username, "salah-terus").status_code == 200
    locked = log_in(client, pemda_user.username, "salah-terus")
    assert "Akun dikunci sementara" in locked.content.decode()

    response = log_in(client, pemda_user.username)
    assert response.status_code != 302
    assert "Akun dikunci sementara" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_not_per_office(client, pemda_user, blm_user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, pemda_user.username, "salah-terus")
    response = log_in(client, blm_user.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_fewer_failures_than_the_limit_do_not_lock_the_account(client, pemda_user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, pemda_user.username, "salah-terus")
    assert log_in(client, pemda_user.username)["Location"] == reverse("home")


def test_logging_out_returns_to_the_login_page(client, pemda_user):
    client.force_login(pemda_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_logging_out_needs_a_post(client, pemda_user):
    client.force_login(pemda_user)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200


def test_changing_the_password_works_and_the_new_one_logs_in(client, pemda_user):
    client.force_login(pemda_user)
    new_password = "sandi-baru-yang-cukup-panjang"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    pemda_user.refresh_from_db()
    assert pemda_user.check_password(new_password)
    # The user stays logged in on this device.
    assert client.get(reverse("home")).status_code == 200


def test_a_too_short_new_password_is_refused_with_an_indonesian_message(client, pemda_user):
    client.force_login(pemda_user)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "pendek7", "new_password2": "pendek7"}
    )
    assert response.status_code == 200
    assert "terlalu pendek" in response.content.decode()
    pemda_user.refresh_from_db()
    assert pemda_user.check_password(PASSWORD)


def test_a_wrong_old_password_changes_nothing(client, pemda_user):
    client.force_login(pemda_user)
    new_password = "sandi-baru-yang-cukup-panjang"
    response = client.post(
        reverse("password_change"),
        {"old_password": "bukan-sandinya", "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    pemda_user.refresh_from_db()
    assert pemda_user.check_password(PASSWORD)


@pytest.mark.parametrize("url", ["/", "/wilayah/", "/wilayah/kabupaten/63.04/", "/mitra/instansi/", "/akun/sandi/"])
def test_every_page_but_the_login_page_requires_login(client, url, db):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.fixture
def restore_language():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_the_language_switch_turns_the_login_page_english(client, db, restore_language):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in content


def test_the_language_switch_works_after_login_too(client, pemda_user, restore_language):
    client.force_login(pemda_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert '<html lang="id">' in client.get("/").content.decode()


def test_the_language_switch_ignores_an_offsite_next(client, db, restore_language):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example.com/"})
    assert response.status_code == 302
    assert "evil.example.com" not in response["Location"]
