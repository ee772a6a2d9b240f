"""What the village pages read from the data: index trends, the gap to the next status,
pilot designations, area memberships and the villages on the map.

Reads only, each scoped through `visible_to(user)` and each a fixed number of
queries however many rows there are. The index rules (thresholds, statuses)
come from the scheme's rows, never from code.
"""

import functools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from percontohan import records
from percontohan.scoping import read_scope
from regions.models import Village
from villages.models import (
    AreaMembership,
    IndexComponent,
    IndexScheme,
    IndexScore,
    IndexStatus,
    PilotStatus,
    PilotTransition,
    PilotVillage,
    VillageGeo,
)

# The scheme the village list and the map show unless told otherwise. Which
# scheme that is, is a choice of the programme; its rules stay data.
DEFAULT_SCHEME_CODE = "idm"
# Colour of a village with no score (also the default of IndexStatus.color).
NO_SCORE_COLOR = "#6c757d"
FOUR_PLACES = Decimal("0.0001")


def default_scheme():
    """The IDM scheme when it exists, else the first scheme, its statuses prefetched (every page that
    shows the index colours or filters by them); its components are read by the village page alone.

    Through SQL written once (percontohan.records): the home page, the village list and the map read it
    on every request, and the ORM spent five times the two queries' own cost building them."""
    scheme_sql, statuses_sql = _default_scheme_sql()
    schemes = records.read(IndexScheme, scheme_sql, [DEFAULT_SCHEME_CODE])
    if not schemes:
        return None
    return records.prefetched(schemes[0], "statuses", records.read(IndexStatus, statuses_sql, [schemes[0].pk]))


@functools.cache
def _default_scheme_sql():
    scheme, status = IndexScheme._meta.db_table, IndexStatus._meta.db_table
    # The names are the models' own; the code and the scheme are parameters.
    first = f'"{scheme}"."code" = %s DESC, "{scheme}"."code"'
    return (
        f'SELECT {records.columns(IndexScheme)} FROM "{scheme}" ORDER BY {first} LIMIT 1',  # noqa: S608
        # As IndexStatus.Meta.ordering, within one scheme.
        f'SELECT {records.columns(IndexStatus)} FROM "{status}" '  # noqa: S608
        f'WHERE "{status}"."scheme_id" = %s ORDER BY "{status}"."order"',
    )


def scheme_years(scheme):
    """The years that have scores in the scheme, newest first (read on every home page and village list).

    A loose index scan: the newest year, then the newest before it, and so on, each one probe of the
    (scheme, year, status) index — a few dozen index pages for a handful of years. SELECT DISTINCT year
    reads every score of the scheme in that index instead (74,661 for IDM 2024: ~16 ms). Django has no
    recursive CTE, hence the SQL. Nothing to invalidate, unlike a cache: hand-entered scores count at once.
    """
    if scheme is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE years(year) AS (
                SELECT MAX(year) FROM villages_indexscore WHERE scheme_id = %(scheme)s
                UNION ALL
                SELECT (SELECT MAX(year) FROM villages_indexscore WHERE scheme_id = %(scheme)s AND year < years.year)
                FROM years WHERE years.year IS NOT NULL
            )
            SELECT year FROM years WHERE year IS NOT NULL
            """,
            {"scheme": scheme.pk},
        )
        return [row[0] for row in cursor.fetchall()]


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


# --- The gap to the next status --------------------------------------------


@dataclass
class ComponentGap:
    """How far one component is below the threshold of the next status (0 when it is not)."""

    code: str
    name: str
    value: Decimal | None
    gap: Decimal | None

    @property
    def reached(self):
        return self.gap == 0


@dataclass
class StatusGap:
    """Where a score stands: its status, the next one up and how far below its threshold it is."""

    value: Decimal
    status: object  # IndexStatus
    next_status: object = None  # IndexStatus, None at the top
    threshold: Decimal | None = None  # the value must rise above this to reach next_status
    gap: Decimal | None = None
    components: list = field(default_factory=list)


def status_gap(score, statuses, components):
    """The gap of a score to the next status of its scheme, overall and per component.

    The next status starts above the current status's upper bound, so that bound
    is the threshold; a component at or above it has a gap of 0.
    """
    scheme = score.scheme
    status = scheme.status_for(score.value, statuses)
    if status is None:
        return None
    next_status = scheme.next_status(status, statuses)
    gap = StatusGap(value=score.value, status=status, next_status=next_status)
    if next_status is None or status.upper_bound is None:
        return gap
    gap.threshold = status.upper_bound
    gap.gap = (status.upper_bound - score.value).quantize(FOUR_PLACES)
    for component in components:
        value = _decimal(score.components.get(component.code))
        below = None if value is None else max(status.upper_bound - value, Decimal("0")).quantize(FOUR_PLACES)
        gap.components.append(ComponentGap(component.code.upper(), component.name, value, below))
    return gap


# --- A village's index over the years --------------------------------------


@dataclass
class IndexTrend:
    """A village's scores in one scheme, oldest year first, with what the page shows of them."""

    scheme: IndexScheme
    components: list
    statuses: list
    scores: list
    gap: StatusGap | None = None

    @property
    def latest(self):
        return self.scores[-1] if self.scores else None

    @property
    def chart_id(self):
        return f"index-chart-{self.scheme.code}"

    @property
    def chart(self):
        """The chart's data: the index and its components per year, and the status thresholds."""
        series = [{"label": self.scheme.code.upper(), "main": True, "values": [float(s.value) for s in self.scores]}]
        for component in self.components:
            values = [_decimal(s.components.get(component.code)) for s in self.scores]
            series.append(
                {
                    "label": component.code.upper(),
                    "main": False,
                    "values": [None if v is None else float(v) for v in values],
                }
            )
        thresholds = []
        for status in self.statuses:
            following = self.scheme.next_status(status, self.statuses)
            if status.upper_bound is not None and following is not None:
                thresholds.append(
                    {"label": following.label, "value": float(status.upper_bound), "color": following.color}
                )
        return {
            "labels": [s.year for s in self.scores],
            "series": series,
            "thresholds": thresholds,
        }


# A village's own records on its page, each query compiled once per process and run with the village's
# code (percontohan.records.Prepared). The page read the village through visible_to(user); its scores,
# pilot designations and geometry lie in the village's own regency, the path by which they are scoped
# (scope_lookup "village__district__regency"), so the user sees every one of them.
VILLAGE_SCORES = records.Prepared(
    lambda code: (
        IndexScore.objects.filter(village_id=code).select_related("scheme", "status").order_by("scheme__code", "year")
    )
)
# The components and statuses of the schemes the village has scores in.
VILLAGE_SCHEME_COMPONENTS = records.Prepared(
    lambda code: IndexComponent.objects.filter(scheme__scores__village_id=code).distinct()
)
VILLAGE_SCHEME_STATUSES = records.Prepared(
    lambda code: IndexStatus.objects.filter(scheme__scores__village_id=code).distinct()
)
VILLAGE_PILOTS = records.Prepared(
    lambda code: (
        PilotVillage.objects.filter(village_id=code)
        .select_related("responsible_blm", "programme_area", "selection_round")
        .order_by("-period_start")
    )
)
VILLAGE_PILOT_TRANSITIONS = records.Prepared(
    lambda code: PilotTransition.objects.filter(pilot__village_id=code).select_related("by").order_by("at", "pk")
)
VILLAGE_GEO = records.Prepared(lambda code: VillageGeo.objects.filter(village_id=code))


def village_index_trends(village):
    """One trend per scheme the village has scores in (three queries however many years and schemes)."""
    components = records.grouped(VILLAGE_SCHEME_COMPONENTS(village.code), "scheme_id")
    statuses = records.grouped(VILLAGE_SCHEME_STATUSES(village.code), "scheme_id")
    trends = {}
    for score in VILLAGE_SCORES(village.code):
        trend = trends.get(score.scheme_id)
        if trend is None:
            scheme = score.scheme
            records.prefetched(scheme, "components", components[scheme.pk])
            records.prefetched(scheme, "statuses", statuses[scheme.pk])
            trend = trends[score.scheme_id] = IndexTrend(
                scheme=scheme, components=components[scheme.pk], statuses=statuses[scheme.pk], scores=[]
            )
        score.component_values = [_decimal(score.components.get(c.code)) for c in trend.components]
        trend.scores.append(score)
    for trend in trends.values():
        trend.gap = status_gap(trend.latest, trend.statuses, trend.components)
    return list(trends.values())


# --- Programme areas and pilot designations ---------------------------------


VILLAGE_MEMBERSHIPS = records.Prepared(
    lambda codes, village_code, day: (
        AreaMembership.objects.within(codes)
        .filter(village_id=village_code)
        .select_related("area")
        .annotate(is_current=ExpressionWrapper(AreaMembership.valid_on_q(day), output_field=BooleanField()))
        .order_by("-valid_from", "area__name")
    )
)


def village_memberships(village, user, day=None):
    """The village's programme areas over time that `user` may see, newest first, each flagged when valid
    on `day` (today); a list."""
    return VILLAGE_MEMBERSHIPS(read_scope(user), village.code, day or timezone.localdate())


def village_pilots(village):
    """The village's pilot designations, newest period first, with their transitions (who, when, why)."""
    transitions = records.grouped(VILLAGE_PILOT_TRANSITIONS(village.code), "pilot_id")
    pilots = VILLAGE_PILOTS(village.code)
    for pilot in pilots:
        records.prefetched(pilot, "transitions", transitions[pilot.pk])
    return pilots


def village_geo(village):
    """The village's point and boundary, or None."""
    return next(iter(VILLAGE_GEO(village.code)), None)


def boundary_geometry(boundary):
    """The geometry in a stored boundary, whether it was kept as a geometry, a Feature or a FeatureCollection."""
    if not boundary or not isinstance(boundary, dict):
        return None
    kind = boundary.get("type")
    if kind == "Feature":
        return boundary.get("geometry")
    if kind == "FeatureCollection":
        geometries = [f.get("geometry") for f in boundary.get("features", []) if f.get("geometry")]
        if not geometries:
            return None
        return geometries[0] if len(geometries) == 1 else {"type": "GeometryCollection", "geometries": geometries}
    return boundary if kind else None


def village_map_data(village, geo, color=None):
    """What the village page's map draws: its point and boundary, and the tile layer when one is set."""
    if geo is None:
        return None
    point = [float(geo.lat), float(geo.lng)] if geo.lat is not None and geo.lng is not None else None
    boundary = boundary_geometry(geo.boundary)
    if point is None and boundary is None:
        return None
    return {
        "name": village.name,
        "point": point,
        "boundary": boundary,
        "color": color or NO_SCORE_COLOR,
        "tileUrl": settings.MAP_TILE_URL,
    }


# --- The village list ------------------------------------------------------


def latest_pilot_status():
    """A subquery: the status of the village's latest designation (by period), or NULL."""
    return Subquery(PilotVillage.objects.filter(village=OuterRef("pk")).order_by("-period_start").values("status")[:1])


def with_index(queryset, scheme, year):
    """Villages with their score of one scheme and year: index_value and index_status_* (NULL when none).

    One LEFT JOIN (a village has at most one score per scheme and year), so the
    list costs the same number of queries at any size.
    """
    if scheme is None or year is None:
        # Typed NULLs: PostgreSQL refuses to sort by a bare NULL, and the list sorts by the index.
        return queryset.annotate(
            index_value=Cast(Value(None), DecimalField(max_digits=7, decimal_places=4)),
            index_status_id=Cast(Value(None), IntegerField()),
            index_status_name=Cast(Value(None), CharField()),
            index_status_color=Cast(Value(None), CharField()),
            index_order=Cast(Value(None), IntegerField()),
        )
    return queryset.annotate(
        score=FilteredRelation("index_scores", condition=Q(index_scores__scheme=scheme, index_scores__year=year)),
        index_value=F("score__value"),
        index_status_id=F("score__status_id"),
        index_status_name=F("score__status__name"),
        index_status_color=F("score__status__color"),
        index_order=F("score__status__order"),
    )


# --- The map of pilot villages ---------------------------------------------


@dataclass
class MapVillage:
    village: Village
    pilot_status: str
    score: IndexScore | None
    geo: VillageGeo | None

    @property
    def color(self):
        return self.score.status.color if self.score else NO_SCORE_COLOR

    @property
    def pilot_status_label(self):
        return PilotStatus(self.pilot_status).label


def pilot_map_villages(user, scheme):
    """Pilot and candidate villages in the user's scope (designations not dropped), each with its latest
    score in the scheme and its location. Four queries however many villages."""
    active = PilotVillage.objects.active().filter(village=OuterRef("pk"))
    latest_score = IndexScore.objects.filter(village=OuterRef("pk"), scheme=scheme).order_by("-year")
    villages = list(
        Village.objects.visible_to(user)
        .filter(Exists(active))
        .select_related("district")
        .annotate(
            active_status=Subquery(active.order_by("-period_start").values("status")[:1]),
            latest_score_id=Subquery(latest_score.values("pk")[:1]),
        )
        .order_by("name", "code")
    )
    score_ids = [v.latest_score_id for v in villages if v.latest_score_id]
    scores = IndexScore.objects.select_related("status").defer("components").in_bulk(score_ids) if score_ids else {}
    geos = VillageGeo.objects.in_bulk([v.pk for v in villages]) if villages else {}
    return [MapVillage(v, v.active_status, scores.get(v.latest_score_id), geos.get(v.pk)) for v in villages]


def pilot_map_geojson(entries, scheme):
    """A GeoJSON FeatureCollection of the villages that have a point or a boundary."""
    features = []
    for entry in entries:
        geometries = []
        geo = entry.geo
        if geo is not None and geo.lat is not None and geo.lng is not None:
            geometries.append({"type": "Point", "coordinates": [float(geo.lng), float(geo.lat)]})
        boundary = boundary_geometry(geo.boundary) if geo is not None else None
        if boundary:
            geometries.append(boundary)
        if not geometries:
            continue
        score = entry.score
        features.append(
            {
                "type": "Feature",
                "id": entry.village.code,
                "geometry": geometries[0]
                if len(geometries) == 1
                else {"type": "GeometryCollection", "geometries": geometries},
                "properties": {
                    "code": entry.village.code,
                    "name": entry.village.name,
                    "district": entry.village.district.name,
                    "url": entry.village.get_absolute_url(),
                    "pilot_status": entry.pilot_status_label,
                    "index": scheme.code.upper() if scheme else "",
                    "year": score.year if score else None,
                    "value": float(score.value) if score else None,
                    "value_display": number_format(score.value, 4, use_l10n=True) if score else "",
                    "status": score.status.label if score else _("Belum ada nilai"),
                    "color": entry.color,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
