"""The static files' storage in production (percontohan.storage.StaticFilesStorage): whitenoise's hashed
names, each file's URL worked out once, the same as whitenoise's own."""

import json

import pytest
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from percontohan.storage import StaticFilesStorage

MANIFEST = {
    "paths": {
        "css/portal.css": "css/portal.0123456789ab.css",
        "vendor/leaflet/leaflet.css": "vendor/leaflet/leaflet.ba9876543210.css",
        "fonts/ikon.woff2": "fonts/ikon.aaaaaaaaaaaa.woff2",
    },
    "version": "1.1",
    "hash": "0123456789ab",
}
NAMES = ["css/portal.css", "vendor/leaflet/leaflet.css", "fonts/ikon.woff2#iefix", "css/portal.css?#x", "css/"]


@pytest.fixture
def static_root(tmp_path):
    (tmp_path / "staticfiles.json").write_text(json.dumps(MANIFEST))
    with override_settings(STATIC_ROOT=str(tmp_path), STATIC_URL="/static/"):
        yield tmp_path


@pytest.mark.parametrize("debug", [False, True])
def test_each_url_is_whitenoises_own_asked_once_or_again(static_root, debug):
    ours, theirs = StaticFilesStorage(), CompressedManifestStaticFilesStorage()
    with override_settings(DEBUG=debug):
        for name in NAMES:
            for force in (False, True):
                assert ours.url(name, force) == theirs.url(name, force) == ours.url(name, force), (name, force)
    assert StaticFilesStorage().url("css/portal.css") == "/static/css/portal.0123456789ab.css"


def test_a_file_missing_from_the_manifest_is_refused_every_time(static_root):
    storage = StaticFilesStorage()
    for _attempt in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("js/tidak-ada.js")
