"""Villages: programme areas, pilot villages, site selection, development index, geography."""

from villages.models.geo import DistrictGeo, VillageGeo
from villages.models.index import IndexComponent, IndexImport, IndexScheme, IndexScore, IndexStatus
from villages.models.programme import (
    AreaKind,
    AreaMembership,
    PilotStatus,
    PilotTransition,
    PilotVillage,
    ProgrammeArea,
)
from villages.models.selection import SelectionCandidate, SelectionCriterion, SelectionRound, SelectionScore

__all__ = [
    "AreaKind",
    "AreaMembership",
    "DistrictGeo",
    "IndexComponent",
    "IndexImport",
    "IndexScheme",
    "IndexScore",
    "IndexStatus",
    "PilotStatus",
    "PilotTransition",
    "PilotVillage",
    "ProgrammeArea",
    "SelectionCandidate",
    "SelectionCriterion",
    "SelectionRound",
    "SelectionScore",
    "VillageGeo",
]
