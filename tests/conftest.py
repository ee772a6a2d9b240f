"""Shared fixtures: the real regions in the test database and one user per role."""

from importlib import import_module

import pytest
from django.apps import apps

from regions.importer import regions_import
from tests.factories import UserFactory


def pytest_collection_modifyitems(items):
    """Run tests that commit data (and so empty the tables afterwards) after all the others."""
    committing = {"transactional_db", "live_server"}
    items.sort(key=lambda item: bool(committing & set(getattr(item, "fixturenames", ()))))


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash test passwords cheaply; the real hasher takes about a second per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def committed_regions(transactional_db, tmp_path):
    """Regions for a test whose data is committed (see tests/regions.py)."""
    from tests.regions.subset import import_region_subset

    import_region_subset(tmp_path / "regions")
    # Tables are emptied after a committing test, the data migrations' rows too.
    import_module("villages.migrations.0002_idm_scheme").create_idm(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load every Indonesian region (real idn-area-data, ~3 s) once for the session."""
    with django_db_blocker.unblock():
        regions_import()


@pytest.fixture
def admin_user(db):
    return UserFactory(role="admin", is_staff=True, is_superuser=True, username="admin-test")


@pytest.fixture
def blm_user(db):
    """Staf BLM whose working area is Kalimantan Selatan and Kalimantan Tengah."""
    return UserFactory(role="staf_blm", username="blm-test", regencies=("62", "63"))


@pytest.fixture
def pemda_user(db):
    """Pejabat Pemda of Kabupaten Barito Kuala."""
    return UserFactory(role="pejabat_pemda", username="pemda-test", regencies=("63.04",))


@pytest.fixture
def other_pemda_user(db):
    """Pejabat Pemda of another regency (Kabupaten Aceh Selatan)."""
    return UserFactory(role="pejabat_pemda", username="pemda-aceh", regencies=("11.01",))


@pytest.fixture
def ministry_user(db):
    return UserFactory(role="kementerian", username="kementerian-test")


@pytest.fixture
def demo(db, tmp_path, monkeypatch):
    """The demo loaded once (every app's part), without the big shared data files, its PDFs under tmp_path."""
    from agreements.models import private_storage
    from percontohan.demo import demo_load

    monkeypatch.setenv("SHARED_DATA_DIR", str(tmp_path / "no-shared-data"))
    monkeypatch.setattr(private_storage, "_location", str(tmp_path / "private"))
    for cached in ("base_location", "location"):
        private_storage.__dict__.pop(cached, None)
    demo_load()
    yield
    for cached in ("base_location", "location"):
        private_storage.__dict__.pop(cached, None)
