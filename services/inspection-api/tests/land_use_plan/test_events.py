"""Land-use plan changes are audited and emit outbox events (ids and non-personal attributes)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.models import AuditRecord, OutboxEvent


async def test_create_and_update_emit_events_and_audit(
    client: httpx.AsyncClient, auth: Callable[..., dict[str, str]], db_session: AsyncSession
) -> None:
    headers = auth(roles=["province_officer"], area_codes=["31"])
    body = {"province_code": "31", "name": "Quy hoạch chung", "level": "general", "status": "draft"}
    created = await client.post("/v1/land-use-plans", json=body, headers=headers)
    assert created.status_code == 201, created.text
    plan_id = created.json()["id"]
    updated = await client.patch(
        f"/v1/land-use-plans/{plan_id}",
        json={"social_housing_land_m2": 42_000},
        headers=headers | {"If-Match": created.headers["etag"]},
    )
    assert updated.status_code == 200, updated.text
    events = (await db_session.execute(select(OutboxEvent).order_by(OutboxEvent.seq))).scalars().all()
    assert [(e.type, e.data["land_use_plan_id"]) for e in events] == [
        ("land_use_plan.recorded", plan_id),
        ("land_use_plan.updated", plan_id),
    ]
    assert events[1].data["changed"] == ["social_housing_land_m2"]
    assert events[1].area_codes == ["31"]
    audit = (
        (await db_session.execute(select(AuditRecord).where(AuditRecord.resource_id == plan_id)))
        .scalars()
        .all()
    )
    assert len(audit) == 2
    assert sorted(str((a.after or {}).get("social_housing_land_m2")) for a in audit) == ["42000", "None"]
