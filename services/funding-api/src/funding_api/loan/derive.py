"""A loan's state, derived from all its events in the bank's order (never from arrival order).

Pure functions: the same events give the same state whatever order they arrived in, so a late
'approved' after a 'disbursed' changes nothing but the approved amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from funding_api.models import LoanEventType, LoanStatus

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
T = LoanEventType


def local_date(moment: datetime) -> date:
    """Legal dates are local dates: an event at 23:30 UTC on the 9th happened on the 10th in Việt Nam."""
    return moment.astimezone(VIETNAM).date()


def local_day_end(day: date) -> datetime:
    """The first instant after `day` ends in Việt Nam."""
    return datetime(day.year, day.month, day.day, tzinfo=VIETNAM) + timedelta(days=1)


class EventLike(Protocol):
    @property
    def event_type(self) -> str: ...
    @property
    def bank_sequence(self) -> int: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def amount_vnd(self) -> int | None: ...


@dataclass(frozen=True)
class LoanState:
    status: LoanStatus
    approved_amount_vnd: int | None
    approved_on: date | None
    disbursed_vnd: int
    repaid_vnd: int
    overdue_vnd: int
    first_disbursed_on: date | None
    last_sequence: int
    events: int

    @property
    def outstanding_vnd(self) -> int:
        return self.disbursed_vnd - self.repaid_vnd


@dataclass
class _Fold:
    status: LoanStatus | None = None
    approved: int | None = None
    approved_on: date | None = None
    disbursed: int = 0
    repaid: int = 0
    overdue: int = 0
    first_disbursed: date | None = None

    def application_received(self, event: EventLike) -> None:
        self.status = self.status or LoanStatus.APPLIED

    def approved_(self, event: EventLike) -> None:
        self.approved, self.approved_on = event.amount_vnd or 0, local_date(event.occurred_at)
        if self.status in (None, LoanStatus.APPLIED):
            self.status = LoanStatus.APPROVED

    def rejected(self, event: EventLike) -> None:
        if self.status in (None, LoanStatus.APPLIED, LoanStatus.APPROVED):
            self.status = LoanStatus.REJECTED

    def disbursed_(self, event: EventLike) -> None:
        self.disbursed += event.amount_vnd or 0
        day = local_date(event.occurred_at)
        self.first_disbursed = day if self.first_disbursed is None else min(self.first_disbursed, day)
        if self.status is not LoanStatus.SETTLED:
            self.status = LoanStatus.OVERDUE if self.overdue > 0 else LoanStatus.ACTIVE

    def repayment(self, event: EventLike) -> None:
        self.repaid += event.amount_vnd or 0
        if self.status in (None, LoanStatus.APPLIED, LoanStatus.APPROVED, LoanStatus.REJECTED):
            self.status = LoanStatus.ACTIVE

    def overdue_(self, event: EventLike) -> None:
        self.overdue = event.amount_vnd or 0
        if self.status is not LoanStatus.SETTLED:
            self.status = LoanStatus.OVERDUE if self.overdue > 0 else LoanStatus.ACTIVE

    def settled(self, event: EventLike) -> None:
        self.status, self.overdue = LoanStatus.SETTLED, 0


_STEPS = {
    T.APPLICATION_RECEIVED: _Fold.application_received,
    T.APPROVED: _Fold.approved_,
    T.REJECTED: _Fold.rejected,
    T.DISBURSED: _Fold.disbursed_,
    T.REPAYMENT: _Fold.repayment,
    T.OVERDUE: _Fold.overdue_,
    T.SETTLED: _Fold.settled,
}


def derive(events: Sequence[EventLike]) -> LoanState:
    """Fold the events, which must already be in the bank's order (sequence, then event id)."""
    fold = _Fold()
    for event in events:
        _STEPS[T(event.event_type)](fold, event)
    return LoanState(
        status=fold.status or LoanStatus.APPLIED,
        approved_amount_vnd=fold.approved,
        approved_on=fold.approved_on,
        disbursed_vnd=fold.disbursed,
        repaid_vnd=fold.repaid,
        overdue_vnd=fold.overdue,
        first_disbursed_on=fold.first_disbursed,
        last_sequence=max((e.bank_sequence for e in events), default=0),
        events=len(events),
    )


def cap_limit(basis_vnd: int, percent: int, max_amount_vnd: int | None) -> int:
    """The most that may be lent: a share of the basis (rounded down to the đồng), under the ceiling."""
    limit = basis_vnd * percent // 100
    return limit if max_amount_vnd is None else min(limit, max_amount_vnd)
