"""Each rule on a positive and a negative example; re-running; sources down or dying mid-run."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.clients.funding import FundingClient
from inspection_api.clients.registry import RegistryClient
from inspection_api.models import (
    CommercialProject,
    Job,
    LandReserveObligation,
    LandReserveRule,
    OutboxEvent,
    ProfiteeringFlag,
    ProfiteeringRun,
)
from inspection_api.profiteering.detection import (
    DETECTION_JOB,
    RunOutcome,
    detection_service,
    land_reserve_rule,
    local_today,
)

HAI_PHONG = "31"
THUY_NGUYEN = "11560"
RETRY = timedelta(minutes=5)
REGISTRY_KINDS = [
    "supported_twice",
    "ineligible_application",
    "resale_within_lock",
    "multiple_open_applications",
]


def signal(kind: str, **overrides: Any) -> dict[str, Any]:
    person = str(uuid.uuid4())
    data: dict[str, Any] = {
        "key": f"{kind}:{person}",
        "kind": kind,
        "person_id": person,
        "household_id": None,
        "application_id": str(uuid.uuid4()),
        "contract_id": None,
        "project_id": str(uuid.uuid4()),
        "province_code": HAI_PHONG,
        "commune_code": THUY_NGUYEN,
        "observed_at": "2026-11-20T03:00:00Z",
        "evidence": {"rule": kind, "support_case_ids": [str(uuid.uuid4()), str(uuid.uuid4())]},
        "a_field_added_later": True,
    }
    return data | overrides


def loan_exception(reason: str, status: str = "open", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "loan_id": str(uuid.uuid4()),
        "reason": reason,
        "status": status,
        "province_code": HAI_PHONG,
        "commune_code": THUY_NGUYEN,
        "created_at": "2026-11-21T08:00:00Z",
        "evidence": {"borrower_match": "none", "disbursed_on": "2026-10-01"},
    }
    return data | overrides


async def run(
    session: AsyncSession,
    registry: RegistryClient,
    funding: FundingClient,
    *,
    run_id: uuid.UUID | None = None,
    with_land: bool = True,
) -> RunOutcome:
    from inspection_api.profiteering.detection import land_reserve_rules, no_local_rules

    return await detection_service.execute(
        session,
        run_id=run_id,
        job_id=None,
        registry=registry,
        funding=funding,
        retry_after=RETRY,
        local_rules=land_reserve_rules if with_land else no_local_rules,
    )


async def flags(session: AsyncSession, **where: Any) -> list[ProfiteeringFlag]:
    stmt = select(ProfiteeringFlag).filter_by(**where).order_by(ProfiteeringFlag.id)
    return list((await session.scalars(stmt)).all())


async def count(session: AsyncSession, model: Any, *where: Any) -> int:
    return int((await session.scalar(select(func.count()).select_from(model).where(*where))) or 0)


class TestRegistryRules:
    @pytest.mark.parametrize("kind", REGISTRY_KINDS)
    async def test_a_signal_raises_a_flag_with_its_evidence(
        self,
        kind: str,
        db_session: AsyncSession,
        registry_stub: Any,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        item = signal(kind)
        registry_stub.signals[kind] = [item]
        outcome = await run(db_session, registry_client, funding_client)
        assert (outcome.status, outcome.flags_raised) == ("succeeded", 1)
        [flag] = await flags(db_session)
        assert (flag.kind, flag.source, flag.key, flag.status) == (kind, "registry", item["key"], "open")
        assert str(flag.person_id) == item["person_id"]
        assert str(flag.project_id) == item["project_id"]
        assert (flag.province_code, flag.commune_code) == (HAI_PHONG, THUY_NGUYEN)
        assert flag.evidence == item["evidence"]
        assert flag.observed_at == datetime(2026, 11, 20, 3, tzinfo=UTC)

    @pytest.mark.parametrize("kind", REGISTRY_KINDS)
    async def test_no_signal_of_the_kind_raises_no_flag_of_it(
        self,
        kind: str,
        db_session: AsyncSession,
        registry_stub: Any,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        # Signals of every other kind, none of this one.
        for other in REGISTRY_KINDS:
            if other != kind:
                registry_stub.signals[other] = [signal(other)]
        outcome = await run(db_session, registry_client, funding_client)
        assert outcome.status == "succeeded"
        assert await flags(db_session, kind=kind) == []
        assert len(await flags(db_session)) == len(REGISTRY_KINDS) - 1

    async def test_reads_every_page(
        self,
        db_session: AsyncSession,
        registry_stub: Any,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        registry_stub.page_size = 2
        registry_stub.signals["supported_twice"] = [signal("supported_twice") for _ in range(5)]
        outcome = await run(db_session, registry_client, funding_client)
        assert (outcome.signals_seen, outcome.flags_raised) == (5, 5)

    async def test_redacts_a_citizen_id_that_slipped_into_the_evidence(
        self,
        db_session: AsyncSession,
        registry_stub: Any,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        registry_stub.signals["supported_twice"] = [
            signal("supported_twice", evidence={"note": "CCCD 031234567890", "n": 31234567890})
        ]
        await run(db_session, registry_client, funding_client)
        [flag] = await flags(db_session)
        assert "031234567890" not in str(flag.evidence)
        assert flag.evidence["n"] == "[redacted]"


class TestFundingRules:
    @pytest.mark.parametrize(
        ("reason", "kind"),
        [("unknown_borrower", "loan_unknown_borrower"), ("ineligible_borrower", "loan_ineligible_borrower")],
    )
    async def test_an_open_loan_exception_raises_a_flag(
        self,
        reason: str,
        kind: str,
        db_session: AsyncSession,
        funding_stub: Any,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        item = loan_exception(reason)
        funding_stub.loan_exceptions = [item]
        outcome = await run(db_session, registry_client, funding_client)
        assert outcome.flags_raised == 1
        [flag] = await flags(db_session)
        assert (flag.kind, flag.source, flag.key) == (kind, "funding", f"loan_exception:{item['id']}")
        assert str(flag.loan_id) == item["loan_id"]
        assert flag.evidence["loan_exception_id"] == item["id"]
        assert flag.evidence["reason"] == reason

    @pytest.mark.parametrize(
        "item",
        [
            loan_exception("cap_exceeded"),
            loan_exception("rate_mismatch"),
            loan_exception("unknown_borrower", status="resolved"),
            loan_exception("ineligible_borrower", status="dismissed"),
        ],
        ids=["cap_exceeded", "rate_mismatch", "resolved", "dismissed"],
    )
    async def test_other_reasons_and_closed_exceptions_raise_nothing(
        self,
        item: dict[str, Any],
        db_session: AsyncSession,
        funding_stub: Any,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        funding_stub.loan_exceptions = [item]
        outcome = await run(db_session, registry_client, funding_client)
        assert (outcome.status, outcome.flags_raised) == ("succeeded", 0)
        assert await flags(db_session) == []


async def obligation(session: AsyncSession, *, due_on: date | None, status: str = "reserved_in_plan") -> Any:
    rule = LandReserveRule(
        code=f"test-{uuid.uuid4()}",
        reserve_rate=Decimal("0.2"),
        infrastructure_cost_rate=Decimal("0.2"),
        valid_from=date(2025, 1, 1),
        legal_basis="Decree 261/2025/NĐ-CP (test)",
    )
    project = CommercialProject(
        province_code=HAI_PHONG,
        commune_code=THUY_NGUYEN,
        name="Khu đô thị thử nghiệm",
        investor_name="Công ty thử nghiệm",
        kind="urban_area",
        residential_land_m2=Decimal("100000"),
    )
    session.add_all([rule, project])
    await session.flush()
    row = LandReserveObligation(
        province_code=HAI_PHONG,
        commune_code=THUY_NGUYEN,
        commercial_project_id=project.id,
        rule_id=rule.id,
        method="reserve_land",
        status=status,
        decided_on=date(2025, 3, 1),
        residential_land_m2=Decimal("100000"),
        reserve_rate=Decimal("0.2"),
        required_area_m2=Decimal("20000"),
        reserved_in_plan_on=date(2025, 3, 1),
        infrastructure_built_due=due_on,
        due_on=due_on,
    )
    session.add(row)
    await session.flush()
    return row


class TestLandReserveRule:
    async def test_an_obligation_past_its_deadline_raises_a_flag(
        self, db_session: AsyncSession, registry_client: RegistryClient, funding_client: FundingClient
    ) -> None:
        row = await obligation(db_session, due_on=local_today() - timedelta(days=1))
        outcome = await run(db_session, registry_client, funding_client)
        assert outcome.flags_raised == 1
        [flag] = await flags(db_session)
        assert flag.kind == "land_reserve_overdue"
        assert flag.source == "inspection"
        assert flag.key == f"land_reserve_overdue:{row.id}:infrastructure_built"
        assert flag.obligation_id == row.id
        assert flag.evidence["missed_stage"] == "infrastructure_built"
        assert flag.evidence["due_on"] == row.due_on.isoformat()

    @pytest.mark.parametrize("days", [0, 30, None], ids=["due_today", "due_later", "no_deadline"])
    async def test_an_obligation_within_its_deadline_raises_nothing(
        self,
        days: int | None,
        db_session: AsyncSession,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        await obligation(db_session, due_on=None if days is None else local_today() + timedelta(days=days))
        outcome = await run(db_session, registry_client, funding_client)
        assert outcome.flags_raised == 0

    async def test_a_later_missed_stage_is_a_new_flag(self, db_session: AsyncSession) -> None:
        row = await obligation(db_session, due_on=date(2026, 1, 1))
        first = [f async for f in land_reserve_rule(db_session, date(2026, 6, 1)).pages()]
        row.status = "infrastructure_built"
        row.infrastructure_built_on = date(2026, 2, 1)
        row.cleared_due = row.due_on = date(2026, 5, 1)
        await db_session.flush()
        second = [f async for f in land_reserve_rule(db_session, date(2026, 6, 1)).pages()]
        assert [f.key for page in first for f in page] != [f.key for page in second for f in page]


class TestRerunning:
    async def test_running_again_raises_nothing_twice(
        self,
        db_session: AsyncSession,
        registry_stub: Any,
        funding_stub: Any,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        registry_stub.signals["resale_within_lock"] = [signal("resale_within_lock")]
        funding_stub.loan_exceptions = [loan_exception("unknown_borrower")]
        await obligation(db_session, due_on=date(2026, 1, 1))
        first = await run(db_session, registry_client, funding_client)
        second = await run(db_session, registry_client, funding_client)
        assert (first.flags_raised, second.flags_raised) == (3, 0)
        assert second.signals_seen == 3
        assert len(await flags(db_session)) == 3
        raised = await count(db_session, OutboxEvent, OutboxEvent.type == "profiteering_flag.raised")
        assert raised == 3

    async def test_a_dismissed_flag_is_not_raised_again(
        self,
        db_session: AsyncSession,
        registry_stub: Any,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        registry_stub.signals["supported_twice"] = [signal("supported_twice")]
        await run(db_session, registry_client, funding_client)
        [flag] = await flags(db_session)
        flag.status, flag.dismissed_reason = "dismissed", "Đã kiểm tra: trùng hồ sơ do nhập liệu"
        await db_session.flush()
        assert (await run(db_session, registry_client, funding_client)).flags_raised == 0

    async def test_the_database_refuses_a_second_flag_with_the_same_key(
        self, db_session: AsyncSession
    ) -> None:
        def make() -> ProfiteeringFlag:
            return ProfiteeringFlag(
                source="registry",
                key="supported_twice:same",
                kind="supported_twice",
                status="open",
                province_code=HAI_PHONG,
                observed_at=datetime.now(UTC),
                evidence={},
            )

        db_session.add(make())
        await db_session.flush()
        async with db_session.begin_nested():
            db_session.add(make())
            with pytest.raises(IntegrityError):
                await db_session.flush()


class TestSourceDown:
    @pytest.mark.parametrize("down", ["registry", "funding"])
    async def test_a_source_down_delays_the_run_and_raises_nothing(
        self,
        down: str,
        db_session: AsyncSession,
        registry_stub: Any,
        funding_stub: Any,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        registry_stub.signals["supported_twice"] = [signal("supported_twice")]
        funding_stub.loan_exceptions = [loan_exception("unknown_borrower")]
        await obligation(db_session, due_on=date(2026, 1, 1))
        (registry_stub if down == "registry" else funding_stub).down = True
        outcome = await run(db_session, registry_client, funding_client)
        assert outcome.status == "delayed"
        assert outcome.reason is not None
        assert outcome.reason.startswith(down)
        assert await flags(db_session) == []
        assert await count(db_session, OutboxEvent, OutboxEvent.type == "profiteering_flag.raised") == 0
        [stored] = (await db_session.scalars(select(ProfiteeringRun))).all()
        assert stored.status == "delayed"
        assert stored.delayed_reason == outcome.reason
        assert stored.next_attempt_at is not None
        retry = await db_session.get(Job, stored.job_id)
        assert retry is not None
        assert (retry.kind, retry.payload, retry.status) == (
            DETECTION_JOB,
            {"run_id": str(stored.id)},
            "queued",
        )
        assert retry.run_after >= stored.next_attempt_at - timedelta(seconds=1)

        # The source is back: the retry completes the same run.
        registry_stub.down = funding_stub.down = False
        outcome = await run(db_session, registry_client, funding_client, run_id=stored.id)
        assert (outcome.status, outcome.flags_raised) == ("succeeded", 3)
        await db_session.refresh(stored)
        assert (stored.status, stored.attempts) == ("succeeded", 2)
        assert stored.delayed_reason is None

    async def test_a_source_dying_mid_run_applies_nothing(
        self,
        db_session: AsyncSession,
        registry_stub: Any,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        registry_stub.page_size = 2
        registry_stub.signals["supported_twice"] = [signal("supported_twice") for _ in range(3)]
        registry_stub.fail_after_first_page = {"supported_twice"}
        outcome = await run(db_session, registry_client, funding_client)
        assert outcome.status == "delayed"
        assert await flags(db_session) == []

    async def test_an_unreadable_answer_delays_the_run(
        self,
        db_session: AsyncSession,
        registry_stub: Any,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        registry_stub.signals["supported_twice"] = [signal("supported_twice", province_code="Hải Phòng")]
        outcome = await run(db_session, registry_client, funding_client)
        assert outcome.status == "delayed"
        assert outcome.reason == "registry:supported_twice: answered something this service cannot read"
        assert await flags(db_session) == []

    async def test_a_signal_of_another_kind_delays_the_run(
        self,
        db_session: AsyncSession,
        registry_stub: Any,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        registry_stub.signals["supported_twice"] = [signal("resale_within_lock")]
        outcome = await run(db_session, registry_client, funding_client)
        assert outcome.status == "delayed"
        assert await flags(db_session) == []

    async def test_the_periodic_trigger_resumes_a_delayed_run(
        self,
        db_session: AsyncSession,
        registry_stub: Any,
        registry_client: RegistryClient,
        funding_client: FundingClient,
    ) -> None:
        registry_stub.down = True
        await run(db_session, registry_client, funding_client)
        registry_stub.down = False
        outcome = await run(db_session, registry_client, funding_client)
        assert outcome.status == "succeeded"
        assert await count(db_session, ProfiteeringRun) == 1
