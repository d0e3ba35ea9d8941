"""The 20% arithmetic and the money formula (pure functions; the rates come from a dated rule).

Rounding (documented in docs/rules/land-reserves-and-parcels.md):
- required area = residential land x reserve rate, rounded half up to 0.01 m²;
- land-use fee part = required area x land price (VND/m²), rounded half up to the whole VND;
- infrastructure part = technical-infrastructure cost x infrastructure rate, rounded half up to the VND;
- money due = the sum of the two parts (each rounded first), an integer VND.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENTI_M2 = Decimal("0.01")
ONE_VND = Decimal(1)


@dataclass(frozen=True, slots=True)
class Money:
    land_fee_vnd: int
    infrastructure_vnd: int
    due_vnd: int


def required_area_m2(residential_land_m2: Decimal, reserve_rate: Decimal) -> Decimal:
    return (residential_land_m2 * reserve_rate).quantize(CENTI_M2, rounding=ROUND_HALF_UP)


def money_due(
    required_m2: Decimal,
    land_price_vnd_per_m2: int,
    infrastructure_cost_vnd: int,
    infrastructure_rate: Decimal,
) -> Money:
    land_fee = int((required_m2 * land_price_vnd_per_m2).quantize(ONE_VND, rounding=ROUND_HALF_UP))
    infra = int(
        (Decimal(infrastructure_cost_vnd) * infrastructure_rate).quantize(ONE_VND, rounding=ROUND_HALF_UP)
    )
    return Money(land_fee_vnd=land_fee, infrastructure_vnd=infra, due_vnd=land_fee + infra)
