"""Kecamatan boundaries (GeoJSON), drawn around the villages on the maps.

A FeatureCollection whose features carry `properties.code` (a kecamatan code,
63.04.03), `properties.name` and a Polygon or MultiPolygon; `lat`/`lng`
properties, when present, place the kecamatan's name. Geometry, names and
coordinates are checked as for village boundaries (villages.geo_import), and
the writing is the portal's import pattern (percontohan.imports): any bad
feature fails the file and nothing is written. Codes that match no current
kecamatan are listed, not errors. Re-running updates in place.
"""

import json
import re

from django.utils.translation import gettext as _

from percontohan.imports import ImportFailed, atomic_import, copy_insert, copy_update
from regions.models import District
from villages.geo_import import (
    GeoFileError,
    GeoImportResult,
    _boundary,
    _coordinates,
    _name,
    _NotANumber,
    _text,
)
from villages.models import DistrictGeo

DISTRICT_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}")
SOURCE_LENGTH = DistrictGeo._meta.get_field("source").max_length
FIELDS = ["lat", "lng", "boundary", "source"]


def district_geo_import(*, data: bytes, source: str):
    """Check and load a GeoJSON file of kecamatan boundaries; returns a GeoImportResult. Raises
    ImportFailed, having written nothing, when the file or any feature is bad. `source` (the file
    name) is recorded on each changed row."""
    result = GeoImportResult(kind="geojson")
    rows = _read(data, result)
    if result.errors:
        raise ImportFailed(result.errors, result)
    source = source[:SOURCE_LENGTH]
    codes = {row["code"] for row in rows}
    current = set(District.objects.current().filter(code__in=codes).values_list("code", flat=True))
    with atomic_import(result, lock="district-geo"):
        existing = DistrictGeo.objects.in_bulk(sorted(codes & current))
        new, changed = [], []
        for row in rows:
            if row["code"] not in current:
                result.unmatched.append({"row": row["row"], "code": row["code"], "name": row["name"]})
                continue
            values = (row["lat"], row["lng"], row["boundary"])
            geo = existing.get(row["code"])
            if geo is None:
                new.append((row["code"], *values, source))
            elif values == (geo.lat, geo.lng, geo.boundary):
                result.unchanged += 1
            else:
                changed.append((row["code"], *values, source))
        result.created = copy_insert(DistrictGeo, ["district", *FIELDS], new)
        result.updated = copy_update(DistrictGeo, ["district"], FIELDS, changed)
    return result


def _read(data, result):
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_constant=_NotANumber)
    except (UnicodeDecodeError, ValueError) as error:
        raise GeoFileError(_("GeoJSON tidak sah: %(error)s") % {"error": error}) from None
    is_collection = isinstance(document, dict) and document.get("type") == "FeatureCollection"
    features = document.get("features") if is_collection else None
    if not isinstance(features, list) or not features:
        raise GeoFileError(_("GeoJSON harus berupa FeatureCollection yang berisi fitur."))
    result.total_rows = len(features)
    rows, seen = [], {}
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        code = _text(props.get("code") or props.get("kode"))
        if not DISTRICT_CODE.fullmatch(code):
            result.error(number, _("kode kecamatan %(code)r tidak sah (contoh: 63.04.03)") % {"code": code})
            continue
        if code in seen:
            result.error(number, _("kode %(code)s sudah ada di fitur %(first)s") % {"code": code, "first": seen[code]})
            continue
        seen[code] = number
        name = _name(props, number, result)
        lat, lng = _coordinates(_text(props.get("lat")), _text(props.get("lng")), number, result, required=False)
        boundary = _boundary(feature.get("geometry") if isinstance(feature, dict) else None, number, result)
        if isinstance(boundary, tuple):
            result.error(number, _("kecamatan perlu batas wilayah (Polygon atau MultiPolygon), bukan titik"))
        elif boundary is not None and name is not None:
            rows.append({"row": number, "code": code, "name": name, "lat": lat, "lng": lng, "boundary": boundary})
    return rows
