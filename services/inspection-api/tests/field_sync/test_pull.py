"""Pulling by the server sequence: what an inspector sees, and no change skipped when committed late."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inspection_api.models import ChecklistTemplate, InspectionCase, InspectionFinding

Auth = Callable[..., dict[str, str]]
PULL = "/v1/field-sync/changes"


async def pull_all(
    client: httpx.AsyncClient, headers: dict[str, str], cursor: str | None = None, limit: int = 200
) -> tuple[list[dict[str, Any]], str]:
    items: list[dict[str, Any]] = []
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await client.get(PULL, params=params, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not page["items"]:
            assert cursor
            return items, cursor


def finding(case: InspectionCase, note: str) -> InspectionFinding:
    return InspectionFinding(
        case_id=case.id,
        outcome="observation",
        note=note,
        recorded_by="inspector-a",
        province_code=case.province_code,
        commune_code=case.commune_code,
    )


async def seed(
    sessionmaker: async_sessionmaker[AsyncSession], b: Any
) -> tuple[InspectionCase, InspectionCase]:
    async with sessionmaker() as session, session.begin():
        mine = b.make_case()
        theirs = b.make_case(inspector="inspector-b")
        template = ChecklistTemplate(
            code=f"t-{uuid.uuid4().hex[:8]}", kind="construction_check", title="Kiểm tra quỹ đất 20%"
        )
        session.add_all([mine, theirs, template])
        await session.flush()
        session.add_all([finding(mine, "của tôi"), finding(theirs, "của người khác")])
    return mine, theirs


async def test_an_inspector_pulls_their_cases_and_reference_data(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    auth: Auth,
    b: Any,
) -> None:
    mine, theirs = await seed(committing_sessionmaker, b)
    headers = auth(roles=["inspector"], area_codes=[b.THUY_NGUYEN], subject=b.INSPECTOR)
    items, cursor = await pull_all(committing_client, headers, limit=2)
    # A case brings its findings along, so a finding may come twice: an upsert is idempotent.
    kinds = sorted({(i["entity_type"], i["data"].get("note") or i["data"].get("title")) for i in items})
    assert kinds == [
        ("checklist_template", "Kiểm tra quỹ đất 20%"),
        ("inspection_case", "Kiểm tra dự án NOXH Thuỷ Nguyên"),
        ("inspection_finding", "của tôi"),
    ]
    assert all(i["entity_id"] != str(theirs.id) for i in items)
    # Nothing new: the same cursor gives nothing.
    again, _ = await pull_all(committing_client, headers, cursor)
    assert again == []

    # A change after the cursor is all the next pull brings.
    async with committing_sessionmaker() as session, session.begin():
        row = await session.get(InspectionCase, mine.id)
        assert row is not None
        row.summary = "Đã đến hiện trường"
    items, _ = await pull_all(committing_client, headers, cursor)
    assert [
        (i["entity_type"], i["data"]["summary"]) for i in items if i["entity_type"] == "inspection_case"
    ] == [("inspection_case", "Đã đến hiện trường")]

    # Another commune's inspector, even assigned, sees no case outside their area.
    elsewhere = auth(roles=["inspector"], area_codes=[b.HAI_DUONG], subject=b.INSPECTOR)
    items, _ = await pull_all(committing_client, elsewhere)
    assert {i["entity_type"] for i in items} == {"checklist_template"}


async def test_a_change_committed_late_is_not_skipped(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    auth: Auth,
    b: Any,
) -> None:
    mine, _ = await seed(committing_sessionmaker, b)
    headers = auth(roles=["inspector"], area_codes=[b.THUY_NGUYEN], subject=b.INSPECTOR)
    _, cursor = await pull_all(committing_client, headers)

    slow = committing_sessionmaker()
    await slow.begin()
    slow.add(finding(mine, "chậm"))
    await slow.flush()  # takes its transaction id (and sequence number) first...
    async with committing_sessionmaker() as fast, fast.begin():
        fast.add(finding(mine, "nhanh"))  # ...this one commits first
    try:
        items, cursor_during = await pull_all(committing_client, headers, cursor)
        # Served only below the oldest running transaction: the fast one waits for the slow one.
        assert items == []
    finally:
        await slow.commit()
        await slow.close()
    items, _ = await pull_all(committing_client, headers, cursor_during)
    assert sorted(i["data"]["note"] for i in items) == ["chậm", "nhanh"]


async def test_only_inspectors_pull(client: httpx.AsyncClient, auth: Auth) -> None:
    response = await client.get(PULL, headers=auth(roles=["province_officer"], area_codes=["31"]))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


async def test_a_tampered_cursor_is_a_400(client: httpx.AsyncClient, auth: Auth) -> None:
    headers = auth(roles=["inspector"], area_codes=["11560"])
    response = await client.get(PULL, params={"cursor": "garbage"}, headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"
    response = await client.get(PULL, params={"limit": 0}, headers=headers)
    assert response.status_code == 422
