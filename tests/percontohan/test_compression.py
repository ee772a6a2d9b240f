"""Responses travel compressed when the browser accepts gzip: pages, JSON and GeoJSON shrink several
times over a slow rural connection, and an export still downloads whole."""

import csv
import gzip
import io
import json

import pytest
from openpyxl import load_workbook

from tests.villages.factories_village import geo, pilot, square
from villages.models import PilotStatus

GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture
def signed_in(client, blm_user):
    client.force_login(blm_user)
    return client


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_village_list_is_sent_gzipped_to_a_browser_that_accepts_it(signed_in):
    response = signed_in.get("/desa/", {"q": "bahandang"}, headers=GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = gzip.decompress(response.content).decode()
    assert "Bahandang" in page
    assert len(response.content) * 3 < len(page.encode())


def test_the_village_list_is_sent_plain_to_a_client_that_does_not_ask_for_gzip(signed_in):
    response = signed_in.get("/desa/", {"q": "bahandang"})

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert "Bahandang" in response.content.decode()


def test_the_village_search_json_is_gzipped_when_accepted_and_plain_otherwise(signed_in):
    compressed = signed_in.get("/wilayah/cari/", {"q": "sungai"}, headers=GZIP)
    plain = signed_in.get("/wilayah/cari/", {"q": "sungai"})

    assert compressed["Content-Encoding"] == "gzip"
    assert not plain.has_header("Content-Encoding")
    assert json.loads(gzip.decompress(compressed.content)) == plain.json()
    assert len(plain.json()["results"]) == 20


def test_the_map_geojson_is_gzipped_when_accepted_and_plain_otherwise(signed_in):
    for code, lat, lng in (("63.04.17.2001", "-3.0952", "114.6401"), ("63.04.03.2001", "-3.1468", "114.7236")):
        pilot(code, PilotStatus.DESIGNATED)
        geo(code, lat, lng, boundary=square(lng, lat))

    compressed = signed_in.get("/peta/desa.geojson", headers=GZIP)
    plain = signed_in.get("/peta/desa.geojson")

    assert compressed["Content-Type"] == plain["Content-Type"] == "application/geo+json"
    assert compressed["Content-Encoding"] == "gzip"
    assert not plain.has_header("Content-Encoding")
    collection = json.loads(gzip.decompress(compressed.content))
    assert collection == plain.json()
    assert len(collection["features"]) == 2


def test_a_streamed_csv_export_downloads_whole_when_gzipped(signed_in):
    compressed = signed_in.get("/desa/", {"q": "sungai", "_export": "csv"}, headers=GZIP)
    plain = signed_in.get("/desa/", {"q": "sungai", "_export": "csv"})

    assert compressed.streaming
    assert compressed["Content-Encoding"] == "gzip"
    assert not compressed.has_header("Content-Length")
    assert compressed["Content-Disposition"] == plain["Content-Disposition"]
    text = gzip.decompress(body(compressed)).decode("utf-8-sig")
    assert text == body(plain).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 100
    assert all("SUNGAI" in " ".join(row).upper() for row in rows[1:])


def test_an_xlsx_export_is_sent_as_is_because_it_is_compressed_already(signed_in):
    response = signed_in.get("/desa/", {"q": "bahandang", "_export": "xlsx"}, headers=GZIP)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).active
    assert any("Bahandang" in str(value) for row in sheet.iter_rows(values_only=True) for value in row)
