"""Demo flags for the review queue, inserted directly (upstreams are not up when the seed runs)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.models.profiteering import FlagKind, FlagSource, FlagStatus, ProfiteeringFlag
from inspection_api.profiteering.detection import emit_flag_event
from inspection_api.profiteering.repository import FlagRepository

# Fixed keys (prefixed "demo:") make the step idempotent; ids are invented, no real person behind them.
DEMO_FLAGS: list[dict[str, Any]] = [
    {
        "source": FlagSource.REGISTRY,
        "key": "demo:supported_twice:1",
        "kind": FlagKind.SUPPORTED_TWICE,
        "commune_code": "11560",
        "person_id": uuid.UUID("01960000-0000-7000-8000-00000000d001"),
        "evidence": {
            "rule": "one_support_only",
            "support_case_count": 2,
            "programmes": ["noxh_purchase", "rent"],
        },
    },
    {
        "source": FlagSource.REGISTRY,
        "key": "demo:resale_within_lock:1",
        "kind": FlagKind.RESALE_WITHIN_LOCK,
        "commune_code": "10525",
        "contract_id": uuid.UUID("01960000-0000-7000-8000-00000000d002"),
        "evidence": {"rule": "resale_lock_5y", "contract_signed_on": "2023-05-10", "resale_on": "2026-09-01"},
    },
    {
        "source": FlagSource.REGISTRY,
        "key": "demo:multiple_open_applications:1",
        "kind": FlagKind.MULTIPLE_OPEN_APPLICATIONS,
        "commune_code": "11560",
        "person_id": uuid.UUID("01960000-0000-7000-8000-00000000d003"),
        "evidence": {"rule": "one_project_at_a_time", "open_application_count": 3},
    },
    {
        "source": FlagSource.FUNDING,
        "key": "demo:loan_exception:1",
        "kind": FlagKind.LOAN_UNKNOWN_BORROWER,
        "commune_code": "10525",
        "loan_id": uuid.UUID("01960000-0000-7000-8000-00000000d004"),
        "evidence": {"reason": "unknown_borrower", "disbursed_on": "2026-08-15"},
        "status": FlagStatus.DISMISSED,
        "dismissed_reason": "Người vay đã được bổ sung vào cơ sở dữ liệu sau khi đối chiếu hồ sơ giấy.",
    },
]


async def seed_demo_flags(session: AsyncSession) -> str:
    flags = FlagRepository(session)
    added = 0
    for spec in DEMO_FLAGS:
        data = dict(spec)
        source = data.pop("source")
        if await flags.existing_keys(source.value, [data["key"]]):
            continue
        status = data.pop("status", FlagStatus.OPEN)
        flag = ProfiteeringFlag(
            source=source.value,
            kind=data.pop("kind").value,
            status=status.value,
            province_code="31",
            observed_at=datetime(2026, 11, 1, 2, 0, tzinfo=UTC),
            decided_by="demo-seed" if status != FlagStatus.OPEN else None,
            decided_at=datetime(2026, 11, 5, 2, 0, tzinfo=UTC) if status != FlagStatus.OPEN else None,
            **data,
        )
        await flags.save(flag)
        await emit_flag_event(session, "profiteering_flag.raised", flag)
        added += 1
    return f"{added} demo flags added ({len(DEMO_FLAGS) - added} already there)"
