"""Import where villages are: centroids from a table (CSV/XLSX with code, lat, lng) and
boundaries from GeoJSON (a FeatureCollection whose features carry `properties.code`).

The whole file is checked first; any row error fails the import and nothing is
written (all-or-nothing). Codes that match no current village are counted and
listed, not errors. Re-running updates each village's row in place: a table sets
the point and keeps a known boundary, GeoJSON sets the boundary (and the point
when its properties have lat/lng). Kecamatan and kabupaten files are recognised
and refused as a whole with a clear message: only villages have a location model.
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from villages.index_import import DOTTED_CODE, IndexFileError, _normalise_code, read_table
from villages.models import Village, VillageGeo

CODE_COLUMNS = ("code", "kode", "kode_desa", "kode_wilayah")
LAT_COLUMNS = ("lat", "latitude", "lintang")
LNG_COLUMNS = ("lng", "lon", "long", "longitude", "bujur")
# Indonesia, with a margin: catches swapped or mistyped coordinates.
LAT_RANGE = (Decimal("-12"), Decimal("7"))
LNG_RANGE = (Decimal("94"), Decimal("142"))
PLACES = Decimal("0.000001")
REGION_CODE = re.compile(r"\d{2}\.\d{2}(\.\d{2})?")  # a regency or a district
BOUNDARY_TYPES = ("Polygon", "MultiPolygon")
MAX_LISTED_ERRORS = 500
KEEP = object()  # "this file says nothing about the boundary"


class GeoFileError(Exception):
    """The file as a whole cannot be read."""


class GeoLevelNotSupported(GeoFileError):
    """The file locates kecamatan or kabupaten, not villages."""


@dataclass
class GeoImportResult:
    kind: str  # "csv" or "geojson"
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)  # [{"row": n, "message": "…"}]
    unmatched: list = field(default_factory=list)  # [{"row": n, "code": "…", "name": "…"}]

    @property
    def ok(self):
        return not self.errors

    def error(self, row, message):
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append({"row": row, "message": message})


@dataclass
class GeoRow:
    row: int
    code: str
    name: str
    lat: Decimal | None
    lng: Decimal | None
    boundary: object = KEEP


def geo_import(*, data: bytes, source: str):
    """Check and load one coordinates or boundaries file; returns a GeoImportResult and writes
    nothing when it has errors. `source` (the file name) is recorded on each changed row."""
    if data.lstrip()[:1] == b"{":
        result = GeoImportResult(kind="geojson")
        rows = _read_geojson(data, result)
    else:
        result = GeoImportResult(kind="csv")
        rows = _read_table(data, result)
    if not result.ok:
        return result

    codes = {row.code for row in rows}
    current = set(Village.objects.current().filter(code__in=codes).values_list("code", flat=True))
    with transaction.atomic():
        existing = VillageGeo.objects.select_for_update().in_bulk([code for code in codes if code in current])
        to_create, to_update = [], []
        for row in rows:
            if row.code not in current:
                result.unmatched.append({"row": row.row, "code": row.code, "name": row.name})
                continue
            geo = existing.get(row.code)
            if geo is None:
                boundary = None if row.boundary is KEEP else row.boundary
                to_create.append(
                    VillageGeo(village_id=row.code, lat=row.lat, lng=row.lng, boundary=boundary, source=source)
                )
                continue
            changed = False
            if row.lat is not None and (geo.lat, geo.lng) != (row.lat, row.lng):
                geo.lat, geo.lng, changed = row.lat, row.lng, True
            if row.boundary is not KEEP and geo.boundary != row.boundary:
                geo.boundary, changed = row.boundary, True
            if changed:
                geo.source = source
                to_update.append(geo)
            else:
                result.unchanged += 1
        VillageGeo.objects.bulk_create(to_create)
        VillageGeo.objects.bulk_update(to_update, ["lat", "lng", "boundary", "source"])
    result.created, result.updated = len(to_create), len(to_update)
    return result


def _read_table(data, result):
    """Rows of a CSV/XLSX table with code, lat and lng columns."""
    try:
        table = read_table(data)
    except IndexFileError as error:
        raise GeoFileError(str(error)) from None
    if len(table) < 2:
        raise GeoFileError(_("Berkas tidak berisi baris data."))
    header = [cell.strip().lower() for cell in table[0]]

    def column(names, label):
        for name in names:
            if name in header:
                return header.index(name)
        raise GeoFileError(
            _("Kolom %(label)s tidak ditemukan (mis. %(names)s).") % {"label": label, "names": ", ".join(names)}
        )

    code_at = column(CODE_COLUMNS, _("kode desa"))
    lat_at, lng_at = column(LAT_COLUMNS, _("lintang")), column(LNG_COLUMNS, _("bujur"))
    name_at = header.index("name") if "name" in header else header.index("nama") if "nama" in header else None
    body = [(line, row) for line, row in enumerate(table[1:], start=2) if any(row)]
    result.total_rows = len(body)

    def cell(row, position):
        return row[position].strip() if position is not None and position < len(row) else ""

    _refuse_other_levels([cell(row, code_at) for _line, row in body])
    rows = []
    for line, row in body:
        code = _code(cell(row, code_at), line, result)
        lat, lng = _coordinates(cell(row, lat_at), cell(row, lng_at), line, result, required=True)
        if code and lat is not None:
            rows.append(GeoRow(line, code, cell(row, name_at), lat, lng))
    return _without_duplicates(rows, result)


def _read_geojson(data, result):
    """Rows of a GeoJSON FeatureCollection (or one Feature) of village boundaries."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
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
        return str(next((props[key] for key in CODE_COLUMNS if props.get(key) not in (None, "")), ""))

    _refuse_other_levels([code_of(properties(feature)) for feature in features])
    rows = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            result.error(number, _("bukan Feature GeoJSON"))
            continue
        props = properties(feature)
        code = _code(code_of(props), number, result)
        lat, lng = _coordinates(_text(props.get("lat")), _text(props.get("lng")), number, result, required=False)
        boundary = _boundary(feature.get("geometry"), number, result)
        if code and boundary is not None:
            if isinstance(boundary, tuple):  # a Point: it is the village's location, not a boundary
                lat, lng, boundary = *boundary, KEEP
            rows.append(GeoRow(number, code, str(props.get("name") or props.get("nama") or ""), lat, lng, boundary))
    return _without_duplicates(rows, result)


def _text(value):
    return "" if value is None else str(value).strip()


def _refuse_other_levels(codes):
    codes = [_normalise_code(code) for code in codes if code]
    if (
        codes
        and not any(DOTTED_CODE.fullmatch(code) for code in codes)
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
    code = _normalise_code(text)
    if not DOTTED_CODE.fullmatch(code):
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


def _polygon(polygon):
    # A polygon is a list of linear rings, each at least four positions.
    return (
        isinstance(polygon, list)
        and bool(polygon)
        and all(isinstance(ring, list) and len(ring) >= 4 and all(_position(p) for p in ring) for ring in polygon)
    )


def _position(position):
    return (
        isinstance(position, list)
        and len(position) >= 2
        and all(isinstance(number, int | float) and not isinstance(number, bool) for number in position[:2])
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
