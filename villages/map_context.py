"""What the maps draw around the villages they are about: the kecamatan of their regencies (boundary and
name) and every village of those regencies as a point coloured by its latest index status.

Scoped through `visible_to(user)`, and a fixed number of queries however many villages there are.
"""

from django.db.models import Exists, IntegerField, OuterRef, Subquery, Value
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from percontohan.links import record_urls
from regions.models import Regency
from villages.insights import NO_SCORE_COLOR, boundary_geometry, default_scheme
from villages.models import DistrictGeo, IndexScore, PilotVillage, VillageGeo

# A map shows the context of at most this many regencies (a request names them, or they are the
# regencies of the pilot villages in scope): enough for a BLM's pilot villages, light on a slow line.
MAX_REGENCIES = 12


def legend(scheme=None):
    """What a map's legend lists: the scheme's statuses and their colours, and the colour of no score."""
    scheme = scheme or default_scheme()
    return {
        "scheme": scheme,
        "statuses": list(scheme.statuses.all()) if scheme else [],
        "no_score_color": NO_SCORE_COLOR,
    }


def latest_scores(user, village_codes, scheme):
    """{village code: its latest score in the scheme, with its status} (one query)."""
    if scheme is None or not village_codes:
        return {}
    scores = (
        IndexScore.objects.visible_to(user)
        .filter(village__in=village_codes, scheme=scheme)
        .select_related("status")
        .defer("components")
        .order_by("village_id", "-year")
        .distinct("village_id")
    )
    return {score.village_id: score for score in scores}


def context_regencies(user, codes=None):
    """The codes of the regencies to draw around: those asked for (`codes`), else those of the pilot and
    candidate villages in the user's scope; only regencies the user may see, at most MAX_REGENCIES."""
    regencies = Regency.objects.visible_to(user)
    if codes:
        regencies = regencies.filter(code__in=codes)
    else:
        pilots = PilotVillage.objects.active().filter(village__district__regency=OuterRef("pk"))
        regencies = regencies.filter(Exists(pilots))
    return list(regencies.order_by("code").values_list("code", flat=True)[:MAX_REGENCIES])


def context_geojson(user, regency_codes, scheme):
    """A GeoJSON FeatureCollection: the kecamatan (kind "district": boundary, name and the point to write
    it at) and the located villages (kind "village": point, index status and colour) of the regencies."""
    districts = (
        DistrictGeo.objects.visible_to(user)
        .filter(district__regency__in_array=regency_codes)
        .select_related("district")
        .order_by("district_id")
    )
    features = [_district_feature(geo) for geo in districts]
    features += _village_features(user, regency_codes, scheme)
    return {"type": "FeatureCollection", "features": features}


def _district_feature(geo):
    label = [float(geo.lat), float(geo.lng)] if geo.lat is not None and geo.lng is not None else None
    return {
        "type": "Feature",
        "id": geo.district_id,
        "geometry": boundary_geometry(geo.boundary),
        "properties": {"kind": "district", "code": geo.district_id, "name": geo.district.name, "label": label},
    }


def _village_features(user, regency_codes, scheme):
    """Two queries: the located villages with the id of their latest score, then those scores.

    Read as rows of values, not as instances: a BLM's layer holds thousands of villages, each of which
    made five instances (its point, village, kecamatan, score and status) — two thirds of the layer's
    time. The statuses are the scheme's own, read with it."""
    geos = (
        VillageGeo.objects.visible_to(user)
        .filter(village__district__regency__in_array=regency_codes, village__retired_on__isnull=True)
        .filter(lat__isnull=False, lng__isnull=False)
        .order_by("village_id")
    )
    if scheme is not None:
        latest = IndexScore.objects.filter(village=OuterRef("village_id"), scheme=scheme).order_by("-year")
        geos = geos.annotate(latest_score_id=Subquery(latest.values("pk")[:1]))
    else:
        geos = geos.annotate(latest_score_id=Value(None, output_field=IntegerField()))
    columns = ("village_id", "village__name", "village__district__name", "lng", "lat", "latest_score_id")
    rows = list(geos.values_list(*columns))
    score_ids = [row[5] for row in rows if row[5] is not None]
    scores = {}
    if score_ids:
        statuses = {status.pk: status for status in scheme.statuses.all()}
        scores = {
            pk: (year, number_format(value, 4, use_l10n=True), statuses[status_id])
            for pk, year, value, status_id in IndexScore.objects.filter(pk__in=score_ids).values_list(
                "pk", "year", "value", "status_id"
            )
        }
    index = scheme.code.upper() if scheme else ""
    no_score = (None, "", None)
    no_score_label = _("Belum ada nilai")
    village_url = record_urls("villages:village")
    features = []
    for code, name, district, lng, lat, score_id in rows:
        year, value_display, status = scores.get(score_id, no_score)
        features.append(
            {
                "type": "Feature",
                "id": code,
                "geometry": {"type": "Point", "coordinates": [float(lng), float(lat)]},
                "properties": {
                    "kind": "village",
                    "code": code,
                    "name": name,
                    "district": district,
                    "url": village_url(code),
                    "index": index,
                    "year": year,
                    "value_display": value_display,
                    "status": status.label if status else no_score_label,
                    "color": status.color if status else NO_SCORE_COLOR,
                },
            }
        )
    return features
