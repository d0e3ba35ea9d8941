"""Classify a dwelling's facts under one rule set (pure: no database, no clock).

Decision 55/QĐ-BXD (20/1/2025): a house on undisputed residential land qualifies when it meets the
area criterion or the structure criterion. The thresholds come from the rule set row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from registry_api.models import DwellingClass, DwellingRuleSet, LandStatus, Material, StructureState

STRUCTURES = ("foundation", "frame_walls", "roof")

# Stable criterion codes, recorded on each assessment.
AREA_SINGLE_PERSON = "area_single_person"
AREA_FAMILY = "area_family"
STRUCTURE_NON_DURABLE_UNSAFE = "structure_non_durable_unsafe"
STRUCTURE_UNSAFE = "structure_unsafe"
LAND_NOT_ELIGIBLE = "land_not_undisputed_residential"


@dataclass(frozen=True)
class Structure:
    material: Material
    state: StructureState


@dataclass(frozen=True)
class DwellingFacts:
    floor_area_m2: Decimal
    residents: int
    foundation: Structure
    frame_walls: Structure
    roof: Structure
    land_status: LandStatus


@dataclass(frozen=True)
class Classification:
    classification: DwellingClass
    qualifies: bool
    criteria: list[str]


def classify(facts: DwellingFacts, rules: DwellingRuleSet) -> Classification:
    """The class, whether the house qualifies for support, and every criterion that fired."""
    criteria: list[str] = []
    if facts.residents == 1:
        if facts.floor_area_m2 < rules.single_person_min_area_m2:
            criteria.append(AREA_SINGLE_PERSON)
    elif (
        facts.floor_area_m2 < rules.family_min_area_m2
        and facts.floor_area_m2 / facts.residents < rules.family_min_area_per_person_m2
    ):
        criteria.append(AREA_FAMILY)
    structures = [facts.foundation, facts.frame_walls, facts.roof]
    failing = sum(
        1 for s in structures if s.material is Material.NON_DURABLE and s.state is StructureState.UNSAFE
    )
    unsafe = sum(1 for s in structures if s.state is StructureState.UNSAFE)
    if failing >= rules.min_failing_structures:
        criteria.append(STRUCTURE_NON_DURABLE_UNSAFE)
    elif unsafe >= rules.min_unsafe_structures_dilapidated:
        criteria.append(STRUCTURE_UNSAFE)
    if STRUCTURE_NON_DURABLE_UNSAFE in criteria or AREA_SINGLE_PERSON in criteria or AREA_FAMILY in criteria:
        result = DwellingClass.TEMPORARY
    elif STRUCTURE_UNSAFE in criteria:
        result = DwellingClass.DILAPIDATED
    else:
        result = DwellingClass.ADEQUATE
    land_ok = facts.land_status is LandStatus.RESIDENTIAL_UNDISPUTED
    if not land_ok:
        criteria.append(LAND_NOT_ELIGIBLE)
    return Classification(
        classification=result, qualifies=land_ok and result is not DwellingClass.ADEQUATE, criteria=criteria
    )
