"""Import where villages are: centroids from a table (CSV/XLSX with code, lat, lng) and
boundaries from GeoJSON (a FeatureCollection whose features carry `properties.code`).

Reading a table, the row errors and the all-or-nothing writing are the portal's import
pattern (percontohan.imports). The rules of this import: the whole file is checked first
and any bad row or feature fails it, nothing written; coordinates must be finite numbers
inside Indonesia (NaN or Infinity anywhere in a geometry is refused). Codes that match no
current village are counted and listed, not errors. Re-running updates each village's row
in place: a table sets the point and keeps a known boundary, GeoJSON sets the boundary
(and the point when its properties have lat/lng). Kecamatan and kabupaten files are
recognised and refused as a whole with a clear message: only villages are loaded here.
"""

import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from percontohan.imports import (
    ImportFailed,
    ImportFileError,
    ImportResult,
    atomic_import,
    copy_insert,
    copy_update,
    read_table,
)
from percontohan.text import clean_text, has_forbidden_characters
from regions.importer import VILLAGE_CODE, village_code
from regions.models import Village
from villages.models import VillageGeo

CODE_COLUMNS = ("code", "kode", "kode_desa", "kode_wilayah")
NAME_COLUMNS = ("name", "nama", "nama_desa")
LAT_COLUMNS = ("lat", "latitude", "lintang")
LNG_COLUMNS = ("lng", "lon", "long", "longitude", "bujur")
# Indonesia, with a margin: catches swapped or mistyped coordinates.
LAT_RANGE = (Decimal("-12"), Decimal("7"))
LNG_RANGE = (Decimal("94"), Decimal("142"))
PLACES = Decimal("0.000001")
REGION_CODE = re.compile(r"\d{2}\.\d{2}(\.\d{2})?")  # a regency or a district
BOUNDARY_TYPES = ("Polygon", "MultiPolygon")
NAME_LENGTH = Village._meta.get_field("name").max_length
SOURCE_LENGTH = VillageGeo._meta.get_field("source").max_length
GEO_FIELDS = ["lat", "lng", "boundary", "source"]
KEEP = object()  # "this file says nothing about the boundary"


class GeoFileError(ImportFileError):
    """The geo file as a whole cannot be read."""


class GeoLevelNotSupported(GeoFileError):
    """The file locates kecamatan or kabupaten, not villages."""


@dataclass
class GeoImportResult(ImportResult):
    kind: str = "csv"  # "csv" (a table: CSV or XLSX) or "geojson"

    def error(self, row, message, column=None):
        # A GeoJSON file's rows are its features.
        self.errors.add(message, row=row, column=column, unit=_("fitur") if self.kind == "geojson" else None)


@dataclass
class GeoRow:
    row: int
    code: str
    name: str
    lat: Decimal | None
    lng: Decimal | None
    boundary: object = KEEP


def geo_import(*, data: bytes, source: str):
    """Check and load one coordinates or boundaries file; returns a GeoImportResult. Raises ImportFailed
    (GeoLevelNotSupported for a kecamatan or kabupaten file), having written nothing, when the file or
    any of its rows is bad. `source` (the file name) is recorded on each changed row."""
    if data.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{":
        result = GeoImportResult(kind="geojson")
        rows = _read_geojson(data, result)
    else:
        result = GeoImportResult(kind="csv")
        rows = _read_table(data, result)
    if result.errors:
        raise ImportFailed(result.errors, result)

    source = source[:SOURCE_LENGTH]
    codes = {row.code for row in rows}
    current = set(Village.objects.current().filter(code__in=codes).values_list("code", flat=True))
    with atomic_import(result, lock="village-geo"):
        existing = VillageGeo.objects.in_bulk([code for code in codes if code in current])
        new, changed = [], []
        for row in rows:
            if row.code not in current:
                result.unmatched.append({"row": row.row, "code": row.code, "name": row.name})
                continue
            geo = existing.get(row.code)
            if geo is None:
                boundary = None if row.boundary is KEEP else row.boundary
                new.append((row.code, row.lat, row.lng, boundary, source))
                continue
            lat, lng, boundary = geo.lat, geo.lng, geo.boundary
            if row.lat is not None:
                lat, lng = row.lat, row.lng
            if row.boundary is not KEEP:
                boundary = row.boundary
            if (lat, lng, boundary) == (geo.lat, geo.lng, geo.boundary):
                result.unchanged += 1
            else:
                changed.append((row.code, lat, lng, boundary, source))
        result.created = copy_insert(VillageGeo, ["village", *GEO_FIELDS], new)
        result.updated = copy_update(VillageGeo, ["village"], GEO_FIELDS, changed)
    return result


def _read_table(data, result):
    """Rows of a CSV/XLSX table with code, lat and lng columns."""
    table = read_table(data, header_names=CODE_COLUMNS, errors=result.errors)

    def column(names, label):
        position = table.find(*names)
        if position is None:
            raise table.missing_column(label, names)
        return position

    code_at = column(CODE_COLUMNS, _("kode desa"))
    lat_at, lng_at = column(LAT_COLUMNS, _("lintang")), column(LNG_COLUMNS, _("bujur"))
    name_at = table.find(*NAME_COLUMNS)
    result.total_rows = len(table)
    _refuse_other_levels([row.raw(code_at) for row in table.rows])
    rows = []
    for row in table.rows:
        code = _code(row.text(code_at), row.number, result)
        name = row.text(name_at, max_length=NAME_LENGTH)
        lat, lng = _coordinates(row.text(lat_at), row.text(lng_at), row.number, result, required=True)
        if code and lat is not None and row.ok:
            rows.append(GeoRow(row.number, code, name, lat, lng))
    return _without_duplicates(rows, result)


class _NotANumber(str):
    """NaN, Infinity or -Infinity in a JSON text (which JSON does not allow): kept as text, so that every
    check that wants a number refuses it."""


def _read_geojson(data, result):
    """Rows of a GeoJSON FeatureCollection (or one Feature) of village boundaries."""
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_constant=_NotANumber)
    except (UnicodeDecodeError, ValueError) as error:
        raise GeoFileError(_("GeoJSON tidak sah: %(error)s") % {"error": error}) from None
    if not isinstance(document, dict) or document.get("type") not in ("FeatureCollection", "Feature"):
        raise GeoFileError(_("GeoJSON harus berupa FeatureCollection atau Feature."))
    features = document.get("features") if document["type"] == "FeatureCollection" else [document]
    if not isinstance(features, list) or not features:
        raise GeoFileError(_("GeoJSON tidak berisi fitur."))
    result.total_rows = len(features)

    def properties(feature):
        props = feature.get("properties") if isinstance(feature, dict) else None
        return props if isinstance(props, dict) else {}

    def code_of(props):
        return _text(next((props[key] for key in CODE_COLUMNS if props.get(key) not in (None, "")), ""))

    _refuse_other_levels([code_of(properties(feature)) for feature in features])
    rows = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            result.error(number, _("bukan Feature GeoJSON"))
            continue
        props = properties(feature)
        code = _code(code_of(props), number, result)
        name = _name(props, number, result)
        lat, lng = _coordinates(_text(props.get("lat")), _text(props.get("lng")), number, result, required=False)
        boundary = _boundary(feature.get("geometry"), number, result)
        if code and boundary is not None and name is not None:
            if isinstance(boundary, tuple):  # a Point: it is the village's location, not a boundary
                lat, lng, boundary = *boundary, KEEP
            rows.append(GeoRow(number, code, name, lat, lng, boundary))
    return _without_duplicates(rows, result)


def _text(value):
    return "" if value is None else str(value).strip()


def _name(props, row, result):
    """The feature's name, checked as any text cell; None (an error recorded) when refused."""
    name = _text(props.get("name") or props.get("nama"))
    if has_forbidden_characters(name):
        result.error(row, _("nama berisi karakter kendali yang tidak boleh ada dalam data"))
        return None
    name = clean_text(name)
    if len(name) > NAME_LENGTH:
        result.error(row, _("nama terlalu panjang (%(length)s karakter)") % {"length": len(name)})
        return None
    return name


def _refuse_other_levels(codes):
    codes = [village_code(code) for code in codes if code]
    if (
        codes
        and not any(VILLAGE_CODE.fullmatch(code) for code in codes)
        and all(REGION_CODE.fullmatch(code) for code in codes)
    ):
        level = _("kecamatan") if codes[0].count(".") == 2 else _("kabupaten/kota")
        raise GeoLevelNotSupported(
            _(
                "Berkas ini berisi lokasi %(level)s (mis. kode %(code)s), bukan desa; "
                "hanya lokasi dan batas desa yang dimuat. Tidak ada yang diubah."
            )
            % {"level": level, "code": codes[0]}
        )


def _code(text, row, result):
    code = village_code(text)
    if not VILLAGE_CODE.fullmatch(code):
        result.error(row, _("kode desa %(code)r tidak sah (contoh: 63.04.03.2001)") % {"code": code})
        return None
    return code


def _coordinates(lat_text, lng_text, row, result, *, required):
    """(lat, lng) as Decimals, or (None, None) when absent and not required or wrong (an error is recorded)."""
    if not lat_text and not lng_text and not required:
        return None, None
    values = []
    for text, label, (low, high) in ((lat_text, _("lintang"), LAT_RANGE), (lng_text, _("bujur"), LNG_RANGE)):
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            result.error(row, _("%(label)s %(value)r bukan angka") % {"label": label, "value": text})
            return None, None
        if not low <= value <= high:
            result.error(
                row,
                _("%(label)s %(value)s di luar wilayah Indonesia (%(low)s s.d. %(high)s)")
                % {"label": label, "value": text, "low": low, "high": high},
            )
            return None, None
        values.append(value.quantize(PLACES))
    return tuple(values)


def _boundary(geometry, row, result):
    """The geometry dict of a Polygon/MultiPolygon, a (lat, lng) tuple for a Point, or None (error recorded)."""
    if not isinstance(geometry, dict):
        result.error(row, _("geometri kosong"))
        return None
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if _has_not_a_number(coordinates):
        result.error(row, _("koordinat berisi NaN atau Infinity, bukan angka"))
        return None
    if kind == "Point":
        if not _position(coordinates):
            result.error(row, _("titik %(value)r tidak sah") % {"value": coordinates})
            return None
        lat, lng = _coordinates(str(coordinates[1]), str(coordinates[0]), row, result, required=True)
        return (lat, lng) if lat is not None else None
    if kind not in BOUNDARY_TYPES:
        result.error(
            row, _("jenis geometri %(kind)r tidak didukung (Polygon, MultiPolygon atau Point)") % {"kind": kind}
        )
        return None
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons or not all(_polygon(polygon) for polygon in polygons):
        result.error(row, _("koordinat %(kind)s tidak sah") % {"kind": kind})
        return None
    positions = [position for polygon in polygons for ring in polygon for position in ring]
    if not all(
        LNG_RANGE[0] <= position[0] <= LNG_RANGE[1] and LAT_RANGE[0] <= position[1] <= LAT_RANGE[1]
        for position in positions
    ):
        result.error(row, _("koordinat batas di luar wilayah Indonesia (bujur, lintang tertukar?)"))
        return None
    return {"type": kind, "coordinates": coordinates}


def _has_not_a_number(value):
    if isinstance(value, list):
        return any(_has_not_a_number(item) for item in value)
    return isinstance(value, _NotANumber) or (isinstance(value, float) and not math.isfinite(value))


def _polygon(polygon):
    # A polygon is a list of linear rings, each at least four positions.
    return (
        isinstance(polygon, list)
        and bool(polygon)
        and all(isinstance(ring, list) and len(ring) >= 4 and all(_position(p) for p in ring) for ring in polygon)
    )


def _position(position):
    # Every number of a position (an altitude too) is stored: all must be numbers.
    return (
        isinstance(position, list)
        and len(position) >= 2
        and all(isinstance(number, int | float) and not isinstance(number, bool) for number in position)
    )


def _without_duplicates(rows, result):
    first = {}
    for row in rows:
        if row.code in first:
            result.error(
                row.row, _("kode %(code)s sudah ada di baris %(first)s") % {"code": row.code, "first": first[row.code]}
            )
        else:
            first[row.code] = row.row
    return rows
