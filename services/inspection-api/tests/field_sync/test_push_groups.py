"""A batch is applied in groups of mutations, a savepoint per group, and a group with a rejection is
run again a mutation per savepoint: the answers and stored rows are those of one mutation at a time."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.models import (
    AuditRecord,
    InspectionCase,
    InspectionEvidence,
    InspectionFinding,
    OutboxEvent,
    SyncChange,
    SyncMutation,
)

PUSH = "/v1/field-sync/batches"


def by_client_id(b: Any, case: InspectionCase, created: dict[str, Any], **data: Any) -> dict[str, Any]:
    item: dict[str, Any] = b.update(case, "", 1, **data)
    del item["finding_id"]
    item["finding_client_id"] = created["client_id"]
    return item


def script(b: Any, case: InspectionCase, photo: str, missing: str) -> list[dict[str, Any]]:
    """Forty creates with updates of earlier ones between them, two rejected creates (in different
    groups), an update of a create in the same group as a rejection, a re-sent mutation and an update
    of a rejected create."""
    items: list[dict[str, Any]] = []
    creates: list[dict[str, Any]] = []
    for n in range(40):
        item = b.create(case, note=f"Mục {n}", outcome="compliant" if n % 3 else "non_compliant")
        if n == 3:
            item["photo_sha256"] = [photo]
        if n == 11:
            item["photo_sha256"] = [missing]
        if n == 25:
            item["data"]["checklist_item_key"] = "not.on.the.list"
        items.append(item)
        creates.append(item)
        if n == 10:
            items.append(by_client_id(b, case, creates[2], note="Sửa mục 2"))
        if n == 12:
            items.append(by_client_id(b, case, creates[9], outcome="observation"))
        if n == 30:
            items.append(by_client_id(b, case, creates[3], note="Thêm ảnh") | {"photo_sha256": [photo]})
    items.append(items[0])
    items.append(by_client_id(b, case, creates[11], note="Mục bị từ chối"))
    return items


async def counts(session: AsyncSession) -> dict[str, int]:
    return {
        model.__name__: int(await session.scalar(select(func.count()).select_from(model)) or 0)
        for model in (InspectionFinding, SyncMutation, OutboxEvent, AuditRecord, SyncChange)
    }


async def findings(session: AsyncSession, case: InspectionCase) -> list[tuple[Any, ...]]:
    rows = await session.scalars(
        select(InspectionFinding).where(InspectionFinding.case_id == case.id).order_by(InspectionFinding.id)
    )
    return [(f.outcome, f.note, f.version) for f in rows]


def outcomes(results: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(r["outcome"], r.get("code")) for r in results]


async def test_a_batch_answers_and_stores_as_one_mutation_at_a_time(
    client: httpx.AsyncClient, db_session: AsyncSession, inspector: dict[str, str], b: Any
) -> None:
    one_by_one, at_once = b.make_case(), b.make_case()
    db_session.add_all([one_by_one, at_once])
    await db_session.flush()
    photos = [b.make_photo(one_by_one, b"\xff\xd8 one"), b.make_photo(at_once, b"\xff\xd8 at once")]
    db_session.add_all(photos)
    await db_session.flush()
    missing = b.sha(b"never uploaded")

    before = await counts(db_session)
    singles: list[dict[str, Any]] = []
    for item in script(b, one_by_one, photos[0].sha256, missing):
        response = await client.post(PUSH, json={"device_id": "a", "mutations": [item]}, headers=inspector)
        assert response.status_code == 200, response.text
        singles.extend(response.json()["results"])
    middle = await counts(db_session)

    body = {"device_id": "a", "mutations": script(b, at_once, photos[1].sha256, missing)}
    response = await client.post(PUSH, json=body, headers=inspector)
    assert response.status_code == 200, response.text
    batched: list[dict[str, Any]] = response.json()["results"]
    after = await counts(db_session)

    assert outcomes(batched) == outcomes(singles)
    assert ("rejected", "photo_not_uploaded") in outcomes(batched)
    assert ("rejected", "checklist_item_unknown") in outcomes(batched)
    assert outcomes(batched)[-2:] == [("duplicate", None), ("rejected", "finding_reference_unknown")]
    assert [r.get("entity_version") for r in batched] == [r.get("entity_version") for r in singles]
    assert {k: after[k] - middle[k] for k in after} == {k: middle[k] - before[k] for k in after}
    assert await findings(db_session, at_once) == await findings(db_session, one_by_one)
    for photo, results in zip(photos, (singles, batched), strict=True):
        await db_session.refresh(photo)
        assert str(photo.finding_id) == results[3]["entity_id"]
    # Re-sent whole: nothing applied twice, the rejected ones rejected again.
    again = await client.post(PUSH, json=body, headers=inspector)
    assert [("duplicate" if o == "applied" else o, c) for o, c in outcomes(batched)] == outcomes(
        again.json()["results"]
    )
    assert await counts(db_session) == after


async def test_the_rejected_mutation_of_a_group_keeps_nothing(
    client: httpx.AsyncClient, db_session: AsyncSession, inspector: dict[str, str], b: Any
) -> None:
    case = b.make_case()
    db_session.add(case)
    await db_session.flush()
    photo = b.make_photo(case, b"\xff\xd8 photo")
    db_session.add(photo)
    await db_session.flush()
    # The photo is attached by the first create, then named by a later one: that one is rejected
    # after its finding was inserted, and the group before it must not lose the attachment.
    items = [b.create(case, note=f"Mục {n}") for n in range(6)]
    items[1]["photo_sha256"] = [photo.sha256]
    items[4]["photo_sha256"] = [photo.sha256]
    response = await client.post(PUSH, json={"device_id": "a", "mutations": items}, headers=inspector)
    results = response.json()["results"]
    assert outcomes(results) == [("applied", None)] * 4 + [
        ("rejected", "photo_attached_elsewhere"),
        ("applied", None),
    ]
    await db_session.refresh(photo)
    assert str(photo.finding_id) == results[1]["entity_id"]
    assert await db_session.scalar(select(func.count()).select_from(InspectionFinding)) == 5
    rejected = uuid.UUID(items[4]["client_id"])
    assert await db_session.scalar(select(SyncMutation).where(SyncMutation.client_id == rejected)) is None
    assert (
        await db_session.scalar(
            select(func.count()).select_from(InspectionEvidence).where(InspectionEvidence.case_id == case.id)
        )
        == 1
    )
