from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select, text
from sqlalchemy.orm import InstrumentedAttribute

from funding_api.models import (
    LendingPlan,
    Loan,
    LoanCap,
    LoanEvent,
    LoanEventType,
    LoanException,
    LoanExceptionStatus,
    LoanRate,
    LoanReconciliation,
)
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams

# pg_advisory_xact_lock(key1, key2): key1 names this use, key2 the loan reference's hash.
LOAN_LOCK_SPACE = 1701


def valid_on(model: type[LoanRate] | type[LoanCap] | type[LendingPlan], day: date) -> ColumnElement[bool]:
    return and_(model.valid_from <= day, or_(model.valid_to.is_(None), model.valid_to >= day))


def in_area(
    area: AreaScope, province: InstrumentedAttribute[str], commune: InstrumentedAttribute[str | None]
) -> ColumnElement[bool]:
    return area.sql_filter(province, commune)


class LoanRepository(RepositoryBase[Loan]):
    model = Loan

    async def lock_reference(self, loan_ref: str) -> None:
        """Serialise every change to one loan (even its creation) until the transaction ends."""
        await self.session.execute(
            select(func.pg_advisory_xact_lock(LOAN_LOCK_SPACE, func.hashtext(literal(loan_ref))))
        )

    async def by_ref(self, loan_ref: str) -> Loan | None:
        stmt = select(Loan).where(Loan.bank_loan_ref == loan_ref).execution_options(populate_existing=True)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_in_area(self, loan_id: uuid.UUID, area: AreaScope) -> Loan | None:
        return await self.get(loan_id, in_area(area, Loan.province_code, Loan.commune_code))

    async def list_loans(
        self, params: PageParams, *, area: AreaScope, status: str | None, eligibility_status: str | None
    ) -> tuple[list[Loan], str | None]:
        stmt = select(Loan).where(in_area(area, Loan.province_code, Loan.commune_code))
        if status is not None:
            stmt = stmt.where(Loan.status == status)
        if eligibility_status is not None:
            stmt = stmt.where(Loan.eligibility_status == eligibility_status)
        return await self.paginate(stmt, params)

    async def pending_eligibility_ids(self, limit: int) -> list[uuid.UUID]:
        stmt = select(Loan.id).where(Loan.eligibility_status == "pending").order_by(Loan.id).limit(limit)
        return list((await self.session.execute(stmt)).scalars())


class LoanEventRepository(RepositoryBase[LoanEvent]):
    model = LoanEvent

    async def for_loan(self, loan_id: uuid.UUID) -> list[LoanEvent]:
        """Every event of one loan in the bank's order (a loan has a handful; bounded by the bank)."""
        stmt = (
            select(LoanEvent)
            .where(LoanEvent.loan_id == loan_id)
            .order_by(LoanEvent.bank_sequence, LoanEvent.bank_event_id)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def list_for_loan(
        self, loan_id: uuid.UUID, params: PageParams
    ) -> tuple[list[LoanEvent], str | None]:
        stmt = select(LoanEvent).where(LoanEvent.loan_id == loan_id)
        return await self.paginate(
            stmt, params, order_by=[LoanEvent.bank_sequence, LoanEvent.bank_event_id, LoanEvent.id]
        )


class ReferenceRepository:
    def __init__(self, session: Any) -> None:
        self.session = session

    async def rate_on(self, day: date) -> LoanRate | None:
        stmt = select(LoanRate).where(valid_on(LoanRate, day)).order_by(LoanRate.valid_from.desc()).limit(1)
        rate: LoanRate | None = (await self.session.execute(stmt)).scalar_one_or_none()
        return rate

    async def cap_on(self, purpose: str, day: date) -> LoanCap | None:
        stmt = (
            select(LoanCap)
            .where(LoanCap.purpose == purpose, valid_on(LoanCap, day))
            .order_by(LoanCap.valid_from.desc())
            .limit(1)
        )
        cap: LoanCap | None = (await self.session.execute(stmt)).scalar_one_or_none()
        return cap

    async def plan_for(self, province_code: str, year: int) -> LendingPlan | None:
        stmt = select(LendingPlan).where(LendingPlan.province_code == province_code, LendingPlan.year == year)
        plan: LendingPlan | None = (await self.session.execute(stmt)).scalar_one_or_none()
        return plan

    async def list_rates(self, params: PageParams) -> tuple[list[LoanRate], str | None]:
        return await _RateRepo(self.session).paginate(select(LoanRate), params)

    async def list_caps(self, params: PageParams) -> tuple[list[LoanCap], str | None]:
        return await _CapRepo(self.session).paginate(select(LoanCap), params)


class _RateRepo(RepositoryBase[LoanRate]):
    model = LoanRate


class _CapRepo(RepositoryBase[LoanCap]):
    model = LoanCap


class LoanExceptionRepository(RepositoryBase[LoanException]):
    model = LoanException

    async def by_key(self, loan_id: uuid.UUID, key: str) -> LoanException | None:
        stmt = select(LoanException).where(LoanException.loan_id == loan_id, LoanException.key == key)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_in_area(self, exception_id: uuid.UUID, area: AreaScope) -> LoanException | None:
        return await self.get(
            exception_id, in_area(area, LoanException.province_code, LoanException.commune_code)
        )

    async def list_exceptions(
        self, params: PageParams, *, area: AreaScope, reason: str | None, status: str | None
    ) -> tuple[list[LoanException], str | None]:
        stmt = select(LoanException).where(
            in_area(area, LoanException.province_code, LoanException.commune_code)
        )
        if reason is not None:
            stmt = stmt.where(LoanException.reason == reason)
        if status is not None:
            stmt = stmt.where(LoanException.status == status)
        return await self.paginate(stmt, params)

    async def count_open(self, province_code: str) -> int:
        stmt = select(func.count()).where(
            LoanException.province_code == province_code,
            LoanException.status == LoanExceptionStatus.OPEN.value,
        )
        return int((await self.session.execute(stmt)).scalar_one())


class LoanReconciliationRepository(RepositoryBase[LoanReconciliation]):
    model = LoanReconciliation

    async def get_in_area(self, rec_id: uuid.UUID, area: AreaScope) -> LoanReconciliation | None:
        return await self.get(rec_id, area.province_filter(LoanReconciliation.province_code))

    async def list_in_area(
        self, params: PageParams, *, area: AreaScope
    ) -> tuple[list[LoanReconciliation], str | None]:
        stmt = select(LoanReconciliation).where(area.province_filter(LoanReconciliation.province_code))
        return await self.paginate(stmt, params)


def _signed_amount() -> ColumnElement[int]:
    return case(
        (LoanEvent.event_type == LoanEventType.DISBURSED.value, LoanEvent.amount_vnd),
        (LoanEvent.event_type == LoanEventType.REPAYMENT.value, -LoanEvent.amount_vnd),
        else_=0,
    )


def _disbursed_amount() -> ColumnElement[int]:
    return case((LoanEvent.event_type == LoanEventType.DISBURSED.value, LoanEvent.amount_vnd), else_=0)


class LoanFiguresRepository:
    """Aggregates for the reconciliation and the indicators, computed in SQL from the events."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def _per_loan_until(self, province_code: str, until: datetime) -> Any:
        return (
            select(
                LoanEvent.loan_id.label("loan_id"),
                func.sum(_signed_amount()).label("outstanding"),
                func.sum(_disbursed_amount()).label("disbursed"),
            )
            .join(Loan, Loan.id == LoanEvent.loan_id)
            .where(Loan.province_code == province_code, LoanEvent.occurred_at < until)
            .group_by(LoanEvent.loan_id)
            .subquery()
        )

    async def totals_until(self, province_code: str, until: datetime) -> tuple[int, int, int]:
        """(loans with a balance, outstanding, disbursed) from events that happened before `until`."""
        per_loan = self._per_loan_until(province_code, until)
        stmt = select(
            func.count().filter(per_loan.c.outstanding > 0),
            func.coalesce(func.sum(per_loan.c.outstanding), 0),
            func.coalesce(func.sum(per_loan.c.disbursed), 0),
        ).select_from(per_loan)
        count, outstanding, disbursed = (await self.session.execute(stmt)).one()
        return int(count), int(outstanding), int(disbursed)

    async def balances_of(self, province_code: str, until: datetime, refs: list[str]) -> dict[str, int]:
        per_loan = self._per_loan_until(province_code, until)
        stmt = (
            select(Loan.bank_loan_ref, func.coalesce(per_loan.c.outstanding, 0))
            .select_from(Loan)
            .outerjoin(per_loan, per_loan.c.loan_id == Loan.id)
            .where(Loan.province_code == province_code, Loan.bank_loan_ref.in_(refs))
        )
        return {ref: int(value) for ref, value in (await self.session.execute(stmt)).all()}

    async def unlisted_with_balance(
        self, province_code: str, until: datetime, refs: list[str], limit: int
    ) -> list[tuple[str, int]]:
        """Loans the mirror has a balance for that the bank did not list."""
        per_loan = self._per_loan_until(province_code, until)
        stmt = (
            select(Loan.bank_loan_ref, per_loan.c.outstanding)
            .join(per_loan, per_loan.c.loan_id == Loan.id)
            .where(per_loan.c.outstanding != 0, Loan.bank_loan_ref.not_in(refs) if refs else text("true"))
            .order_by(Loan.bank_loan_ref)
            .limit(limit)
        )
        return [(ref, int(value)) for ref, value in (await self.session.execute(stmt)).all()]

    async def current_indicators(self, province_code: str) -> dict[str, int]:
        """From the derived state of each loan (now)."""
        stmt = select(
            func.coalesce(func.sum(Loan.outstanding_vnd), 0),
            func.count().filter(Loan.outstanding_vnd > 0),
            func.count(func.distinct(Loan.borrower_citizen_bidx)).filter(Loan.outstanding_vnd > 0),
            func.coalesce(func.sum(Loan.overdue_vnd).filter(Loan.outstanding_vnd > 0), 0),
            func.count().filter(Loan.eligibility_status == "pending"),
        ).where(Loan.province_code == province_code)
        outstanding, loans, borrowers, overdue, pending = (await self.session.execute(stmt)).one()
        return {
            "outstanding_vnd": int(outstanding),
            "loans_outstanding": int(loans),
            "borrowers": int(borrowers),
            "overdue_vnd": int(overdue),
            "eligibility_pending": int(pending),
        }

    async def disbursed_between(self, province_code: str, start: datetime, end: datetime) -> int:
        stmt = (
            select(func.coalesce(func.sum(LoanEvent.amount_vnd), 0))
            .join(Loan, Loan.id == LoanEvent.loan_id)
            .where(
                Loan.province_code == province_code,
                LoanEvent.event_type == LoanEventType.DISBURSED.value,
                LoanEvent.occurred_at >= start,
                LoanEvent.occurred_at < end,
            )
        )
        return int((await self.session.execute(stmt)).scalar_one())
