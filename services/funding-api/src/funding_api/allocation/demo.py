"""Demo funding (never in production): the sources of Hải Dương's 2024-2025 campaign to eliminate
temporary houses, in the campaign's proportions (327.1 bn VND: 73.5 bn provincial budget, 3.7 bn
gratitude fund, 1.74 bn Fund for the Poor, about 220 bn families and clans, the rest other sources;
domain.md §3), their appropriations and pledges, the money received, and, by a job, funding lines
for registry-api's demo support cases (whose ids are random: the job lists them with the service
token, retrying while registry-api is not up).

Decision numbers, contributors and the split of "other sources" are invented for the demo.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.allocation.repository import AllocationRepository
from funding_api.allocation.schemas import AllocationCreate, DisbursementCreate
from funding_api.allocation.service import allocation_service
from funding_api.clients.registry import RegistryClient, SupportCaseRef
from funding_api.ledger.repository import LedgerRepository
from funding_api.ledger.service import Posting, ledger_service
from funding_api.models import (
    AllocationTarget,
    CommitmentKind,
    ContributorKind,
    FundingCommitment,
    FundingContributor,
    FundingSource,
    FundingSourceKind,
    Job,
    JournalEntryKind,
    LedgerAccountKind,
    Side,
)
from servicekit.areas import AreaScope
from servicekit.errors import AppError, UpstreamUnavailable
from servicekit.http import UpstreamRequestError
from servicekit.jobs import JobContext, JobRegistry, enqueue
from servicekit.principal import Principal, Role

PROVINCE = "31"  # Hải Phòng, into which Hải Dương merged on 1/7/2025
DEMO_JOB = "funding.demo_allocations"
BN = 1_000_000_000
SEED_ACTOR = "seed:funding-demo"
ALLOCATING_STATUSES = frozenset({"approved", "started", "completed", "accepted"})
PAID_STATUSES = frozenset({"completed", "accepted"})


@dataclass(frozen=True)
class DemoPlan:
    year: int
    kind: CommitmentKind
    amount_vnd: int
    number: str
    issued_on: date
    issuer: str
    contributor: str | None = None


@dataclass(frozen=True)
class DemoSource:
    kind: FundingSourceKind
    name: str
    plans: tuple[DemoPlan, ...]
    received_vnd: int  # what has arrived of the plan (the report shows the gap)


UBND = "UBND tỉnh Hải Dương"
ENTERPRISES = (
    ("Công ty CP Thép Hòa Phát Hải Dương (demo)", ContributorKind.ENTERPRISE_DOMESTIC, "0800000001", None),
    ("Công ty TNHH Điện tử Hải Dương (demo)", ContributorKind.ENTERPRISE_FOREIGN, "0800000002", "JP"),
)
SOURCES = (
    DemoSource(
        FundingSourceKind.PROVINCIAL_BUDGET,
        "Ngân sách tỉnh — xóa nhà tạm, nhà dột nát 2024-2025",
        (
            DemoPlan(2024, CommitmentKind.APPROPRIATION, 30 * BN, "2890/QĐ-UBND", date(2024, 11, 15), UBND),
            DemoPlan(
                2025, CommitmentKind.APPROPRIATION, 43_500_000_000, "120/QĐ-UBND", date(2025, 1, 20), UBND
            ),
        ),
        73_500_000_000,
    ),
    DemoSource(
        FundingSourceKind.GRATITUDE_FUND,
        "Quỹ Đền ơn đáp nghĩa tỉnh",
        (
            DemoPlan(
                2025,
                CommitmentKind.APPROPRIATION,
                3_700_000_000,
                "15/QĐ-QĐƠĐN",
                date(2025, 2, 1),
                "Ban quản lý Quỹ Đền ơn đáp nghĩa tỉnh",
            ),
        ),
        3_700_000_000,
    ),
    DemoSource(
        FundingSourceKind.FUND_FOR_THE_POOR,
        "Quỹ Vì người nghèo tỉnh",
        (
            DemoPlan(
                2025,
                CommitmentKind.APPROPRIATION,
                1_740_000_000,
                "08/QĐ-MTTQ",
                date(2025, 2, 10),
                "Ủy ban MTTQ Việt Nam tỉnh Hải Dương",
            ),
        ),
        1_740_000_000,
    ),
    DemoSource(
        FundingSourceKind.FAMILIES_AND_COMMUNITY,
        "Gia đình, dòng họ và cộng đồng",
        (
            DemoPlan(
                2025,
                CommitmentKind.PLEDGE,
                220 * BN,
                "Tổng hợp cam kết 2025",
                date(2025, 1, 10),
                "UBND các xã (tổng hợp)",
            ),
        ),
        210 * BN,
    ),
    DemoSource(
        FundingSourceKind.SOCIALIZED_DOMESTIC,
        "Doanh nghiệp ủng hộ xóa nhà tạm",
        (
            DemoPlan(
                2024,
                CommitmentKind.PLEDGE,
                18 * BN,
                "CV-01/2024",
                date(2024, 10, 20),
                ENTERPRISES[0][0],
                ENTERPRISES[0][0],
            ),
            DemoPlan(
                2025,
                CommitmentKind.PLEDGE,
                10_160_000_000,
                "CV-07/2025",
                date(2025, 3, 5),
                ENTERPRISES[1][0],
                ENTERPRISES[1][0],
            ),
        ),
        25 * BN,
    ),
)


async def seed_demo_funding(session: AsyncSession) -> int:
    """The demo sources with their plans and receipts; a source already there is left alone."""
    added = 0
    contributors: dict[str, uuid.UUID] = {}
    for name, kind, tax_code, country in ENTERPRISES:
        found = await session.scalar(
            select(FundingContributor).where(
                FundingContributor.province_code == PROVINCE, FundingContributor.name == name
            )
        )
        if found is None:
            found = FundingContributor(
                province_code=PROVINCE, kind=kind.value, name=name, tax_code=tax_code, country_code=country
            )
            session.add(found)
            await session.flush()
        contributors[name] = found.id
    ledger = LedgerRepository(session)
    for demo in SOURCES:
        exists = await session.scalar(
            select(FundingSource.id).where(
                FundingSource.province_code == PROVINCE, FundingSource.name == demo.name
            )
        )
        if exists is not None:
            continue
        source = FundingSource(province_code=PROVINCE, kind=demo.kind.value, name=demo.name, active=True)
        session.add(source)
        await session.flush()
        first: FundingCommitment | None = None
        for plan in demo.plans:
            commitment = FundingCommitment(
                source_id=source.id,
                contributor_id=contributors[plan.contributor] if plan.contributor else None,
                province_code=PROVINCE,
                kind=plan.kind.value,
                fiscal_year=plan.year,
                amount_vnd=plan.amount_vnd,
                decision_number=plan.number,
                decision_date=plan.issued_on,
                decision_issuer=plan.issuer,
                note="Demo",
            )
            session.add(commitment)
            await session.flush()
            first = first or commitment
        cash = await ledger.source_account(source, LedgerAccountKind.SOURCE_CASH)
        inflow = await ledger.source_account(source, LedgerAccountKind.SOURCE_INFLOW)
        await ledger_service.post(
            session,
            kind=JournalEntryKind.RECEIPT,
            booked_on=demo.plans[0].issued_on,
            description=f"Receipt into {demo.name} (demo)",
            source_id=source.id,
            province_code=PROVINCE,
            commitment_id=first.id if first else None,
            created_by=SEED_ACTOR,
            postings=[
                Posting(cash, Side.DEBIT, demo.received_vnd),
                Posting(inflow, Side.CREDIT, demo.received_vnd),
            ],
        )
        added += 1
    return added


def demo_principal() -> Principal:
    """The finance officer the demo job acts as (the audit trail shows the job's subject)."""
    return Principal(
        subject="funding-api:demo-job",
        client_id="funding-api",
        roles=frozenset({Role.FINANCE_OFFICER.value}),
        scopes=frozenset(),
        area=AreaScope.from_codes([PROVINCE]),
    )


def demo_lines(case: SupportCaseRef) -> list[tuple[FundingSourceKind, int]]:
    """The mix of a real case: the state grant, then gratitude fund or Fund for the Poor, then family."""
    new_build = case.kind == "new_build"
    grant = case.amount_vnd or (60_000_000 if new_build else 30_000_000)
    spread = (case.id.int % 5) * 10_000_000
    lines = [(FundingSourceKind.PROVINCIAL_BUDGET, grant)]
    if case.stream == "merit":
        lines.append((FundingSourceKind.GRATITUDE_FUND, 5_000_000))
    else:
        lines.append((FundingSourceKind.FUND_FOR_THE_POOR, 2_000_000))
    lines.append(
        (FundingSourceKind.FAMILIES_AND_COMMUNITY, (150_000_000 if new_build else 40_000_000) + spread)
    )
    if case.id.int % 3 == 0:
        lines.append((FundingSourceKind.SOCIALIZED_DOMESTIC, 20_000_000))
    return lines


async def allocate_demo_cases(session: AsyncSession, registry: RegistryClient) -> dict[str, int]:
    """Fund and pay the demo cases registry-api lists; cases that already have lines are skipped."""
    sources = {
        s.kind: s
        for s in (
            await session.scalars(
                select(FundingSource).where(
                    FundingSource.province_code == PROVINCE, FundingSource.name.in_([d.name for d in SOURCES])
                )
            )
        ).all()
    }
    caller = demo_principal()
    repo = AllocationRepository(session)
    counts = {"cases": 0, "lines": 0, "disbursements": 0, "skipped": 0}
    cursor: str | None = None
    while True:
        page = await registry.support_cases(cursor=cursor, limit=100)
        for case in page.items:
            if case.status not in ALLOCATING_STATUSES or case.province_code != PROVINCE:
                continue
            if await repo.any_for_support_case(case.id):
                counts["skipped"] += 1
                continue
            counts["cases"] += 1
            for kind, amount in demo_lines(case):
                source = sources.get(kind.value)
                if source is None:
                    continue
                try:
                    async with session.begin_nested():
                        line = await allocation_service.allocate(
                            session,
                            caller,
                            registry,
                            AllocationCreate(
                                source_id=source.id,
                                target_kind=AllocationTarget.SUPPORT_CASE,
                                support_case_id=case.id,
                                amount_vnd=amount,
                                decision_number="DEMO/QĐ-UBND",
                                decision_date=date(2025, 3, 1),
                                note="Demo",
                            ),
                        )
                        counts["lines"] += 1
                        paid = (
                            amount
                            if case.status in PAID_STATUSES
                            else amount // 2
                            if case.status == "started"
                            else 0
                        )
                        if paid:
                            await allocation_service.disburse(
                                session,
                                caller,
                                line.allocation.id,
                                DisbursementCreate(
                                    amount_vnd=paid, disbursed_on=date(2025, 5, 15), reference="DEMO-UNC"
                                ),
                            )
                            counts["disbursements"] += 1
                except (UpstreamUnavailable, UpstreamRequestError):
                    raise  # registry-api stopped answering: retry the whole job later
                except AppError:
                    continue  # a source run dry, or a case registry-api no longer shows: leave the line out
        cursor = page.next_cursor
        if cursor is None:
            return counts


def demo_allocations_handler(client_factory: Callable[[], RegistryClient]) -> Any:
    async def run(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        # registry-api down or not ready: the exception makes the worker retry later, with back-off.
        return dict(await allocate_demo_cases(ctx.session, client_factory()))

    return run


def register_demo_jobs(registry: JobRegistry, client_factory: Callable[[], RegistryClient]) -> None:
    registry.register(DEMO_JOB, demo_allocations_handler(client_factory), max_attempts=20, timeout_s=900)


async def enqueue_demo_allocations(session: AsyncSession) -> bool:
    """Queue the demo job (once: a queued or running one is reused); the worker runs it."""
    job = await enqueue(
        session, Job, DEMO_JOB, {}, dedupe_key=DEMO_JOB, max_attempts=20, created_by=SEED_ACTOR
    )
    return job.attempts == 0
