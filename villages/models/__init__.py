"""Villages: regions, programme areas, pilot villages, site selection, development index, geography."""

from villages.models.geo import VillageGeo
from villages.models.index import IndexComponent, IndexImport, IndexScheme, IndexScore, IndexStatus
from villages.models.programme import (
    AreaKind,
    AreaMembership,
    PilotStatus,
    PilotTransition,
    PilotVillage,
    ProgrammeArea,
)
from villages.models.regions import (
    LEVELS,
    District,
    Province,
    Regency,
    Region,
    RegionImport,
    Village,
    VillageKind,
)
from villages.models.selection import SelectionCandidate, SelectionCriterion, SelectionRound, SelectionScore

__all__ = [
    "LEVELS",
    "AreaKind",
    "AreaMembership",
    "District",
    "IndexComponent",
    "IndexImport",
    "IndexScheme",
    "IndexScore",
    "IndexStatus",
    "PilotStatus",
    "PilotTransition",
    "PilotVillage",
    "ProgrammeArea",
    "Province",
    "Regency",
    "Region",
    "RegionImport",
    "SelectionCandidate",
    "SelectionCriterion",
    "SelectionRound",
    "SelectionScore",
    "Village",
    "VillageGeo",
    "VillageKind",
]
