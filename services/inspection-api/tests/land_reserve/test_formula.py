"""The 20% arithmetic and the money formula, with their rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from inspection_api.land_reserve.formula import Money, money_due, required_area_m2

TWENTY = Decimal("0.2000")


@pytest.mark.parametrize(
    ("residential", "required"),
    [
        ("100000", "20000.00"),
        ("12345.67", "2469.13"),  # 2469.134 -> down
        ("12345.68", "2469.14"),  # 2469.136 -> up
        ("0.03", "0.01"),  # 0.006 -> up
        ("10.025", "2.01"),  # 2.005 exactly -> half up
        ("99999999999.99", "20000000000.00"),  # 19,999,999,999.998 -> the column's scale
    ],
)
def test_required_area_is_twenty_percent_rounded_half_up(residential: str, required: str) -> None:
    assert required_area_m2(Decimal(residential), TWENTY) == Decimal(required)


def test_the_rate_comes_from_the_rule() -> None:
    assert required_area_m2(Decimal("1000"), Decimal("0.25")) == Decimal("250.00")


def test_money_is_land_fee_plus_twenty_percent_of_infrastructure() -> None:
    # 2,469.13 m² x 18,500,000 VND = 45,678,905,000; 20% x 1,000,000,000,003 = 200,000,000,000.6 -> ...001
    assert money_due(Decimal("2469.13"), 18_500_000, 1_000_000_000_003, TWENTY) == Money(
        land_fee_vnd=45_678_905_000, infrastructure_vnd=200_000_000_001, due_vnd=245_678_905_001
    )


def test_each_part_is_rounded_half_up_to_the_vnd_before_adding() -> None:
    # 0.01 m² x 150 VND = 1.5 -> 2; 20% x 7 VND = 1.4 -> 1; the unrounded sum (2.9) would give 3.
    assert money_due(Decimal("0.01"), 150, 7, TWENTY) == Money(
        land_fee_vnd=2, infrastructure_vnd=1, due_vnd=3
    )
    # 0.01 x 250 = 2.5 -> 3; 20% x 2 = 0.4 -> 0: 3 (the unrounded 2.9 rounds the same way here).
    assert money_due(Decimal("0.01"), 250, 2, TWENTY).due_vnd == 3
    assert money_due(Decimal("0.01"), 249, 2, TWENTY) == Money(2, 0, 2)


def test_a_rule_without_infrastructure_share_charges_the_land_fee_only() -> None:
    assert money_due(Decimal("2469.13"), 18_500_000, 1_000_000_000_003, Decimal("0")) == Money(
        45_678_905_000, 0, 45_678_905_000
    )


def test_results_are_integers() -> None:
    money = money_due(Decimal("3680.00"), 18_500_000, 126_500_000_000, TWENTY)
    assert all(type(v) is int for v in (money.land_fee_vnd, money.infrastructure_vnd, money.due_vnd))
    assert money.due_vnd == 3680 * 18_500_000 + 25_300_000_000
