"""The VBSP loan mirror: apply the bank's events, check them against the rules and the registry,
queue the mismatches for a finance officer."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.clients.registry import EligibilityConfirmation, RegistryClient
from funding_api.loan.derive import cap_limit, derive, local_date
from funding_api.loan.errors import (
    LoanAreaNotCovered,
    LoanExceptionClosed,
    LoanExceptionNotFound,
    LoanNotFound,
    LoanReferenceConflict,
)
from funding_api.loan.pii import CITIZEN_ID_CONTEXT, CITIZEN_ID_PURPOSE
from funding_api.loan.repository import (
    LoanEventRepository,
    LoanExceptionRepository,
    LoanRepository,
    ReferenceRepository,
)
from funding_api.loan.schemas import LoanEventCreate
from funding_api.models import (
    CapBasis,
    EligibilityStatus,
    Loan,
    LoanCap,
    LoanEvent,
    LoanEventType,
    LoanException,
    LoanExceptionReason,
    LoanExceptionStatus,
    LoanPurpose,
    LoanRate,
    OutboxEvent,
)
from funding_api.models.platform import Job
from servicekit import jobs, outbox
from servicekit.audit import json_safe
from servicekit.concurrency import check_version
from servicekit.errors import UpstreamUnavailable
from servicekit.pagination import PageParams
from servicekit.pii import PiiCipher, mask
from servicekit.principal import Principal

logger = logging.getLogger(__name__)

SERVICE = "funding-api"
CONFIRM_ELIGIBILITY_JOB = "loan.confirm_eligibility"


def loan_urn(loan_id: uuid.UUID) -> str:
    return outbox.urn(SERVICE, "loan", loan_id)


def confirmation_key(loan_id: uuid.UUID) -> str:
    """One key per loan: registry-api answers a repeat with its first answer."""
    return f"funding-loan-eligibility:{loan_id}"


@dataclass(frozen=True)
class EventOutcome:
    event: LoanEvent
    loan: Loan
    applied: bool


class LoanService:
    # ------------------------------------------------------------------------------------ events

    async def apply_event(
        self,
        session: AsyncSession,
        caller: Principal,
        cipher: PiiCipher,
        registry: RegistryClient | None,
        data: LoanEventCreate,
    ) -> EventOutcome:
        """Store the event (once per bank event id), re-derive the loan from all its events, check it.

        With `registry` None (or registry-api down) the borrower's confirmation is queued as a job.
        """
        if not caller.covers(data.province_code, data.commune_code):
            raise LoanAreaNotCovered(f"You do not cover province {data.province_code}.")
        loans = LoanRepository(session)
        events = LoanEventRepository(session)
        bidx = cipher.blind_index(data.borrower_citizen_id, purpose=CITIZEN_ID_PURPOSE)
        await loans.lock_reference(data.loan_ref)
        loan = await loans.by_ref(data.loan_ref)
        created = loan is None
        if loan is None:
            loan = Loan(
                bank_loan_ref=data.loan_ref,
                province_code=data.province_code,
                commune_code=data.commune_code,
                borrower_citizen_id_ct=cipher.encrypt(data.borrower_citizen_id, context=CITIZEN_ID_CONTEXT),
                borrower_citizen_bidx=bidx,
                borrower_citizen_id_masked=mask(data.borrower_citizen_id) or "",
                purpose=data.purpose.value,
                contract_value_vnd=data.contract_value_vnd,
                estimate_vnd=data.estimate_vnd,
                status="applied",
                eligibility_status=EligibilityStatus.PENDING.value,
            )
            await loans.add(loan)
        elif loan.borrower_citizen_bidx != bidx or loan.province_code != data.province_code:
            raise LoanReferenceConflict(
                f"Loan {data.loan_ref} is recorded for another borrower or province; nothing was stored."
            )
        known = [] if created else await events.for_loan(loan.id)
        existing = next((e for e in known if e.bank_event_id == data.event_id), None)
        if existing is not None:
            return EventOutcome(existing, loan, applied=False)
        event = await events.add(
            LoanEvent(
                loan_id=loan.id,
                bank_event_id=data.event_id,
                bank_sequence=data.sequence,
                occurred_at=data.occurred_at,
                event_type=data.type.value,
                amount_vnd=data.amount_vnd,
                rate_bp=data.rate_bp,
                purpose=data.purpose.value,
                contract_value_vnd=data.contract_value_vnd,
                estimate_vnd=data.estimate_vnd,
                received_by=caller.subject,
            )
        )
        await self._rederive(session, loan, [*known, event], event)
        await self._check_rate(session, loan, event)
        await outbox.emit(
            session,
            OutboxEvent,
            type="loan.event_applied",
            subject=loan_urn(loan.id),
            area_codes=[loan.province_code, loan.commune_code],
            data={
                "loan_id": loan.id,
                "event_id": event.id,
                "event_type": event.event_type,
                "bank_sequence": event.bank_sequence,
                "amount_vnd": event.amount_vnd,
                "status": loan.status,
                "outstanding_vnd": loan.outstanding_vnd,
            },
        )
        if created:
            await self._confirm_or_queue(session, cipher, registry, loan, data.borrower_citizen_id)
        return EventOutcome(event, loan, applied=True)

    async def _rederive(
        self, session: AsyncSession, loan: Loan, events: list[LoanEvent], new: LoanEvent
    ) -> None:
        """Derive the loan from all its events; re-check caps and look the rate up only where the new
        event can have changed the outcome (the findings are idempotent anyway)."""
        events = sorted(events, key=lambda e: (e.bank_sequence, e.bank_event_id))
        state = derive(events)
        latest = events[-1]
        before = (loan.purpose, loan.contract_value_vnd, loan.estimate_vnd, loan.first_disbursed_on)
        loan.purpose = latest.purpose
        loan.contract_value_vnd = latest.contract_value_vnd
        loan.estimate_vnd = latest.estimate_vnd
        loan.status = state.status.value
        loan.approved_amount_vnd = state.approved_amount_vnd
        loan.disbursed_vnd = state.disbursed_vnd
        loan.repaid_vnd = state.repaid_vnd
        loan.outstanding_vnd = state.outstanding_vnd
        loan.overdue_vnd = state.overdue_vnd
        loan.first_disbursed_on = state.first_disbursed_on
        loan.events_applied = state.events
        loan.last_sequence = state.last_sequence
        basis_changed = before[:3] != (loan.purpose, loan.contract_value_vnd, loan.estimate_vnd)
        if state.first_disbursed_on is not None and (
            before[3] != state.first_disbursed_on or loan.rate_bp is None
        ):
            rate = await ReferenceRepository(session).rate_on(state.first_disbursed_on)
            loan.rate_bp = rate.rate_bp if rate else None
        await session.flush()
        kind = LoanEventType(new.event_type)
        approved, approved_on = state.approved_amount_vnd, state.approved_on
        if (
            approved is not None
            and approved_on is not None
            and (kind is LoanEventType.APPROVED or basis_changed)
        ):
            await self._check_cap(session, loan, "approved", approved, approved_on)
        first_on = state.first_disbursed_on
        if (
            first_on is not None
            and state.disbursed_vnd > 0
            and (kind is LoanEventType.DISBURSED or basis_changed)
        ):
            await self._check_cap(session, loan, "disbursed", state.disbursed_vnd, first_on)

    async def _check_cap(self, session: AsyncSession, loan: Loan, what: str, amount: int, day: date) -> None:
        cap = await ReferenceRepository(session).cap_on(loan.purpose, day)
        if cap is None:
            return  # no cap in force on that date in the table: nothing to check against
        basis = loan.estimate_vnd if cap.basis == CapBasis.ESTIMATE.value else loan.contract_value_vnd
        if basis is None:
            return
        limit = cap_limit(basis, cap.percent_of_basis, cap.max_amount_vnd)
        if amount <= limit:
            return
        await self.raise_exception(
            session,
            loan,
            LoanExceptionReason.CAP_EXCEEDED,
            key=f"cap_exceeded:{what}",
            evidence={
                "what": what,
                "amount_vnd": amount,
                "limit_vnd": limit,
                "basis": cap.basis,
                "basis_vnd": basis,
                "percent_of_basis": cap.percent_of_basis,
                "max_amount_vnd": cap.max_amount_vnd,
                "on": day,
                "cap_id": cap.id,
                "legal_basis": cap.legal_basis,
            },
        )

    async def _check_rate(self, session: AsyncSession, loan: Loan, event: LoanEvent) -> None:
        if event.rate_bp is None:
            return
        day = local_date(event.occurred_at)
        rate = await ReferenceRepository(session).rate_on(day)
        if rate is None or rate.rate_bp == event.rate_bp:
            return
        await self.raise_exception(
            session,
            loan,
            LoanExceptionReason.RATE_MISMATCH,
            key=f"rate_mismatch:{event.bank_event_id}",
            evidence={
                "event_id": event.id,
                "bank_event_id": event.bank_event_id,
                "bank_rate_bp": event.rate_bp,
                "table_rate_bp": rate.rate_bp,
                "on": day,
                "rate_id": rate.id,
                "legal_basis": rate.legal_basis,
            },
        )

    # ------------------------------------------------------------------------------------ eligibility

    async def _confirm_or_queue(
        self,
        session: AsyncSession,
        cipher: PiiCipher,
        registry: RegistryClient | None,
        loan: Loan,
        citizen_id: str,
    ) -> None:
        if registry is not None:
            try:
                answer = await registry.confirm_eligibility(
                    citizen_id=citizen_id,
                    purpose="loan",
                    as_of=None,
                    idempotency_key=confirmation_key(loan.id),
                )
            except UpstreamUnavailable:
                logger.warning("registry-api unavailable: eligibility of loan %s queued", loan.id)
            else:
                await self.record_confirmation(session, loan, answer)
                return
        await self.queue_confirmation(session, loan.id)

    async def queue_confirmation(self, session: AsyncSession, loan_id: uuid.UUID) -> None:
        await jobs.enqueue(
            session,
            Job,
            CONFIRM_ELIGIBILITY_JOB,
            {"loan_id": str(loan_id)},
            dedupe_key=f"{CONFIRM_ELIGIBILITY_JOB}:{loan_id}",
        )

    async def confirm_queued(
        self, session: AsyncSession, cipher: PiiCipher, registry: RegistryClient, loan_id: uuid.UUID
    ) -> str:
        """The job's work: ask registry-api (raises UpstreamUnavailable while it is down: retried)."""
        loans = LoanRepository(session)
        found = await loans.get(loan_id)
        if found is None:
            return "gone"
        await loans.lock_reference(found.bank_loan_ref)
        loan = await loans.by_ref(found.bank_loan_ref)
        if loan is None or loan.eligibility_status != EligibilityStatus.PENDING.value:
            return "already_recorded"
        citizen_id = cipher.decrypt(loan.borrower_citizen_id_ct, context=CITIZEN_ID_CONTEXT)
        answer = await registry.confirm_eligibility(
            citizen_id=citizen_id, purpose="loan", as_of=None, idempotency_key=confirmation_key(loan.id)
        )
        await self.record_confirmation(session, loan, answer)
        return loan.eligibility_status

    async def record_confirmation(
        self, session: AsyncSession, loan: Loan, answer: EligibilityConfirmation
    ) -> None:
        reasons = [str(r.get("reason") or r.get("rule_code") or "") for r in answer.reasons]
        failing = [
            str(r.get("rule_code") or r.get("reason") or "")
            for r in answer.reasons
            if r.get("outcome") in ("fail", "unknown")
        ]
        if answer.eligible:
            status = EligibilityStatus.CONFIRMED
        elif "person_unknown" in reasons:
            status = EligibilityStatus.UNKNOWN_BORROWER
        else:
            status = EligibilityStatus.INELIGIBLE
        loan.eligibility_status = status.value
        loan.eligibility_confirmation_id = answer.confirmation_id
        loan.eligibility_checked_at = datetime.now(UTC)
        await session.flush()
        await outbox.emit(
            session,
            OutboxEvent,
            type="loan.eligibility_recorded",
            subject=loan_urn(loan.id),
            area_codes=[loan.province_code, loan.commune_code],
            data={
                "loan_id": loan.id,
                "eligibility_status": status.value,
                "confirmation_id": answer.confirmation_id,
            },
        )
        evidence: dict[str, Any] = {
            "confirmation_id": answer.confirmation_id,
            "as_of": answer.as_of,
            "failing": failing,
        }
        if status is EligibilityStatus.UNKNOWN_BORROWER:
            await self.raise_exception(
                session, loan, LoanExceptionReason.UNKNOWN_BORROWER, key="unknown_borrower", evidence=evidence
            )
        elif status is EligibilityStatus.INELIGIBLE:
            await self.raise_exception(
                session,
                loan,
                LoanExceptionReason.INELIGIBLE_BORROWER,
                key="ineligible_borrower",
                evidence=evidence,
            )

    # ------------------------------------------------------------------------------------ exceptions

    async def raise_exception(
        self,
        session: AsyncSession,
        loan: Loan,
        reason: LoanExceptionReason,
        *,
        key: str,
        evidence: dict[str, Any],
    ) -> LoanException | None:
        """At most one exception per loan and finding: a repeat of the finding adds nothing."""
        repository = LoanExceptionRepository(session)
        if await repository.by_key(loan.id, key) is not None:
            return None
        row = await repository.add(
            LoanException(
                loan_id=loan.id,
                reason=reason.value,
                key=key,
                status=LoanExceptionStatus.OPEN.value,
                province_code=loan.province_code,
                commune_code=loan.commune_code,
                evidence=json_safe({"loan_ref": loan.bank_loan_ref, **evidence}),
            )
        )
        await outbox.emit(
            session,
            OutboxEvent,
            type="loan_exception.raised",
            subject=outbox.urn(SERVICE, "loan-exception", row.id),
            area_codes=[row.province_code, row.commune_code],
            data={"exception_id": row.id, "loan_id": loan.id, "reason": row.reason},
        )
        return row

    async def get_exception(
        self, session: AsyncSession, caller: Principal, exception_id: uuid.UUID
    ) -> LoanException:
        row = await LoanExceptionRepository(session).get_in_area(exception_id, caller.area)
        if row is None:
            raise LoanExceptionNotFound(f"No loan exception {exception_id} in your area.")
        return row

    async def list_exceptions(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        reason: LoanExceptionReason | None,
        status: LoanExceptionStatus | None,
    ) -> tuple[list[LoanException], str | None]:
        return await LoanExceptionRepository(session).list_exceptions(
            params,
            area=caller.area,
            reason=reason.value if reason else None,
            status=status.value if status else None,
        )

    async def close_exception(
        self,
        session: AsyncSession,
        caller: Principal,
        exception_id: uuid.UUID,
        expected_version: int,
        *,
        outcome: LoanExceptionStatus,
        note: str,
    ) -> LoanException:
        row = await self.get_exception(session, caller, exception_id)
        check_version(row.version, expected_version)
        if row.status != LoanExceptionStatus.OPEN.value:
            raise LoanExceptionClosed(f"The exception is already {row.status}.")
        row.status = outcome.value
        row.resolution_note = note
        row.closed_by = caller.subject
        row.closed_at = datetime.now(UTC)
        await session.flush()
        await outbox.emit(
            session,
            OutboxEvent,
            type=f"loan_exception.{outcome.value}",
            subject=outbox.urn(SERVICE, "loan-exception", row.id),
            area_codes=[row.province_code, row.commune_code],
            data={"exception_id": row.id, "loan_id": row.loan_id, "reason": row.reason},
        )
        return row

    # ------------------------------------------------------------------------------------ reads

    async def get_loan(self, session: AsyncSession, caller: Principal, loan_id: uuid.UUID) -> Loan:
        loan = await LoanRepository(session).get_in_area(loan_id, caller.area)
        if loan is None:
            raise LoanNotFound(f"No loan {loan_id} in your area.")
        return loan

    async def list_loans(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        status: str | None,
        eligibility_status: str | None,
    ) -> tuple[list[Loan], str | None]:
        return await LoanRepository(session).list_loans(
            params, area=caller.area, status=status, eligibility_status=eligibility_status
        )

    async def list_events(
        self, session: AsyncSession, caller: Principal, loan_id: uuid.UUID, params: PageParams
    ) -> tuple[list[LoanEvent], str | None]:
        loan = await self.get_loan(session, caller, loan_id)
        return await LoanEventRepository(session).list_for_loan(loan.id, params)

    async def list_rates(
        self, session: AsyncSession, params: PageParams
    ) -> tuple[list[LoanRate], str | None]:
        return await ReferenceRepository(session).list_rates(params)

    async def list_caps(self, session: AsyncSession, params: PageParams) -> tuple[list[LoanCap], str | None]:
        return await ReferenceRepository(session).list_caps(params)


loan_service = LoanService()

__all__ = ["CONFIRM_ELIGIBILITY_JOB", "EventOutcome", "LoanEventType", "LoanPurpose", "loan_service"]
