"""What the maps draw around their villages: the kecamatan of the regency with their names, every
village of the regency as a point coloured by its index status, and a legend (/peta/, /kawasan/<id>/)."""

import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from percontohan.imports import ImportFailed
from tests.villages.factories_village import area, blm_banjarmasin, geo, idm_score, pilot, square
from villages.district_geo import district_geo_import
from villages.geo_import import GeoFileError
from villages.insights import NO_SCORE_COLOR
from villages.models import AreaMembership, DistrictGeo, PilotStatus

DISTRICTS_FILE = settings.BASE_DIR.parent / "shared" / "data" / "geo" / "barito_kuala_districts.geojson"
SAMPURNA = "63.04.17.2001"  # Kecamatan Jejangkit, Kabupaten Barito Kuala
CAHAYA_BARU = "63.04.17.2005"
ANDAMAN = "63.04.03.2001"  # Kecamatan Anjir Pasar
KUPANG_BERSIH = "62.13.06.2003"  # Kalimantan Tengah
ACEH = "11.01.01.2001"


@pytest.fixture
def districts(db):
    """The real kecamatan boundaries of Barito Kuala (../shared/data)."""
    if not DISTRICTS_FILE.is_file():
        pytest.fail(f"{DISTRICTS_FILE} is absent: these tests read the real data in ../shared/data")
    result = district_geo_import(data=DISTRICTS_FILE.read_bytes(), source=DISTRICTS_FILE.name)
    assert result.ok, result.errors


def barito_kuala_villages():
    """Sampurna (a pilot village, Mandiri), Cahaya Baru (no score) and Andaman (Maju) located."""
    idm_score(SAMPURNA, 2024, "0.8229", "0.7167", "0.9333")  # Mandiri
    pilot(SAMPURNA, PilotStatus.DESIGNATED, blm=blm_banjarmasin())
    geo(SAMPURNA, "-3.0952", "114.6401", boundary=square("114.6401", "-3.0952"))
    geo(CAHAYA_BARU, "-3.1101", "114.6605")
    idm_score(ANDAMAN, 2023, "0.6", "0.6", "0.6")  # Berkembang, then
    idm_score(ANDAMAN, 2024, "0.7143", "0.6667", "0.8667", value="0.7492")  # Maju: the latest counts
    geo(ANDAMAN, "-3.1468", "114.7236")


def context(client, user, **params):
    client.force_login(user)
    response = client.get("/peta/konteks.geojson", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    return (
        {f["id"]: f for f in features if f["properties"]["kind"] == "district"},
        {f["id"]: f for f in features if f["properties"]["kind"] == "village"},
    )


def test_the_kecamatan_of_barito_kuala_are_drawn_with_their_names(client, pemda_user, districts):
    drawn, _villages = context(client, pemda_user, kabupaten="63.04")

    assert len(drawn) == 17
    anjir_pasar = drawn["63.04.03"]
    assert anjir_pasar["properties"]["name"] == "Anjir Pasar"
    assert anjir_pasar["geometry"]["type"] in ("Polygon", "MultiPolygon")
    lat, lng = anjir_pasar["properties"]["label"]
    assert -3.2 < lat < -3.0 and 114.4 < lng < 114.6


def test_every_located_village_of_the_regency_is_a_point_coloured_by_its_latest_index_status(client, pemda_user):
    barito_kuala_villages()

    _drawn, villages = context(client, pemda_user, kabupaten="63.04")

    assert set(villages) == {SAMPURNA, CAHAYA_BARU, ANDAMAN}
    andaman = villages[ANDAMAN]
    assert andaman["geometry"] == {"type": "Point", "coordinates": [114.7236, -3.1468]}
    assert andaman["properties"] | {"url": None} == {
        "kind": "village",
        "code": ANDAMAN,
        "name": "Andaman",
        "district": "Anjir Pasar",
        "url": None,
        "index": "IDM",
        "year": 2024,
        "value_display": "0,7492",
        "status": "Maju",
        "color": "#20c997",
    }
    assert villages[SAMPURNA]["properties"]["color"] == "#198754"  # Mandiri
    assert (villages[CAHAYA_BARU]["properties"]["status"], villages[CAHAYA_BARU]["properties"]["color"]) == (
        "Belum ada nilai",
        NO_SCORE_COLOR,
    )


def test_without_a_regency_named_the_context_is_that_of_the_pilot_villages_in_scope(client, blm_user, districts):
    barito_kuala_villages()
    geo(KUPANG_BERSIH, "-2.2000", "113.9000")  # Kalimantan Tengah: no pilot village there

    drawn, villages = context(client, blm_user)

    assert len(drawn) == 17
    assert set(villages) == {SAMPURNA, CAHAYA_BARU, ANDAMAN}


def test_an_official_of_another_regency_gets_nothing_of_barito_kuala(client, other_pemda_user, districts):
    barito_kuala_villages()
    geo(ACEH, "3.2", "97.1")

    assert context(client, other_pemda_user, kabupaten="63.04") == ({}, {})
    drawn, villages = context(client, other_pemda_user)
    assert (drawn, villages) == ({}, {})  # no pilot village in Aceh Selatan
    _drawn, villages = context(client, other_pemda_user, kabupaten="11.01")
    assert set(villages) == {ACEH}


@pytest.mark.parametrize("asked", ["63.04.03", "x' OR 1=1", "99.99"])
def test_a_malformed_or_unknown_regency_gets_an_empty_map_not_an_error(client, pemda_user, districts, asked):
    barito_kuala_villages()

    assert context(client, pemda_user, kabupaten=asked) == ({}, {})


def test_the_context_runs_as_many_queries_for_many_villages_as_for_few(client, blm_user, districts):
    barito_kuala_villages()
    client.force_login(blm_user)
    client.get("/")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/peta/konteks.geojson", {"kabupaten": "63.04"}).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for index in range(2, 12):
        code = f"63.04.03.{2000 + index:04d}"
        idm_score(code, 2024, "0.75", "0.65", "0.85")
        geo(code, "-3.1", f"114.7{index}")

    assert queries() == few


def test_the_map_page_asks_for_the_context_and_explains_it_in_its_legend(client, pemda_user):
    client.force_login(pemda_user)

    response = client.get("/peta/")

    html = response.content.decode()
    config = json.loads(re.search(r'id="villages-map-config" type="application/json">(.*?)</script>', html).group(1))
    assert config["contextUrl"] == "/peta/konteks.geojson"
    for label in ("Desa percontohan dan calon", "Desa lain di kabupaten yang sama", "Batas dan nama kecamatan"):
        assert label in html
    assert html.index("/static/js/map_context.js") < html.index("/static/js/villages_map.js")


def test_the_area_map_colours_its_members_by_index_status_over_their_regency(client, blm_user):
    barito_kuala_villages()
    kawasan = area()
    AreaMembership.objects.create(area=kawasan, village_id=ANDAMAN, valid_from="2020-03-10")
    client.force_login(blm_user)

    html = client.get(kawasan.get_absolute_url()).content.decode()

    data = json.loads(re.search(r'<script id="area-map-data" type="application/json">(.*?)</script>', html).group(1))
    assert data["context_url"] == "/peta/konteks.geojson?kabupaten=63.04"
    [andaman] = data["villages"]
    assert (andaman["color"], andaman["index_status"]) == ("#20c997", "Maju (IDM 2024)")
    assert "Desa anggota kawasan" in html
    assert "Batas dan nama kecamatan" in html


# --- loading kecamatan boundaries ----------------------------------------------------


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def feature(code, geometry, **properties):
    return {"type": "Feature", "properties": {"code": code, **properties}, "geometry": geometry}


def test_loading_the_kecamatan_again_changes_nothing(districts):
    result = district_geo_import(data=DISTRICTS_FILE.read_bytes(), source=DISTRICTS_FILE.name)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 17)
    assert DistrictGeo.objects.filter(district__regency="63.04").count() == 17


def test_a_bad_kecamatan_feature_fails_the_whole_file_and_changes_nothing(db):
    good = feature("63.04.03", square("114.5", "-3.1"), name="Anjir Pasar")
    point = feature("63.04.17", {"type": "Point", "coordinates": [114.6, -3.1]}, name="Jejangkit")
    village = feature("63.04.03.2001", square("114.5", "-3.1"))

    with pytest.raises(ImportFailed) as failed:
        district_geo_import(data=collection(good, point, village), source="kecamatan.geojson")

    errors = list(failed.value.errors)
    assert [error.row for error in errors] == [2, 3]
    assert "bukan titik" in errors[0].message
    assert "kode kecamatan" in errors[1].message
    assert str(failed.value) == "2 fitur bermasalah; tidak ada yang diubah."
    assert not DistrictGeo.objects.exists()


def test_an_unknown_kecamatan_is_listed_not_loaded(db):
    result = district_geo_import(
        data=collection(feature("63.04.03", square("114.5", "-3.1")), feature("63.04.99", square("114.6", "-3.1"))),
        source="kecamatan.geojson",
    )

    assert result.ok and result.created == 1
    assert [row["code"] for row in result.unmatched] == ["63.04.99"]


def test_a_file_that_is_not_geojson_is_refused_with_a_message(db):
    with pytest.raises(GeoFileError, match="GeoJSON"):
        district_geo_import(data=b"code,lat,lng\n63.04.03,-3.1,114.5\n", source="kecamatan.csv")
