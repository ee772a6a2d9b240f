"""Settings from the environment: a production start-up passes the deploy checks, a bad one refuses to start."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from percontohan import embedded_db

BASE_DIR = settings.BASE_DIR


def database_url():
    """The server the tests use (the production checks never touch the test database itself)."""
    return os.environ.get("DATABASE_URL") or embedded_db.database_url()


def production_environment(**overrides):
    """Only what an operator sets on a production server; nothing inherited from the test run."""
    environment = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": database_url(),
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "portal.example.go.id",
        "EMAIL_URL": "smtp://user:pass@mail.example.go.id:587",
        # A developer's .env in the checkout must not leak into these checks.
        "ENV_FILE": os.devnull,
    }
    environment.update(overrides)
    return {key: value for key, value in environment.items() if value is not None}


def manage(*args, environment):
    return subprocess.run(  # noqa: S603 — fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_production_configuration_passes_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", environment=production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key():
    result = manage("check", environment=production_environment(SECRET_KEY=None))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_to_start_on_a_database_other_than_postgresql():
    result = manage("check", environment=production_environment(DATABASE_URL="sqlite:///portal.sqlite3"))
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_an_smtp_email_url_selects_the_smtp_backend():
    code = (
        "from django.core import mail; m = mail.mailers['default']; "
        "print(type(m).__module__, m.host, m.port, m.username)"
    )
    result = manage("shell", "--no-imports", "-c", code, environment=production_environment())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.mail.backends.smtp", "mail.example.go.id", "587", "user"]


def test_production_is_https_only():
    code = (
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0, settings.ALLOWED_HOSTS)"
    )
    result = manage("shell", "--no-imports", "-c", code, environment=production_environment())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True True True True ['portal.example.go.id']"


def nonce_of(response):
    policy = response["Content-Security-Policy"]
    match = re.search(r"'nonce-([^']+)'", policy)
    assert match, policy
    return match.group(1)


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_with_a_nonce(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert nonce_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/akun/masuk/", "/", "/wilayah/", "/mitra/instansi/"])
def test_every_script_on_a_page_carries_the_policy_nonce(client, blm_user, url):
    if url != reverse("login"):
        client.force_login(blm_user)
    response = client.get(url)
    assert response.status_code == 200
    nonce = nonce_of(response)
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag


@pytest.mark.django_db
def test_each_response_gets_a_fresh_nonce(client):
    assert nonce_of(client.get(reverse("login"))) != nonce_of(client.get(reverse("login")))


@pytest.mark.django_db
def test_pages_may_not_be_framed(client):
    assert client.get(reverse("login"))["X-Frame-Options"] == "DENY"
