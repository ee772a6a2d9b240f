"""Light pages for slow rural connections: the map and chart libraries (Leaflet, Chart.js — about
370 KB with their CSS) are fetched only by the pages that draw a map or a chart."""

import re

import pytest
from django.urls import reverse

from tests.villages.factories_village import geo, idm_score, pilot
from villages.models import PilotStatus

SAMPURNA = "63.04.17.2001"
ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+\.(?:js|css))"')
MAP_AND_CHART = re.compile(r"leaflet|chart\.umd|chartjs|maps\.css|_map\.js|village_chart", re.IGNORECASE)


def assets(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ASSET.findall(response.content.decode())


@pytest.fixture
def signed_in(client, blm_user):
    client.force_login(blm_user)
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "home",
        "villages:village_list",
        "villages:pilot_list",
        "villages:area_list",
        "villages:round_list",
        "agreements:agreement_list",
        "agreements:commitment_list",
        "partners:organisation_list",
        "regions:index",
    ],
)
def test_a_page_without_a_map_or_chart_loads_neither_leaflet_nor_chart_js(signed_in, url_name):
    loaded = assets(signed_in, reverse(url_name))

    assert any("bootstrap" in asset for asset in loaded)
    assert [asset for asset in loaded if MAP_AND_CHART.search(asset)] == []


def test_the_village_list_with_index_scores_still_loads_no_map_or_chart_library(signed_in):
    idm_score(SAMPURNA, 2024, "0.8229", "0.7167", "0.9333")
    pilot(SAMPURNA, PilotStatus.DESIGNATED)

    loaded = assets(signed_in, reverse("villages:village_list") + "?q=sampurna")

    assert [asset for asset in loaded if MAP_AND_CHART.search(asset)] == []


def test_the_map_page_loads_leaflet_and_its_css_but_not_chart_js(signed_in):
    loaded = " ".join(assets(signed_in, reverse("villages:map")))

    assert "vendor/leaflet/leaflet.js" in loaded
    assert "vendor/leaflet/leaflet.css" in loaded
    assert "chart.umd" not in loaded


def test_a_village_page_with_scores_and_a_location_loads_chart_js_and_leaflet(signed_in):
    idm_score(SAMPURNA, 2024, "0.8229", "0.7167", "0.9333")
    geo(SAMPURNA, "-3.0952", "114.6401")

    loaded = " ".join(assets(signed_in, reverse("villages:village", args=[SAMPURNA])))

    assert "vendor/chartjs/chart.umd.min.js" in loaded
    assert "vendor/leaflet/leaflet.js" in loaded


def test_a_village_page_with_nothing_to_draw_loads_neither(signed_in):
    loaded = assets(signed_in, reverse("villages:village", args=[SAMPURNA]))

    assert [asset for asset in loaded if MAP_AND_CHART.search(asset)] == []
