"""Duplicate persons: detection (a job), the review queue, merge and keep-separate decisions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
from registry_people_testing import (
    HA_NOI,
    HAI_PHONG,
    PHUONG_HAI_DUONG,
    PHUONG_THUY_NGUYEN,
    People,
    assert_problem,
    pointers,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.duplicate.demo import seed_demo_duplicates
from registry_api.duplicate.reference import seed_duplicate_match_rules
from registry_api.duplicate.service import DETECTION_JOB, duplicate_service
from registry_api.household.demo import seed_demo_households
from registry_api.models import AuditRecord, BeneficiaryCategory, DuplicateCandidate, Job, OutboxEvent
from registry_api.worker import registry
from servicekit.pii import PiiCipher

Officer = Callable[..., dict[str, str]]
URL = "/v1/duplicate-candidates"


async def household_with_duplicates(people: People, commune: str = PHUONG_THUY_NGUYEN) -> dict[str, Any]:
    """A household whose head, Nguyễn Văn Đức (with a citizen ID), was entered twice more without one
    (its own other members, and a namesake born another year, are no candidates)."""
    household = await people.household(commune)
    await people.person(
        household["id"], full_name="Nguyen Van Duc", year=1978, citizen_id=None, relationship="other"
    )
    await people.person(
        household["id"], full_name="Nguyễn Văn Đứ", year=1978, citizen_id=None, relationship="other"
    )
    # Not a duplicate: born another year.
    await people.person(household["id"], full_name="Nguyễn Văn Đức", year=1979, citizen_id=None)
    return household


async def detect(session: AsyncSession, *codes: str) -> int:
    await seed_duplicate_match_rules(session)
    result = await duplicate_service.detect(session, list(codes))
    return result["candidates_added"]


async def test_a_differently_spelt_duplicate_is_found(
    client: httpx.AsyncClient, people: People, officer: Officer, db_session: AsyncSession
) -> None:
    household = await household_with_duplicates(people)
    await household_with_duplicates(people, PHUONG_HAI_DUONG)
    assert await detect(db_session, PHUONG_THUY_NGUYEN) == 3
    assert await detect(db_session, PHUONG_THUY_NGUYEN) == 0  # a re-run adds nothing
    items = (await client.get(URL, headers=officer(PHUONG_THUY_NGUYEN))).json()["items"]
    names = {frozenset((i["person_a"]["full_name"], i["person_b"]["full_name"])) for i in items}
    assert names == {
        frozenset(("Nguyen Van Duc", "Nguyễn Văn Đức")),
        frozenset(("Nguyen Van Duc", "Nguyễn Văn Đứ")),
        frozenset(("Nguyễn Văn Đức", "Nguyễn Văn Đứ")),
    }
    head = next(
        i
        for i in items
        if "Nguyen Van Duc" in (i["person_a"]["full_name"], i["person_b"]["full_name"])
        and (i["person_a"]["citizen_id_masked"] or i["person_b"]["citizen_id_masked"])
    )
    side = head["person_a"] if head["person_a"]["citizen_id_masked"] else head["person_b"]
    assert side["citizen_id_masked"].startswith("*********")
    assert {"full_name", "citizen_id_masked"} <= set(head["differing"])
    assert all(i["person_a"]["household_id"] == household["id"] for i in items)
    assert all(i["status"] == "pending" and i["name_similarity_pct"] >= 60 for i in items)
    # Other communes' pairs are neither detected by this run nor shown to this officer.
    assert await detect(db_session, HAI_PHONG) == 3
    assert len((await client.get(URL, headers=officer(PHUONG_THUY_NGUYEN))).json()["items"]) == 3
    assert len((await client.get(URL, headers=officer(HAI_PHONG, role="auditor"))).json()["items"]) == 6


async def test_roles_areas_and_the_detection_job(
    client: httpx.AsyncClient, people: People, officer: Officer, db_session: AsyncSession
) -> None:
    await household_with_duplicates(people)
    await detect(db_session, HAI_PHONG)
    item = (await client.get(URL, headers=people.headers)).json()["items"][0]
    for role in ("partner", "inspector", "finance_officer", "bank_integration"):
        assert_problem(await client.get(URL, headers=officer(HAI_PHONG, role=role)), 403, "forbidden")
    assert_problem(
        await client.post("/v1/duplicate-detections", headers=officer(HAI_PHONG, role="auditor")),
        403,
        "forbidden",
    )
    # Another commune's officer: nothing listed, 404 by id, even guessing; cannot decide either.
    other = officer(PHUONG_HAI_DUONG)
    assert (await client.get(URL, headers=other)).json()["items"] == []
    for guess in (item["id"], str(uuid.uuid4())):
        assert_problem(
            await client.get(f"{URL}/{guess}", headers=other), 404, "duplicate_candidate_not_found"
        )
    assert_problem(
        await client.post(
            f"{URL}/{item['id']}/decision",
            json={"decision": "keep_separate", "reason": "Hai người khác nhau"},
            headers=other | {"If-Match": 'W/"1"'},
        ),
        404,
        "duplicate_candidate_not_found",
    )
    assert_problem(
        await client.post(
            f"{URL}/{item['id']}/decision",
            json={"decision": "keep_separate", "reason": "Hai người khác nhau"},
            headers=officer(HAI_PHONG, role="auditor") | {"If-Match": 'W/"1"'},
        ),
        403,
        "forbidden",
    )
    queued = await client.post("/v1/duplicate-detections", headers=officer(PHUONG_THUY_NGUYEN))
    assert queued.status_code == 202, queued.text
    assert queued.json()["area_codes"] == [PHUONG_THUY_NGUYEN]
    job = await db_session.get(Job, uuid.UUID(queued.json()["job_id"]))
    assert job is not None
    assert (job.kind, job.payload) == (DETECTION_JOB, {"area_codes": [PHUONG_THUY_NGUYEN]})
    assert DETECTION_JOB in registry()
    empty = await client.post("/v1/duplicate-detections", headers=officer(HA_NOI, role="province_officer"))
    assert empty.json()["area_codes"] == [HA_NOI]


async def test_keep_separate_and_merge(
    client: httpx.AsyncClient, people: People, officer: Officer, db_session: AsyncSession
) -> None:
    household = await household_with_duplicates(people)
    await detect(db_session, PHUONG_THUY_NGUYEN)
    items = (await client.get(URL, headers=people.headers)).json()["items"]

    def pair(a: str, b: str) -> dict[str, Any]:
        return next(i for i in items if {i["person_a"]["full_name"], i["person_b"]["full_name"]} == {a, b})

    with_head = pair("Nguyen Van Duc", "Nguyễn Văn Đức")
    head = with_head["person_a"] if with_head["person_a"]["citizen_id_masked"] else with_head["person_b"]
    dup = with_head["person_b"] if head is with_head["person_a"] else with_head["person_a"]
    # A merit category recorded on the duplicate record moves to the kept person.
    category = await client.post(
        f"/v1/households/{household['id']}/categories",
        json={
            "kind": "merit",
            "person_id": dup["id"],
            "merit_type": "war_invalid",
            "certificate_number": "2031/QĐ-LĐTBXH",
            "certificate_date": "1998-07-27",
            "issuer": "Sở Lao động - Thương binh và Xã hội Hải Phòng",
            "valid_from": "1998-07-27",
        },
        headers=people.headers,
    )
    assert category.status_code == 201, category.text
    path = f"{URL}/{with_head['id']}/decision"
    merge = {"decision": "merge", "kept_person_id": head["id"], "reason": "Cùng một người, nhập hai lần"}
    assert_problem(await client.post(path, json=merge, headers=people.headers), 428, "precondition_required")
    assert_problem(
        await client.post(path, json=merge, headers=people.headers | {"If-Match": 'W/"9"'}),
        412,
        "precondition_failed",
    )
    problem = assert_problem(
        await client.post(
            path, json=merge | {"kept_person_id": dup["id"]}, headers=people.headers | {"If-Match": 'W/"1"'}
        ),
        422,
        "kept_person_invalid",
    )
    assert pointers(problem) == ["/body/kept_person_id"]
    problem = assert_problem(
        await client.post(
            path, json={"decision": "merge", "reason": "x"}, headers=people.headers | {"If-Match": 'W/"1"'}
        ),
        422,
        "validation_failed",
    )
    assert "/body/reason" in pointers(problem)
    done = await client.post(path, json=merge, headers=officer(PHUONG_THUY_NGUYEN) | {"If-Match": 'W/"1"'})
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["kept_person_id"], done.headers["etag"]) == (
        "merged",
        head["id"],
        'W/"2"',
    )
    moved = await db_session.get(BeneficiaryCategory, uuid.UUID(category.json()["id"]))
    assert moved is not None
    await db_session.refresh(moved)
    assert str(moved.person_id) == head["id"]
    assert_problem(
        await client.post(path, json=merge, headers=people.headers | {"If-Match": 'W/"2"'}),
        409,
        "duplicate_candidate_already_decided",
    )
    # The other pair with the merged-away record can no longer be merged.
    other = pair("Nguyen Van Duc", "Nguyễn Văn Đứ")
    assert_problem(
        await client.post(
            f"{URL}/{other['id']}/decision",
            json={"decision": "merge", "kept_person_id": other["person_a"]["id"], "reason": "Cùng một người"},
            headers=people.headers | {"If-Match": 'W/"1"'},
        ),
        409,
        "duplicate_candidate_already_decided",
    )
    kept = await client.post(
        f"{URL}/{other['id']}/decision",
        json={"decision": "keep_separate", "reason": "Đã hợp nhất ở cặp khác"},
        headers=people.headers | {"If-Match": 'W/"1"'},
    )
    assert kept.json()["status"] == "kept_separate"
    pending = (await client.get(URL, params={"status": "pending"}, headers=people.headers)).json()["items"]
    assert len(pending) == 1
    event = (
        await db_session.execute(select(OutboxEvent).where(OutboxEvent.type == "duplicate_candidate.merged"))
    ).scalar_one()
    assert event.data["categories"] == 1
    assert "reason" not in event.data
    audit = (
        (await db_session.execute(select(AuditRecord).where(AuditRecord.resource_id == with_head["id"])))
        .scalars()
        .all()
    )
    assert any(a.after and (a.after.get("reason") or "").startswith("*") for a in audit)


async def test_demo_duplicates_are_deterministic_and_idempotent(
    db_session: AsyncSession, cipher: PiiCipher
) -> None:
    assert await seed_demo_households(db_session, cipher) == 30
    await seed_duplicate_match_rules(db_session)
    added = await seed_demo_duplicates(db_session, cipher)
    assert added >= 2
    assert await seed_demo_duplicates(db_session, cipher) == 0
    communes = set((await db_session.execute(select(DuplicateCandidate.commune_code))).scalars())
    assert communes == {PHUONG_HAI_DUONG, PHUONG_THUY_NGUYEN}
