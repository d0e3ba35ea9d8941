"""The classifier under the Decision 55/QĐ-BXD rule set, and under a changed rule set."""

from __future__ import annotations

from decimal import Decimal

import pytest

from registry_api.dwelling.classifier import DwellingFacts, Structure, classify
from registry_api.dwelling.reference import DWELLING_RULE_SETS
from registry_api.models import DwellingClass, DwellingRuleSet, LandStatus, Material, StructureState

D, N = Material.DURABLE, Material.NON_DURABLE
SOUND, DAMAGED, UNSAFE = StructureState.SOUND, StructureState.DAMAGED, StructureState.UNSAFE
OK = Structure(D, SOUND)
RULES = DwellingRuleSet(**DWELLING_RULE_SETS[0])


def facts(
    area: str,
    residents: int,
    foundation: Structure = OK,
    frame_walls: Structure = OK,
    roof: Structure = OK,
    land: LandStatus = LandStatus.RESIDENTIAL_UNDISPUTED,
) -> DwellingFacts:
    return DwellingFacts(Decimal(area), residents, foundation, frame_walls, roof, land)


@pytest.mark.parametrize(
    ("area", "residents", "expected", "criteria"),
    [
        ("17.99", 1, DwellingClass.TEMPORARY, ["area_single_person"]),
        ("18", 1, DwellingClass.ADEQUATE, []),  # "below 18 m2": 18 itself is not
        ("23.9", 3, DwellingClass.TEMPORARY, ["area_family"]),  # < 30 and 7.97 m2 per person
        ("24", 3, DwellingClass.ADEQUATE, []),  # exactly 8 m2 per person
        ("29", 2, DwellingClass.ADEQUATE, []),  # < 30 but 14.5 per person
        ("30", 5, DwellingClass.ADEQUATE, []),  # 6 per person but not < 30
    ],
)
def test_area_criterion(area: str, residents: int, expected: DwellingClass, criteria: list[str]) -> None:
    result = classify(facts(area, residents), RULES)
    assert (result.classification, result.criteria) == (expected, criteria)
    assert result.qualifies == (expected is not DwellingClass.ADEQUATE)


def test_structure_criterion_needs_two_non_durable_and_unsafe_structures() -> None:
    one = classify(facts("40", 2, foundation=Structure(N, UNSAFE), roof=Structure(N, DAMAGED)), RULES)
    assert (one.classification, one.criteria) == (DwellingClass.ADEQUATE, [])
    two = classify(facts("40", 2, foundation=Structure(N, UNSAFE), roof=Structure(N, UNSAFE)), RULES)
    assert (two.classification, two.criteria, two.qualifies) == (
        DwellingClass.TEMPORARY,
        ["structure_non_durable_unsafe"],
        True,
    )


def test_durable_but_unsafe_structures_make_a_dilapidated_house() -> None:
    result = classify(
        facts("40", 2, foundation=Structure(D, UNSAFE), frame_walls=Structure(D, UNSAFE)), RULES
    )
    assert (result.classification, result.criteria) == (DwellingClass.DILAPIDATED, ["structure_unsafe"])


def test_both_criteria_are_recorded() -> None:
    result = classify(facts("10", 1, roof=Structure(N, UNSAFE), frame_walls=Structure(N, UNSAFE)), RULES)
    assert result.criteria == ["area_single_person", "structure_non_durable_unsafe"]


@pytest.mark.parametrize(
    "land", [LandStatus.RESIDENTIAL_DISPUTED, LandStatus.NOT_RESIDENTIAL, LandStatus.UNKNOWN]
)
def test_a_house_off_undisputed_residential_land_does_not_qualify(land: LandStatus) -> None:
    result = classify(facts("10", 1, land=land), RULES)
    assert result.classification is DwellingClass.TEMPORARY
    assert result.qualifies is False
    assert result.criteria == ["area_single_person", "land_not_undisputed_residential"]


def test_the_thresholds_come_from_the_rule_set() -> None:
    stricter = DwellingRuleSet(**{**DWELLING_RULE_SETS[0], "single_person_min_area_m2": Decimal("20")})
    assert classify(facts("19", 1), RULES).classification is DwellingClass.ADEQUATE
    assert classify(facts("19", 1), stricter).classification is DwellingClass.TEMPORARY
