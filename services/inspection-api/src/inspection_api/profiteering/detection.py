"""The detection job: read every source, raise each new finding once, or wait for a source that is down.

Sources and what they become (contracts.md):
- registry-api `GET /v1/integrity-signals?kind=` — supported_twice, ineligible_application,
  resale_within_lock, multiple_open_applications (the flag keeps the signal's kind);
- funding-api `GET /v1/loan-exceptions?reason=&status=open` — unknown_borrower, ineligible_borrower
  (flag kinds loan_unknown_borrower, loan_ineligible_borrower);
- inspection-api's own land reserve obligations past their deadline (land_reserve_overdue).

A run is all or nothing: every flag it raises is written inside one savepoint, and a source that cannot
answer (down, refusing, or answering something unreadable) rolls the savepoint back, marks the run
`delayed` with the reason and queues a retry. So a run never raises flags from a partial view, and a
flag's (source, key) is unique, so running again raises nothing twice.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.clients.funding import FundingClient
from inspection_api.clients.registry import RegistryClient
from inspection_api.models.land_reserve import NEXT_STAGE, LandReserveStatus
from inspection_api.models.platform import Job, OutboxEvent
from inspection_api.models.profiteering import (
    FlagKind,
    FlagSource,
    FlagStatus,
    ProfiteeringFlag,
    ProfiteeringRun,
    RunStatus,
    RunTrigger,
)
from inspection_api.profiteering.repository import (
    FlagRepository,
    OverdueObligationRepository,
    RunRepository,
)
from servicekit.errors import UpstreamUnavailable
from servicekit.http import UpstreamRequestError
from servicekit.jobs import enqueue
from servicekit.observability import scrub
from servicekit.outbox import emit, urn
from servicekit.principal import Principal

logger = logging.getLogger(__name__)

DETECTION_JOB = "profiteering.detect"
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PAGE_SIZE = 100

# registry-api's integrity-signal kinds, each raised as a flag of the same kind.
REGISTRY_KINDS: dict[str, FlagKind] = {
    "supported_twice": FlagKind.SUPPORTED_TWICE,
    "ineligible_application": FlagKind.INELIGIBLE_APPLICATION,
    "resale_within_lock": FlagKind.RESALE_WITHIN_LOCK,
    "multiple_open_applications": FlagKind.MULTIPLE_OPEN_APPLICATIONS,
}
# funding-api's loan-exception reasons that point at profiteering (cap or rate mismatches do not).
FUNDING_REASONS: dict[str, FlagKind] = {
    "unknown_borrower": FlagKind.LOAN_UNKNOWN_BORROWER,
    "ineligible_borrower": FlagKind.LOAN_INELIGIBLE_BORROWER,
}


class SourceUnavailable(Exception):
    """A source could not give a complete, readable answer: the run waits instead of guessing."""


@dataclass(frozen=True)
class Finding:
    source: FlagSource
    key: str
    kind: FlagKind
    province_code: str
    commune_code: str | None
    observed_at: datetime
    evidence: dict[str, Any]
    ids: dict[str, uuid.UUID | None] = field(default_factory=dict)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def clean_evidence(value: Any) -> Any:
    """Sources send no citizen IDs; should one slip through, it is redacted before it is stored."""
    if isinstance(value, dict):
        return {str(k): clean_evidence(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_evidence(v) for v in value]
    if isinstance(value, str) and not _is_uuid(value):
        return scrub(value)
    if isinstance(value, int) and not isinstance(value, bool) and re.fullmatch(r"\d{9,12}", str(value)):
        return "[redacted]"
    return value


Pages = AsyncIterator[list[Finding]]


@dataclass(frozen=True)
class Rule:
    name: str
    pages: Callable[[], Pages]


def registry_rule(registry: RegistryClient, kind: str, flag_kind: FlagKind) -> Rule:
    async def pages() -> Pages:
        cursor: str | None = None
        while True:
            page = await registry.integrity_signals(kind, cursor=cursor, limit=PAGE_SIZE)
            findings = []
            for item in page.items:
                if item.kind != kind:
                    raise SourceUnavailable(
                        f"registry-api answered a {item.kind!r} signal to a {kind!r} query"
                    )
                findings.append(
                    Finding(
                        source=FlagSource.REGISTRY,
                        key=item.key,
                        kind=flag_kind,
                        province_code=item.province_code,
                        commune_code=item.commune_code,
                        observed_at=item.observed_at,
                        evidence=clean_evidence(item.evidence),
                        ids={
                            "person_id": item.person_id,
                            "household_id": item.household_id,
                            "application_id": item.application_id,
                            "contract_id": item.contract_id,
                            "project_id": item.project_id,
                        },
                    )
                )
            yield findings
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    return Rule(f"registry:{kind}", pages)


def funding_rule(funding: FundingClient, reason: str, flag_kind: FlagKind) -> Rule:
    async def pages() -> Pages:
        cursor: str | None = None
        while True:
            page = await funding.loan_exceptions(reason, status="open", cursor=cursor, limit=PAGE_SIZE)
            findings = []
            for item in page.items:
                if item.reason != reason or item.status != "open":
                    raise SourceUnavailable("funding-api answered a loan exception the query did not ask for")
                findings.append(
                    Finding(
                        source=FlagSource.FUNDING,
                        key=f"loan_exception:{item.id}",
                        kind=flag_kind,
                        province_code=item.province_code,
                        commune_code=item.commune_code,
                        observed_at=item.created_at,
                        evidence=clean_evidence(
                            {"loan_exception_id": str(item.id), "reason": item.reason} | item.evidence
                        ),
                        ids={"loan_id": item.loan_id},
                    )
                )
            yield findings
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    return Rule(f"funding:{reason}", pages)


# Extra rules over inspection-api's own tables (the land-reserve rule), given the session.
LocalRules = Callable[[AsyncSession], list[Rule]]


def no_local_rules(session: AsyncSession) -> list[Rule]:
    return []


def local_today() -> date:
    """Deadlines are local dates (Asia/Ho_Chi_Minh)."""
    return datetime.now(LOCAL_TZ).date()


def land_reserve_rule(session: AsyncSession, as_of: date) -> Rule:
    """An obligation whose next stage is past its deadline; one flag per obligation and missed stage."""
    repository = OverdueObligationRepository(session)

    async def pages() -> Pages:
        after: uuid.UUID | None = None
        while True:
            rows = await repository.page_overdue(as_of, after=after, limit=PAGE_SIZE)
            findings = []
            for row in rows:
                missed = NEXT_STAGE.get(LandReserveStatus(row.status))
                if missed is None or row.due_on is None:
                    continue
                findings.append(
                    Finding(
                        source=FlagSource.INSPECTION,
                        key=f"land_reserve_overdue:{row.id}:{missed.value}",
                        kind=FlagKind.LAND_RESERVE_OVERDUE,
                        province_code=row.province_code,
                        commune_code=row.commune_code,
                        observed_at=_now(),
                        evidence={
                            "obligation_id": str(row.id),
                            "commercial_project_id": str(row.commercial_project_id),
                            "method": row.method,
                            "status": row.status,
                            "missed_stage": missed.value,
                            "due_on": row.due_on.isoformat(),
                            "as_of": as_of.isoformat(),
                            "required_area_m2": str(row.required_area_m2),
                            "money_due_vnd": row.money_due_vnd,
                        },
                        ids={"obligation_id": row.id},
                    )
                )
            yield findings
            if len(rows) < PAGE_SIZE:
                return
            after = rows[-1].id

    return Rule("inspection:land_reserve_overdue", pages)


def land_reserve_rules(session: AsyncSession) -> list[Rule]:
    return [land_reserve_rule(session, local_today())]


@dataclass
class RunOutcome:
    status: RunStatus
    signals_seen: int = 0
    flags_raised: int = 0
    reason: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


async def emit_flag_event(session: AsyncSession, type_: str, flag: ProfiteeringFlag) -> None:
    # Ids, kind and status only: the evidence is read through the API with the reader's rights.
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("inspection", "profiteering_flag", flag.id),
        area_codes=[flag.province_code, flag.commune_code],
        data={
            "flag_id": flag.id,
            "kind": flag.kind,
            "source": flag.source,
            "status": flag.status,
            "run_id": flag.run_id,
            "case_id": flag.case_id,
        },
    )


async def emit_run_event(session: AsyncSession, type_: str, run: ProfiteeringRun) -> None:
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("inspection", "profiteering_run", run.id),
        area_codes=[],
        data={
            "run_id": run.id,
            "status": run.status,
            "signals_seen": run.signals_seen,
            "flags_raised": run.flags_raised,
            "delayed_reason": run.delayed_reason,
        },
    )


class DetectionService:
    async def request_run(self, session: AsyncSession, caller: Principal) -> ProfiteeringRun:
        """Queue a run now; when one is already queued, running or waiting for a source, that one (a
        waiting one is tried again at once)."""
        runs = RunRepository(session)
        pending = await runs.unfinished()
        if pending is not None:
            if pending.status == RunStatus.DELAYED:
                job = await enqueue(
                    session,
                    Job,
                    DETECTION_JOB,
                    {"run_id": str(pending.id)},
                    dedupe_key=f"{DETECTION_JOB}:now:{pending.id}",
                    created_by=caller.subject,
                )
                pending.next_attempt_at = job.run_after
                await runs.save(pending)
            return pending
        run = await runs.save(
            ProfiteeringRun(
                status=RunStatus.QUEUED.value,
                trigger=RunTrigger.MANUAL.value,
                requested_by=caller.subject,
                attempts=0,
                signals_seen=0,
                flags_raised=0,
                skipped_rules=[],
            )
        )
        job = await enqueue(session, Job, DETECTION_JOB, {"run_id": str(run.id)}, created_by=caller.subject)
        run.job_id = job.id
        await runs.save(run)
        return run

    async def get_run(self, session: AsyncSession, run_id: uuid.UUID) -> ProfiteeringRun | None:
        return await RunRepository(session).get(run_id)

    async def execute(
        self,
        session: AsyncSession,
        *,
        run_id: uuid.UUID | None,
        job_id: uuid.UUID | None,
        registry: RegistryClient,
        funding: FundingClient,
        retry_after: timedelta,
        local_rules: LocalRules = no_local_rules,
        skipped_rules: list[str] | None = None,
        on_progress: Callable[[int], Awaitable[None]] | None = None,
    ) -> RunOutcome:
        """Run (or resume) one detection pass in `session`; the caller commits.

        Without `run_id` (the periodic trigger) a waiting run is resumed, or a new one started.
        """
        runs = RunRepository(session)
        if run_id is not None:
            run = await runs.get(run_id, for_update=True)
        else:
            # A run another worker holds is left to it; a waiting one is resumed now.
            run = await runs.unfinished(for_update=True)
        if run is not None and run.status == RunStatus.SUCCEEDED:
            # A retry queued for a run that another trigger has since completed.
            return RunOutcome(RunStatus.SUCCEEDED, run.signals_seen, run.flags_raised)
        if run is None:
            run = ProfiteeringRun(
                status=RunStatus.QUEUED.value,
                trigger=RunTrigger.PERIODIC.value,
                attempts=0,
                signals_seen=0,
                flags_raised=0,
                skipped_rules=[],
            )
        run.status = RunStatus.RUNNING.value
        run.attempts = (run.attempts or 0) + 1
        run.started_at = _now()
        run.job_id = job_id
        await runs.save(run)

        rules = [registry_rule(registry, k, fk) for k, fk in REGISTRY_KINDS.items()]
        rules += [funding_rule(funding, r, fk) for r, fk in FUNDING_REASONS.items()]
        rules += local_rules(session)
        flags = FlagRepository(session)
        seen = raised = 0
        raised_flags: list[ProfiteeringFlag] = []
        current = "start"
        try:
            async with session.begin_nested():
                for rule in rules:
                    current = rule.name
                    async for findings in rule.pages():
                        seen += len(findings)
                        raised_flags += await self._raise_new(flags, run, findings)
                        if on_progress is not None:
                            await on_progress(seen)
                for flag in raised_flags:
                    await emit_flag_event(session, "profiteering_flag.raised", flag)
        except (
            UpstreamUnavailable,
            UpstreamRequestError,
            ValidationError,
            SourceUnavailable,
        ) as exc:
            return await self._delay(session, run, current, exc, retry_after)
        raised = len(raised_flags)
        run.status = RunStatus.SUCCEEDED.value
        run.signals_seen = seen
        run.flags_raised = raised
        run.delayed_reason = None
        run.next_attempt_at = None
        run.skipped_rules = list(skipped_rules or [])
        run.finished_at = _now()
        await runs.save(run)
        await emit_run_event(session, "profiteering_run.succeeded", run)
        return RunOutcome(RunStatus.SUCCEEDED, seen, raised)

    async def _raise_new(
        self, flags: FlagRepository, run: ProfiteeringRun, findings: list[Finding]
    ) -> list[ProfiteeringFlag]:
        added: list[ProfiteeringFlag] = []
        by_source: dict[FlagSource, list[Finding]] = {}
        for finding in findings:
            by_source.setdefault(finding.source, []).append(finding)
        for source, group in by_source.items():
            known = await flags.existing_keys(source.value, (f.key for f in group))
            for finding in group:
                if finding.key in known:
                    continue
                known.add(finding.key)
                flag = ProfiteeringFlag(
                    source=source.value,
                    key=finding.key,
                    kind=finding.kind.value,
                    status=FlagStatus.OPEN.value,
                    province_code=finding.province_code,
                    commune_code=finding.commune_code,
                    observed_at=finding.observed_at,
                    evidence=finding.evidence,
                    run_id=run.id,
                    **finding.ids,
                )
                if await flags.insert_new(flag):
                    added.append(flag)
        return added

    async def _delay(
        self,
        session: AsyncSession,
        run: ProfiteeringRun,
        rule: str,
        exc: Exception,
        retry_after: timedelta,
    ) -> RunOutcome:
        if isinstance(exc, ValidationError):
            why = "answered something this service cannot read"
        elif isinstance(exc, UpstreamRequestError):
            why = f"refused the request ({exc.upstream_status})"
        else:
            why = str(exc) or type(exc).__name__
        reason = scrub(f"{rule}: {why}")[:500]
        logger.warning("profiteering run %s delayed: %s", run.id, reason)
        run.status = RunStatus.DELAYED.value
        run.delayed_reason = reason
        run.next_attempt_at = _now() + retry_after
        run.signals_seen = 0
        run.flags_raised = 0
        await RunRepository(session).save(run)
        retry = await enqueue(
            session, Job, DETECTION_JOB, {"run_id": str(run.id)}, run_after=run.next_attempt_at
        )
        run.job_id = retry.id
        await RunRepository(session).save(run)
        await emit_run_event(session, "profiteering_run.delayed", run)
        return RunOutcome(RunStatus.DELAYED, reason=reason)


detection_service = DetectionService()
