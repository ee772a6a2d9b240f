"""Small helpers for the village page, list and map tests: real villages, real IDM values."""

from decimal import Decimal

from partners.models import Organisation
from regions.models import Regency, Village
from tests.factories import OrganisationFactory, UserFactory
from villages import services
from villages.models import AreaKind, IndexScheme, IndexScore, PilotStatus, ProgrammeArea, VillageGeo

# Path from a candidate to each status, as the lifecycle allows it.
STEPS = {
    PilotStatus.CANDIDATE: [],
    PilotStatus.ASSESSED: [PilotStatus.ASSESSED],
    PilotStatus.DESIGNATED: [PilotStatus.ASSESSED, PilotStatus.DESIGNATED],
    PilotStatus.GRADUATED: [PilotStatus.ASSESSED, PilotStatus.DESIGNATED, PilotStatus.GRADUATED],
    PilotStatus.DROPPED: [PilotStatus.DROPPED],
}


def idm():
    """The IDM scheme its data migration created."""
    return IndexScheme.objects.prefetch_related("statuses").get(code="idm")


def idm_score(code, year, iks, ike, ikl, value=None, published=None):
    """An IDM score as the import stores it: status from the thresholds, the published one beside it."""
    scheme = idm()
    components = {"iks": Decimal(iks), "ike": Decimal(ike), "ikl": Decimal(ikl)}
    value = Decimal(value) if value is not None else (sum(components.values()) / 3).quantize(Decimal("0.0001"))
    status = scheme.status_for(value)
    published = status.name if published is None else published
    score, _created = IndexScore.objects.update_or_create(
        village_id=code,
        scheme=scheme,
        year=year,
        defaults={
            "value": value,
            "components": {key: str(number) for key, number in components.items()},
            "status": status,
            "published_status": published,
            "status_disagrees": bool(published) and published != status.name,
        },
    )
    return score


def blm_banjarmasin():
    return Organisation.objects.filter(name="BLM Banjarmasin").first() or OrganisationFactory(
        name="BLM Banjarmasin", kind="blm"
    )


def pilot(code, status=PilotStatus.CANDIDATE, *, blm=None, user=None, period_start=2020, area=None):
    """A pilot village moved through the lifecycle to `status`, one recorded transition per step."""
    user = user or UserFactory(role="staf_blm", username="blm-penguji", regencies=("63",))
    designation = services.pilot_propose(
        village=Village.objects.get(code=code),
        responsible_blm=blm or blm_banjarmasin(),
        period_start=period_start,
        period_end=period_start + 4,
        programme_area=area,
        user=user,
        reason="Diusulkan dalam rapat koordinasi",
    )
    for step in STEPS[PilotStatus(status)]:
        services.pilot_transition(pilot=designation, to_status=step, user=user, reason=f"Langkah ke {step.label}")
    designation.refresh_from_db()
    return designation


def geo(code, lat, lng, boundary=None):
    return VillageGeo.objects.create(village_id=code, lat=Decimal(lat), lng=Decimal(lng), boundary=boundary)


def area(name="Kawasan Perdesaan Anjir Pasar", kind=AreaKind.RURAL, regency="63.04"):
    return ProgrammeArea.objects.create(name=name, kind=kind, regency=Regency.objects.get(code=regency))


def square(lng, lat, size="0.01"):
    """A small square boundary around a point (GeoJSON Polygon)."""
    lng, lat, half = float(lng), float(lat), float(size) / 2
    ring = [[lng - half, lat - half], [lng + half, lat - half], [lng + half, lat + half], [lng - half, lat + half]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
