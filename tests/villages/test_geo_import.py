"""Loading village coordinates and boundaries: `geo_import` and `manage.py import_geo`."""

import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from percontohan.imports import ImportFailed, ImportFileError
from tests.snapshots import tables_checksum
from villages.geo_import import GeoLevelNotSupported, geo_import
from villages.models import VillageGeo

GEO_DATA = settings.BASE_DIR.parent / "shared" / "data" / "geo"
KUALA_LUPAK = "63.04.01.2001"
ANDAMAN = "63.04.03.2001"
HILIR_MESJID = "63.04.03.2002"
SQUARE = [[[114.70, -3.15], [114.71, -3.15], [114.71, -3.14], [114.70, -3.14], [114.70, -3.15]]]


@pytest.fixture
def geo_file():
    def path(name):
        file = GEO_DATA / name
        if not file.is_file():
            pytest.fail(f"{file} is absent: these tests read the real data in ../shared/data")
        return file

    return path


def run_command(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_geo", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def feature(code, geometry, **properties):
    return {"type": "Feature", "properties": {"code": code, **properties}, "geometry": geometry}


def geojson(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def table(*rows, header="code,name,lat,lng"):
    return "\n".join([header, *rows]).encode()


def failed_import(data, source="x"):
    """Import a file that must fail: returns its errors, having checked that no location (nor any
    history of one) changed."""
    before = tables_checksum(VillageGeo)
    with pytest.raises(ImportFailed) as raised:
        geo_import(data=data, source=source)
    assert tables_checksum(VillageGeo) == before
    return raised.value.errors


# --- the files of ../shared/data/geo ---------------------------------------------


def test_the_barito_kuala_centroids_give_every_village_its_point(db, geo_file):
    output, _err = run_command(geo_file("barito_kuala_village_centroids.csv"))

    assert "201 baris dibaca" in output
    assert "ditambahkan" in output
    kuala_lupak = VillageGeo.objects.get(village_id=KUALA_LUPAK)
    assert (kuala_lupak.lat, kuala_lupak.lng) == (Decimal("-3.464208"), Decimal("114.408867"))
    assert kuala_lupak.boundary is None
    assert kuala_lupak.source == "barito_kuala_village_centroids.csv"
    assert VillageGeo.objects.filter(village__district__regency="63.04").count() >= 195


def test_the_boundaries_are_added_to_the_points_and_a_rerun_changes_nothing(db, geo_file):
    run_command(geo_file("barito_kuala_village_centroids.csv"))
    count = VillageGeo.objects.count()

    output, _err = run_command(geo_file("barito_kuala_villages.geojson"))
    again, _err = run_command(geo_file("barito_kuala_villages.geojson"))

    assert "201 fitur dibaca: 0 ditambahkan" in output
    assert VillageGeo.objects.count() == count
    kuala_lupak = VillageGeo.objects.get(village_id=KUALA_LUPAK)
    assert kuala_lupak.boundary["type"] in ("Polygon", "MultiPolygon")
    assert kuala_lupak.boundary["coordinates"][0][0] == [114.4251, -3.43942]
    assert (kuala_lupak.lat, kuala_lupak.lng) == (Decimal("-3.464208"), Decimal("114.408867"))
    assert "0 ditambahkan, 0 diperbarui" in again


def test_the_kalimantan_selatan_centroids_with_their_own_header_load(db, geo_file):
    output, _err = run_command(geo_file("kalsel_village_centroids.csv"))

    assert "2008 baris dibaca" in output
    assert VillageGeo.objects.filter(village__district__regency__province="63").count() >= 2000


def test_a_kecamatan_file_is_skipped_with_a_clear_message(db, geo_file):
    for name in ("barito_kuala_districts.geojson", "kalsel_district_centroids.csv"):
        output, err = run_command(geo_file(name))

        assert "dilewati" in err
        assert "lokasi kecamatan" in err
        assert output == ""
    assert not VillageGeo.objects.exists()


# --- all or nothing --------------------------------------------------------------


def test_bad_rows_fail_the_whole_file_and_change_nothing(db):
    geo_import(data=table(f"{ANDAMAN},Andaman,-3.1468,114.7236"), source="lama.csv")

    errors = failed_import(
        table(
            f"{ANDAMAN},Andaman,-3.2,114.8",
            "63.04.03,Anjir Pasar,-3.2,114.8",
            f"{HILIR_MESJID},Hilir Mesjid,utara,114.8",
            "63.04.03.2003,Anjir Pasar Kota,114.7,-3.1",
            "63.04.03.2004,,,",
        ),
        source="baru.csv",
    )

    assert [error.row for error in errors] == [3, 4, 5, 6]
    assert "63.04.03" in errors.listed[0].message
    assert "bukan angka" in errors.listed[1].message
    assert "di luar wilayah Indonesia" in errors.listed[2].message
    andaman = VillageGeo.objects.get()
    assert (andaman.lat, andaman.lng, andaman.source) == (Decimal("-3.146800"), Decimal("114.723600"), "lama.csv")


def test_the_command_lists_the_bad_rows(db, tmp_path):
    path = tmp_path / "titik.csv"
    path.write_bytes(table(f"{ANDAMAN},Andaman,-3.1468,abc"))

    with pytest.raises(CommandError) as raised:
        run_command(path)

    assert "baris 2: bujur 'abc' bukan angka" in str(raised.value)
    assert "tidak ada yang diubah" in str(raised.value)
    assert not VillageGeo.objects.exists()


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "LineString", "coordinates": [[114.7, -3.1], [114.8, -3.2]]}, "tidak didukung"),
        ({"type": "Polygon", "coordinates": [[[114.7, -3.1], [114.8, -3.2], [114.7, -3.1]]]}, "Polygon tidak sah"),
        ({"type": "MultiPolygon", "coordinates": [[[["a", "b"]] * 4]]}, "MultiPolygon tidak sah"),
        (
            {"type": "Polygon", "coordinates": [[[-3.15, 114.7], [-3.15, 114.71], [-3.14, 114.7], [-3.15, 114.7]]]},
            "tertukar",
        ),
        (None, "geometri kosong"),
    ],
)
def test_a_feature_with_a_bad_geometry_fails_the_file(db, geometry, message):
    errors = failed_import(geojson(feature(ANDAMAN, geometry)), source="batas.geojson")

    assert errors.listed[0].row == 1
    assert message in errors.listed[0].message
    assert not VillageGeo.objects.exists()


@pytest.mark.parametrize(
    "document",
    [
        '{"type": "Feature", "properties": {"code": "%s"}, "geometry": {"type": "Point", "coordinates": [NaN, -3.1]}}',
        '{"type": "Feature", "properties": {"code": "%s"}, "geometry": {"type": "Polygon", "coordinates": '
        "[[[114.70, -3.15, NaN], [114.71, -3.15, 0], [114.71, -3.14, 0], [114.70, -3.15, 0]]]}}",
        '{"type": "Feature", "properties": {"code": "%s"}, "geometry": {"type": "Polygon", "coordinates": '
        "[[[114.70, -3.15], [Infinity, -3.15], [114.71, -3.14], [114.70, -3.15]]]}}",
    ],
    ids=["point", "altitude", "infinity"],
)
def test_a_geojson_coordinate_that_is_not_a_number_is_refused_with_its_feature(db, document):
    errors = failed_import((document % ANDAMAN).encode(), source="batas.geojson")

    assert str(errors.listed[0]) == "fitur 1: koordinat berisi NaN atau Infinity, bukan angka"


def test_a_nan_latitude_in_the_properties_is_refused(db):
    document = '{"type": "Feature", "properties": {"code": "%s", "lat": NaN, "lng": 114.7}, "geometry": %s}'

    errors = failed_import((document % (ANDAMAN, json.dumps({"type": "Polygon", "coordinates": SQUARE}))).encode())

    assert "lintang 'NaN' bukan angka" in errors.listed[0].message


def test_a_control_character_in_a_name_is_refused_with_row_and_column(db):
    errors = failed_import(table(f"{ANDAMAN},Anda\x00man,-3.1468,114.7236"))

    assert (
        str(errors.listed[0]) == "baris 2, kolom name: berisi karakter kendali U+0000 yang tidak boleh ada dalam data"
    )


def test_a_folder_given_as_the_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="adalah folder, bukan berkas"):
        run_command(tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"type": "FeatureCollection", "features": [', "GeoJSON tidak sah"),
        (b'{"type": "Polygon", "coordinates": []}', "FeatureCollection"),
        (b"code,lintang\n63.04.03.2001,-3.1", "Kolom bujur tidak ditemukan"),
        (b"\x89PNG\r\n\x1a\n", "gambar PNG"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(db, content, message):
    with pytest.raises(ImportFileError, match=message):
        geo_import(data=content, source="x")


def test_the_same_village_twice_in_a_file_is_an_error(db):
    errors = failed_import(table(f"{ANDAMAN},A,-3.1,114.7", f"{ANDAMAN},A,-3.2,114.8"), source="x.csv")

    assert errors.as_list() == [{"row": 3, "column": None, "message": f"kode {ANDAMAN} sudah ada di baris 2"}]


# --- matching and updating -------------------------------------------------------


def test_codes_matching_no_village_are_counted_not_errors(db):
    result = geo_import(
        data=table(f"{ANDAMAN},Andaman,-3.1468,114.7236", "92.01.01.2001,Desa Lama,-1.0,131.0"), source="x.csv"
    )

    assert result.ok
    assert result.created == 1
    assert result.unmatched == [{"row": 3, "code": "92.01.01.2001", "name": "Desa Lama"}]


def test_the_command_reports_unmatched_codes(db, tmp_path):
    path = tmp_path / "titik.csv"
    path.write_bytes(table(f"{ANDAMAN},Andaman,-3.1468,114.7236", "92.01.01.2001,Desa Lama,-1.0,131.0"))

    output, _err = run_command(path)

    assert "1 ditambahkan, 0 diperbarui, 0 tidak berubah, 1 kode tidak cocok" in output
    assert "92.01.01.2001" in output


def test_a_new_point_updates_the_row_in_place_and_keeps_the_boundary(db):
    geo_import(data=geojson(feature(ANDAMAN, {"type": "Polygon", "coordinates": SQUARE})), source="batas.geojson")

    result = geo_import(data=table(f"{ANDAMAN.replace('.', '')},Andaman,-3.145,114.705"), source="titik.csv")

    assert (result.created, result.updated) == (0, 1)
    andaman = VillageGeo.objects.get()
    assert andaman.boundary == {"type": "Polygon", "coordinates": SQUARE}
    assert (andaman.lat, andaman.lng) == (Decimal("-3.145000"), Decimal("114.705000"))
    assert andaman.source == "titik.csv"
    assert andaman.events.filter(pgh_label="update").count() == 1


def test_a_point_feature_sets_the_villages_location(db):
    result = geo_import(
        data=geojson(feature(ANDAMAN, {"type": "Point", "coordinates": [114.7236, -3.1468]})), source="titik.geojson"
    )

    assert result.created == 1
    andaman = VillageGeo.objects.get()
    assert (andaman.lat, andaman.lng, andaman.boundary) == (Decimal("-3.146800"), Decimal("114.723600"), None)


def test_a_regency_file_is_refused_but_a_stray_regency_code_among_villages_is_a_row_error(db):
    with pytest.raises(GeoLevelNotSupported, match="kabupaten/kota"):
        geo_import(data=table("63.04,Barito Kuala,-3.0,114.7"), source="x.csv")
    errors = failed_import(table("63.04,Barito Kuala,-3.0,114.7", f"{ANDAMAN},Andaman,-3.1,114.7"), source="x.csv")
    assert errors.listed[0].row == 2
