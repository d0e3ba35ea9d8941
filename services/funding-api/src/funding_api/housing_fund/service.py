"""The province's housing fund (Decree 302/2025/NĐ-CP): immutable inflows and outflows.

The balance is derived from the movements. Every write takes the province's fund lock, checks that
the balance stays at or above zero and inserts; the database trigger takes the same lock and checks
again, so two racing outflows (or a direct INSERT) cannot overdraw the fund. A correction is a
reversing movement (the other direction, same category and amount), at most one per movement.

In-lieu inflows (money paid instead of the 20% land fund) name inspection-api's land-reserve
obligation. The reference is stored unverified; `verify_references` (a periodic worker job) asks
inspection-api and marks it verified or not found, leaving it unverified while inspection-api is down.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.clients.inspection import InspectionClient
from funding_api.housing_fund.errors import (
    InsufficientBalance,
    MovementAlreadyReversed,
    MovementInvalid,
    MovementNotFound,
    ProvinceNotCovered,
    ReversalNotReversible,
)
from funding_api.housing_fund.repository import AlreadyReversed, BalanceWouldGoNegative, HousingFundRepository
from funding_api.housing_fund.schemas import (
    CategoryNet,
    FundBalance,
    FundProjection,
    MovementCreate,
    ProjectionYear,
    ReversalCreate,
)
from funding_api.models import OutboxEvent
from funding_api.models.housing_fund import (
    HousingFundMovement,
    InflowKind,
    MovementDirection,
    OutflowPurpose,
    ReferenceStatus,
)
from servicekit.errors import AppError, FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
VERIFY_JOB = "housing_fund.verify_references"
VERIFY_BATCH = 100
PROJECTION_METHOD = "recent_year_average"
INFLOW_KINDS = frozenset(k.value for k in InflowKind)
OUTFLOW_PURPOSES = frozenset(p.value for p in OutflowPurpose)


def local_today() -> date:
    return datetime.now(LOCAL_TZ).date()


def _invalid(pointer: str, code: str, message: str) -> MovementInvalid:
    return MovementInvalid(message, errors=[FieldError(pointer=pointer, code=code, message=message)])


def _other(direction: str) -> str:
    return MovementDirection.OUTFLOW.value if direction == MovementDirection.INFLOW.value else "inflow"


def _category_direction(category: str) -> str:
    """Whether a category is an inflow kind or an outflow purpose (a reversal keeps its category)."""
    return MovementDirection.INFLOW.value if category in INFLOW_KINDS else MovementDirection.OUTFLOW.value


async def _emit(session: AsyncSession, type_: str, movement: HousingFundMovement, **data: object) -> None:
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("funding", "housing-fund-movement", movement.id),
        area_codes=[movement.province_code],
        data={
            "movement_id": movement.id,
            "province_code": movement.province_code,
            "direction": movement.direction,
            "category": movement.category,
            "amount_vnd": movement.amount_vnd,
            "occurred_on": movement.occurred_on,
            **data,
        },
    )


@dataclass(frozen=True, slots=True)
class VerificationResult:
    verified: int
    not_found: int
    pending: int
    upstream_down: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "not_found": self.not_found,
            "pending": self.pending,
            "upstream_down": self.upstream_down,
        }


class HousingFundService:
    async def _insert(
        self, session: AsyncSession, movement: HousingFundMovement, repo: HousingFundRepository
    ) -> HousingFundMovement:
        await repo.lock_fund(movement.province_code)
        if movement.direction == MovementDirection.OUTFLOW.value:
            totals = await repo.totals(movement.province_code)
            if movement.amount_vnd > totals.balance_vnd:
                raise InsufficientBalance(
                    f"The fund of province {movement.province_code} holds {totals.balance_vnd} VND."
                )
        try:
            return await repo.save(movement)
        except BalanceWouldGoNegative as exc:  # the trigger's backstop; the check above normally answers
            raise InsufficientBalance(
                f"The fund of province {movement.province_code} would go negative."
            ) from exc

    async def record(
        self, session: AsyncSession, caller: Principal, data: MovementCreate
    ) -> HousingFundMovement:
        if not caller.covers(data.province_code, None):
            raise ProvinceNotCovered(f"You do not cover province {data.province_code}.")
        category = data.category.value
        if _category_direction(category) != data.direction.value:
            raise _invalid(
                "/body/category",
                "category_not_for_direction",
                f"{category!r} is not an {data.direction.value} category.",
            )
        in_lieu = category == InflowKind.IN_LIEU_LAND_FUND.value
        if in_lieu and data.obligation_id is None:
            raise _invalid(
                "/body/obligation_id", "missing", "An in-lieu payment names the land-reserve obligation."
            )
        if not in_lieu and data.obligation_id is not None:
            raise _invalid("/body/obligation_id", "not_allowed", "Only in-lieu payments name an obligation.")
        movement = HousingFundMovement(
            province_code=data.province_code,
            direction=data.direction.value,
            category=category,
            amount_vnd=data.amount_vnd,
            occurred_on=data.occurred_on,
            document_number=data.document_number,
            document_date=data.document_date,
            description=data.description,
            obligation_id=data.obligation_id,
            reference_status=ReferenceStatus.UNVERIFIED.value if in_lieu else None,
            reference_attempts=0,
            recorded_by=caller.subject,
        )
        await self._insert(session, movement, HousingFundRepository(session))
        await _emit(
            session,
            "housing_fund.movement_recorded",
            movement,
            obligation_id=movement.obligation_id,
            reference_status=movement.reference_status,
        )
        return movement

    async def reverse(
        self, session: AsyncSession, caller: Principal, movement_id: uuid.UUID, data: ReversalCreate
    ) -> HousingFundMovement:
        repo = HousingFundRepository(session)
        original = await self.get(session, caller, movement_id)
        if original.reverses_id is not None:
            raise ReversalNotReversible(f"Movement {movement_id} is itself a reversal.")
        if data.occurred_on < original.occurred_on:
            raise _invalid(
                "/body/occurred_on", "before_original", "A reversal cannot predate the movement it reverses."
            )
        if await repo.reversal_of(original.id) is not None:
            raise MovementAlreadyReversed(f"Movement {movement_id} has already been reversed.")
        reversal = HousingFundMovement(
            province_code=original.province_code,
            direction=_other(original.direction),
            category=original.category,
            amount_vnd=original.amount_vnd,
            occurred_on=data.occurred_on,
            document_number=data.document_number,
            document_date=data.document_date,
            description=data.description,
            reverses_id=original.id,
            reference_attempts=0,
            recorded_by=caller.subject,
        )
        try:
            await self._insert(session, reversal, repo)
        except AlreadyReversed as exc:  # a concurrent reversal won the unique key
            raise MovementAlreadyReversed(f"Movement {movement_id} has already been reversed.") from exc
        await _emit(session, "housing_fund.movement_reversed", reversal, reverses_id=original.id)
        return reversal

    async def get(
        self, session: AsyncSession, caller: Principal, movement_id: uuid.UUID
    ) -> HousingFundMovement:
        movement = await HousingFundRepository(session).get_in_area(movement_id, caller.area)
        if movement is None:
            raise MovementNotFound(f"No housing fund movement {movement_id} in your area.")
        return movement

    async def list_movements(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        province_code: str | None,
        direction: str | None,
        category: str | None,
        reference_status: str | None,
    ) -> tuple[list[HousingFundMovement], str | None]:
        return await HousingFundRepository(session).list_movements(
            params,
            area=caller.area,
            province_code=province_code,
            direction=direction,
            category=category,
            reference_status=reference_status,
        )

    async def balance(
        self, session: AsyncSession, caller: Principal, province_code: str, as_of: date | None
    ) -> FundBalance:
        if not caller.covers(province_code, None):
            raise ProvinceNotCovered(f"You do not cover province {province_code}.")
        repo = HousingFundRepository(session)
        totals = await repo.totals(province_code, as_of=as_of)
        net: dict[str, int] = defaultdict(int)
        for row in await repo.sums_by_category(province_code, as_of=as_of):
            sign = 1 if row.direction == _category_direction(row.category) else -1
            net[row.category] += sign * row.amount_vnd
        return FundBalance(
            province_code=province_code,
            as_of=as_of,
            balance_vnd=totals.balance_vnd,
            inflow_vnd=totals.inflow_vnd,
            outflow_vnd=totals.outflow_vnd,
            by_category=[
                CategoryNet(direction=MovementDirection(_category_direction(c)), category=c, net_vnd=v)
                for c, v in sorted(net.items())
            ],
        )

    async def projection(
        self,
        session: AsyncSession,
        caller: Principal,
        province_code: str,
        *,
        years: int,
        basis_years: int,
        as_of: date | None,
    ) -> FundProjection:
        """Each year ahead expects the average net inflow per kind and outflow per purpose of the
        `basis_years` complete years before `as_of`'s year, starting from the balance on `as_of`."""
        if not caller.covers(province_code, None):
            raise ProvinceNotCovered(f"You do not cover province {province_code}.")
        as_of = as_of or local_today()
        repo = HousingFundRepository(session)
        opening = (await repo.totals(province_code, as_of=as_of)).balance_vnd
        first, last = as_of.year - basis_years, as_of.year - 1
        net: dict[str, int] = defaultdict(int)
        for row in await repo.yearly_sums(province_code, first, last):
            sign = 1 if row.direction == _category_direction(row.category) else -1
            net[row.category] += sign * row.amount_vnd
        # Floor division: a projection never promises money the basis did not show.
        average = {c: v // basis_years for c, v in sorted(net.items()) if v > 0}
        inflows = {c: v for c, v in average.items() if c in INFLOW_KINDS}
        outflows = {c: v for c, v in average.items() if c in OUTFLOW_PURPOSES}
        expected_in, expected_out = sum(inflows.values()), sum(outflows.values())
        rows: list[ProjectionYear] = []
        balance = opening
        for offset in range(1, years + 1):
            balance += expected_in - expected_out
            rows.append(
                ProjectionYear(
                    year=as_of.year + offset,
                    expected_inflow_vnd=expected_in,
                    expected_outflow_vnd=expected_out,
                    projected_closing_balance_vnd=balance,
                    shortfall=balance < 0,
                    inflows_by_kind=inflows,
                    outflows_by_purpose=outflows,
                )
            )
        return FundProjection(
            province_code=province_code,
            as_of=as_of,
            method=PROJECTION_METHOD,
            basis_years=list(range(first, last + 1)),
            opening_balance_vnd=opening,
            years=rows,
        )

    async def verify_references(
        self, session: AsyncSession, client: InspectionClient, *, limit: int = 1000
    ) -> VerificationResult:
        """Ask inspection-api about up to `limit` unverified obligations; stop at the first failure to
        answer (those left stay unverified for the next run)."""
        repo = HousingFundRepository(session)
        verified = not_found = 0
        upstream_down = False
        after: uuid.UUID | None = None
        seen = 0
        while seen < limit and not upstream_down:
            batch = await repo.unverified_batch(after=after, limit=min(VERIFY_BATCH, limit - seen))
            if not batch:
                break
            for movement in batch:
                after = movement.id
                seen += 1
                if movement.obligation_id is None:  # pragma: no cover - a check constraint forbids it
                    continue
                now = datetime.now(UTC)
                try:
                    obligation = await client.land_reserve_obligation(movement.obligation_id)
                except AppError:
                    movement.reference_attempts += 1
                    movement.reference_checked_at = now
                    upstream_down = True
                    break
                movement.reference_attempts += 1
                movement.reference_checked_at = now
                if obligation is None:
                    movement.reference_status = ReferenceStatus.NOT_FOUND.value
                    movement.reference_detail = {"reason": "unknown_obligation"}
                    not_found += 1
                    await _emit(
                        session,
                        "housing_fund.reference_not_found",
                        movement,
                        obligation_id=movement.obligation_id,
                    )
                    continue
                warnings = []
                if obligation.method not in (None, "pay_money"):
                    warnings.append("method_not_pay_money")
                if obligation.province_code not in (None, movement.province_code):
                    warnings.append("other_province")
                movement.reference_status = ReferenceStatus.VERIFIED.value
                movement.reference_detail = {
                    "commercial_project_id": str(obligation.commercial_project_id)
                    if obligation.commercial_project_id
                    else None,
                    "method": obligation.method,
                    "status": obligation.status,
                    "province_code": obligation.province_code,
                    "money_due_vnd": obligation.money_due_vnd,
                    "warnings": warnings,
                }
                verified += 1
                await _emit(
                    session,
                    "housing_fund.reference_verified",
                    movement,
                    obligation_id=movement.obligation_id,
                    warnings=warnings,
                )
            await repo.flush()
        await repo.flush()
        return VerificationResult(
            verified=verified,
            not_found=not_found,
            pending=await repo.count_unverified(),
            upstream_down=upstream_down,
        )


housing_fund_service = HousingFundService()
