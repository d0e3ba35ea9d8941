"""The dashboards read stored per-commune counts kept by triggers (commune_dashboard_counts). Their
answers must equal a direct COUNT over the base tables (the queries the dashboards ran before, kept
here as the reference) after inserts, updates, deletes and multi-row statements, under concurrent
writers and an import job; and a rebuild from scratch must find nothing to change."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from registry_people_testing import (
    HAI_PHONG,
    PHUONG_HAI_DUONG,
    PHUONG_LE_CHAN,
    PHUONG_THUY_NGUYEN,
    People,
    household_body,
)
from sqlalchemy import and_, exists, or_, select, text, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.admin_unit.repository import AnySelect
from registry_api.admin_unit.schemas import Boundaries, RollUpLevel
from registry_api.admin_unit.service import admin_unit_service
from registry_api.category.reference import seed_poverty_standards
from registry_api.dashboard.repository import DashboardRepository, period_ends
from registry_api.dwelling.reference import seed_dwelling_rule_sets
from registry_api.household_import.jobs import register_import_jobs
from registry_api.models import (
    BeneficiaryCategory,
    Dwelling,
    DwellingAssessment,
    Household,
    Job,
    SupportCase,
)
from registry_api.support_case.reference import seed_support_rates
from servicekit.areas import AreaScope
from servicekit.jobs import JobRegistry, Worker
from servicekit.pii import PiiCipher

Officer = Callable[..., dict[str, str]]
Counts = dict[str, dict[str | None, int]]
JPEG = b"\xff\xd8\xff\xe0" + b"house" * 20 + b"\xff\xd9"
SOUND = {"material": "durable", "state": "sound"}
TEMPORARY = {"floor_area_m2": "20", "residents": 3, "foundation": SOUND, "frame_walls": SOUND, "roof": SOUND}
DILAPIDATED = {
    "floor_area_m2": "60",
    "residents": 3,
    "foundation": {"material": "durable", "state": "unsafe"},
    "frame_walls": {"material": "durable", "state": "unsafe"},
    "roof": SOUND,
}
ADEQUATE = {"floor_area_m2": "60", "residents": 3, "foundation": SOUND, "frame_walls": SOUND, "roof": SOUND}
XA_DUONG_AN = "10972"  # the import sample's commune
IMPORT_SAMPLE = Path(__file__).parents[1] / "household_import" / "samples" / "ra_soat_2026_xa_duong_an.csv"

# ------------------------------------------------------------------ the reference: direct counts


def _open_households(area: AreaScope) -> AnySelect:
    return select(Household.province_code, Household.commune_code, Household.legacy_area_code).where(
        area.sql_filter(Household.province_code, Household.commune_code), Household.closed_on.is_(None)
    )


def _valid_on(on: date) -> Any:
    return (
        BeneficiaryCategory.valid_from <= on,
        or_(BeneficiaryCategory.valid_to.is_(None), BeneficiaryCategory.valid_to >= on),
    )


def _open_on(day: Any) -> Any:
    return or_(Household.closed_on.is_(None), Household.closed_on > day)


def _latest_assessment(day: Any) -> Any:
    return (
        select(DwellingAssessment.classification, DwellingAssessment.qualifies)
        .join(Dwelling, Dwelling.id == DwellingAssessment.dwelling_id)
        .where(
            Dwelling.household_id == Household.id,
            Dwelling.since <= day,
            or_(Dwelling.ended_on.is_(None), Dwelling.ended_on >= day),
            DwellingAssessment.assessed_on <= day,
        )
        .order_by(
            DwellingAssessment.assessed_on.desc(),
            DwellingAssessment.created_at.desc(),
            DwellingAssessment.id.desc(),
        )
        .limit(1)
        .lateral("latest")
    )


async def _rolled(
    session: AsyncSession, rows: AnySelect, boundaries: str, level: str
) -> dict[str | None, int]:
    counted = await admin_unit_service.roll_up(
        session, rows, boundaries=Boundaries(boundaries), level=RollUpLevel(level)
    )
    return {c.code: c.count for c in counted}


async def live_by_category(
    session: AsyncSession, area: AreaScope, on: date, boundaries: str, level: str
) -> Counts:
    kinds_stmt = (
        select(BeneficiaryCategory.kind)
        .join(Household, Household.id == BeneficiaryCategory.household_id)
        .where(
            area.sql_filter(Household.province_code, Household.commune_code),
            Household.closed_on.is_(None),
            *_valid_on(on),
        )
        .group_by(BeneficiaryCategory.kind)
        .order_by(BeneficiaryCategory.kind)
    )
    answer = {"all": await _rolled(session, _open_households(area), boundaries, level)}
    for kind in (await session.execute(kinds_stmt)).scalars():
        holders = select(BeneficiaryCategory.household_id).where(
            BeneficiaryCategory.kind == kind, *_valid_on(on)
        )
        rows = _open_households(area).where(Household.id.in_(holders))
        answer[kind] = await _rolled(session, rows, boundaries, level)
    return answer


async def live_by_condition(
    session: AsyncSession, area: AreaScope, on: date, boundaries: str, level: str
) -> Counts:
    answer: Counts = {}
    for condition in (None, "temporary", "dilapidated", "adequate", "not_assessed"):
        latest = _latest_assessment(on)
        stmt = (
            select(Household.province_code, Household.commune_code, Household.legacy_area_code)
            .select_from(Household)
            .outerjoin(latest, true())
            .where(area.sql_filter(Household.province_code, Household.commune_code), _open_on(on))
        )
        if condition == "not_assessed":
            stmt = stmt.where(latest.c.classification.is_(None))
        elif condition is not None:
            stmt = stmt.where(latest.c.classification == condition)
        answer[condition or "all"] = await _rolled(session, stmt, boundaries, level)
    return answer


async def live_support_cases(
    session: AsyncSession,
    area: AreaScope,
    by: str,
    first: date | None,
    last: date | None,
    boundaries: str,
    level: str,
) -> Counts:
    column = getattr(SupportCase, by)
    base = select(SupportCase.province_code, SupportCase.commune_code, SupportCase.legacy_area_code).where(
        area.sql_filter(SupportCase.province_code, SupportCase.commune_code)
    )
    if first is not None:
        base = base.where(SupportCase.proposed_on >= first)
    if last is not None:
        base = base.where(SupportCase.proposed_on <= last)
    values = (await session.execute(base.with_only_columns(column).distinct().order_by(column))).scalars()
    return {value: await _rolled(session, base.where(column == value), boundaries, level) for value in values}


async def live_remaining(
    session: AsyncSession, area: AreaScope, start: date, end: date, interval: str, boundaries: str, level: str
) -> Counts:
    periods = period_ends(start, end, interval)
    day = periods.c.period_end
    latest = _latest_assessment(day)
    resolved = exists().where(
        SupportCase.household_id == Household.id,
        SupportCase.status == "accepted",
        SupportCase.accepted_on <= day,
    )
    ever_qualified = select(DwellingAssessment.household_id).where(DwellingAssessment.qualifies.is_(True))
    rows = (
        select(day, Household.province_code, Household.commune_code, Household.legacy_area_code)
        .select_from(periods)
        .join(Household, true())
        .join(latest, true())
        .where(
            area.sql_filter(Household.province_code, Household.commune_code),
            Household.id.in_(ever_qualified),
            _open_on(day),
            and_(latest.c.classification.in_(("temporary", "dilapidated")), latest.c.qualifies.is_(True)),
            ~resolved,
        )
    )
    counted = await admin_unit_service.roll_up_series(
        session, rows, series="period_end", boundaries=Boundaries(boundaries), level=RollUpLevel(level)
    )
    answer: Counts = {
        d.isoformat(): {}
        for d in (await session.execute(select(period_ends(start, end, interval)))).scalars()
    }
    for period_end, unit in counted:
        answer[period_end.isoformat()][unit.code] = unit.count
    return answer


# ------------------------------------------------------------------ comparing the answers


def by_key(answer: dict[str, Any]) -> Counts:
    return {g["key"]: {i["code"]: i["count"] for i in g["items"]} for g in answer["groups"]}


def by_period(answer: dict[str, Any]) -> Counts:
    return {p["period_end"]: {i["code"]: i["count"] for i in p["items"]} for p in answer["periods"]}


DAYS = [
    date(2019, 12, 31),
    date(2025, 8, 15),
    date(2025, 9, 15),
    date(2025, 10, 10),
    date(2025, 11, 30),
    date(2026, 1, 16),
    date(2027, 1, 1),
]
# (first, last) proposal days: unbounded, open on one side, whole months, partial months, one month.
CASE_PERIODS: list[tuple[date | None, date | None]] = [
    (None, None),
    (date(2025, 10, 1), None),
    (None, date(2025, 10, 31)),
    (date(2025, 9, 1), date(2025, 11, 30)),
    (date(2025, 8, 20), date(2025, 11, 12)),
    (date(2025, 10, 6), date(2025, 10, 12)),
]
SERIES = [
    ("month", date(2025, 1, 10), date(2026, 2, 14)),
    ("quarter", date(2025, 1, 1), date(2026, 12, 31)),
    ("year", date(2019, 1, 1), date(2027, 3, 3)),
]
# Every day and period by the new communes; a few by the other boundaries and levels (the roll-up is
# the same code for all: what differs is which stored rows are read).
SHAPES = [
    ("new", "commune", DAYS, CASE_PERIODS, SERIES),
    ("new", "province", DAYS[2:4], CASE_PERIODS[3:5], SERIES[:1]),
    ("old", "commune", DAYS[3:5], CASE_PERIODS[:1], SERIES[1:2]),
    ("old", "province", DAYS[5:], CASE_PERIODS[4:], SERIES[2:]),
]


async def assert_dashboards_match(
    client: httpx.AsyncClient, session: AsyncSession, headers: dict[str, str], area: AreaScope
) -> None:
    """The dashboards on many days and periods, by both boundaries and levels, equal the reference."""
    for boundaries, level, days, case_periods, series in SHAPES:
        shape = f"boundaries={boundaries}&level={level}"
        for on in days:
            got = await client.get(f"/v1/dashboard/households-by-category?on={on}&{shape}", headers=headers)
            assert got.status_code == 200, got.text
            assert by_key(got.json()) == await live_by_category(session, area, on, boundaries, level), (
                on,
                shape,
            )
            got = await client.get(
                f"/v1/dashboard/households-by-dwelling-condition?on={on}&{shape}", headers=headers
            )
            assert got.status_code == 200, got.text
            assert by_key(got.json()) == await live_by_condition(session, area, on, boundaries, level), (
                on,
                shape,
            )
        for by in ("stream", "kind", "status"):
            for first, last in case_periods:
                period = (f"&proposed_from={first}" if first else "") + (
                    f"&proposed_to={last}" if last else ""
                )
                got = await client.get(
                    f"/v1/dashboard/support-cases?by={by}&{shape}{period}", headers=headers
                )
                assert got.status_code == 200, got.text
                expected = await live_support_cases(session, area, by, first, last, boundaries, level)
                assert by_key(got.json()) == expected, (by, first, last, shape)
        for interval, start, end in series:
            got = await client.get(
                f"/v1/dashboard/temporary-houses-remaining?from={start}&to={end}&interval={interval}&{shape}",
                headers=headers,
            )
            assert got.status_code == 200, got.text
            expected = await live_remaining(session, area, start, end, interval, boundaries, level)
            assert by_period(got.json()) == expected, (interval, shape)


# ------------------------------------------------------------------ building the data


class Homes:
    """Dwellings, assessments, categories and support cases through the API."""

    def __init__(self, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    async def dwelling(self, household: dict[str, Any], since: str = "2025-08-01") -> dict[str, Any]:
        response = await self.client.post(
            f"/v1/households/{household['id']}/dwellings", json={"since": since}, headers=self.headers
        )
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    async def assess(
        self, dwelling: dict[str, Any], facts: dict[str, Any], on: str, land: str = "residential_undisputed"
    ) -> dict[str, Any]:
        body = facts | {"assessed_on": on, "assessor": "Tổ khảo sát", "land_status": land}
        response = await self.client.post(
            f"/v1/dwellings/{dwelling['id']}/assessments", json=body, headers=self.headers
        )
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    async def category(self, household: dict[str, Any], **body: Any) -> dict[str, Any]:
        body = {
            "certificate_number": "1/GCN",
            "certificate_date": "2024-12-20",
            "issuer": "UBND phường",
        } | body
        response = await self.client.post(
            f"/v1/households/{household['id']}/categories", json=body, headers=self.headers
        )
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    async def act(self, case: httpx.Response, action: str, **body: Any) -> httpx.Response:
        headers = self.headers | {"If-Match": case.headers["ETag"]}
        response = await self.client.post(
            f"/v1/support-cases/{case.json()['id']}/{action}", json=body, headers=headers
        )
        assert response.status_code == 200, response.text
        return response

    async def support(
        self, household: dict[str, Any], proposed_on: str, steps: dict[str, str], kind: str = "new_build"
    ) -> httpx.Response:
        case = await self.client.post(
            "/v1/support-cases",
            json={
                "household_id": household["id"],
                "stream": "campaign",
                "kind": kind,
                "proposed_on": proposed_on,
            },
            headers=self.headers,
        )
        assert case.status_code == 201, case.text
        for action, on in steps.items():
            if action == "accept":
                await self.photos(case)
            case = await self.act(case, action, on=on)
        return case

    async def photos(self, case: httpx.Response) -> None:
        for stage in ("before", "after"):
            content = JPEG + stage.encode() + case.json()["id"].encode()
            body = {
                "stage": stage,
                "file_reference": f"IMG_{stage}.jpg",
                "sha256": hashlib.sha256(content).hexdigest(),
                "taken_at": "2025-10-01T09:00:00+07:00",
            }
            photo = await self.client.post(
                f"/v1/support-cases/{case.json()['id']}/photos", json=body, headers=self.headers
            )
            assert photo.status_code == 201, photo.text
            uploaded = await self.client.put(
                f"/v1/support-cases/{case.json()['id']}/photos/{photo.json()['id']}",
                content=content,
                headers=self.headers | {"Content-Type": "image/jpeg"},
            )
            assert uploaded.status_code == 200, uploaded.text


async def members(session: AsyncSession, household: dict[str, Any]) -> list[str]:
    rows = await session.execute(
        text("SELECT person_id::text FROM household_membership WHERE household_id = :h ORDER BY person_id"),
        {"h": household["id"]},
    )
    return list(rows.scalars())


# Multi-row statements, as an import or a COPY sends them: households over three communes (some under a
# legacy code), their dwellings, and assessments of every class over 2025, one statement each.
BULK_HOUSEHOLDS = text(
    """
    INSERT INTO household (id, address, residence_area, version, province_code, commune_code,
                           legacy_area_code)
    SELECT gen_random_uuid(), 'Bulk ' || i, 'urban', 1, '31',
           (ARRAY[:a, :b, :c])[1 + i % 3], CASE WHEN i % 4 = 0 THEN 'L' || (i % 8) END
    FROM generate_series(1, :n) AS i
    """
)
BULK_DWELLINGS = text(
    """
    INSERT INTO dwelling (id, household_id, since, version, province_code, commune_code, legacy_area_code)
    SELECT gen_random_uuid(), h.id, DATE '2025-01-01' + (row_number() OVER (ORDER BY h.id))::int % 200, 1,
           h.province_code, h.commune_code, h.legacy_area_code
    FROM household h WHERE h.address LIKE 'Bulk %'
    """
)
BULK_ASSESSMENTS = text(
    """
    INSERT INTO dwelling_assessment (id, dwelling_id, household_id, rule_set_id, assessed_on, assessor,
        floor_area_m2, residents, foundation_material, foundation_state, frame_walls_material,
        frame_walls_state, roof_material, roof_state, land_status, classification, qualifies, criteria,
        province_code, commune_code, legacy_area_code)
    SELECT gen_random_uuid(), d.id, d.household_id,
           (SELECT id FROM dwelling_rule_set ORDER BY valid_from LIMIT 1),
           d.since + k * 37, 'Tổ khảo sát', 40, 3, 'durable', 'sound', 'durable', 'sound', 'durable', 'sound',
           CASE WHEN k = 2 THEN 'residential_disputed' ELSE 'residential_undisputed' END,
           (ARRAY['temporary', 'dilapidated', 'adequate'])[1 + (k + n) % 3],
           (ARRAY['temporary', 'dilapidated', 'adequate'])[1 + (k + n) % 3] <> 'adequate' AND k <> 2,
           '[]'::jsonb, d.province_code, d.commune_code, d.legacy_area_code
    FROM (SELECT d.*, row_number() OVER (ORDER BY d.id) AS n FROM dwelling d
          JOIN household h ON h.id = d.household_id WHERE h.address LIKE 'Bulk %') d
    CROSS JOIN generate_series(0, 2) AS k
    WHERE (n + k) % 2 = 0
    """
)


async def mixed_history(
    client: httpx.AsyncClient, people: People, session: AsyncSession, headers: dict[str, str]
) -> None:
    """Inserts, updates, deletes and multi-row statements over three communes."""
    homes = Homes(client, headers)
    moved = await people.household(PHUONG_THUY_NGUYEN)
    first = await homes.dwelling(moved)
    await homes.assess(first, TEMPORARY, "2025-09-15")
    rebuilt = await homes.assess(first, ADEQUATE, "2025-12-01")
    await homes.dwelling(moved, since="2026-01-16")  # moves: the first dwelling ends on 15/1
    await homes.category(moved, kind="poor", year=2026, valid_from="2026-01-01")
    near_poor = await homes.category(moved, kind="near_poor", year=2025, valid_from="2025-01-01")

    twice = await people.household(PHUONG_THUY_NGUYEN)
    home = await homes.dwelling(twice)
    changed = await homes.assess(home, DILAPIDATED, "2025-09-15")
    await homes.assess(home, ADEQUATE, "2025-10-10")
    await homes.assess(home, TEMPORARY, "2025-10-10")  # the same day, created later: it counts
    withdrawn = await homes.support(twice, "2025-10-12", {})
    withdrawn = await homes.act(withdrawn, "withdraw", on="2025-10-20", reason="Hộ chuyển đi")

    never = await people.household(PHUONG_THUY_NGUYEN)
    await homes.dwelling(never)

    helped = await people.household(PHUONG_HAI_DUONG)
    await homes.assess(await homes.dwelling(helped), TEMPORARY, "2025-10-05")
    await homes.support(
        helped,
        "2025-10-06",
        {"approve": "2025-10-08", "start": "2025-10-10", "complete": "2025-11-10", "accept": "2025-11-20"},
    )
    martyr = (await members(session, helped))[0]
    await homes.category(
        helped, kind="martyr_relative", person_id=martyr, valid_from="2025-03-01", valid_to="2025-06-30"
    )
    await homes.category(
        helped, kind="martyr_relative", person_id=martyr, valid_from="2025-07-01"
    )  # adjacent

    disputed = await people.household(PHUONG_LE_CHAN)
    disputed_home = await homes.dwelling(disputed)
    await homes.assess(disputed_home, DILAPIDATED, "2025-09-01", land="residential_disputed")
    for person in (await members(session, disputed))[:2]:  # two members with merit: the household counts once
        await homes.category(
            disputed, kind="merit", merit_type="war_invalid", person_id=person, valid_from="2020-01-01"
        )
    approved = await homes.support(disputed, "2025-09-05", {"approve": "2025-09-10"}, kind="repair")

    closing = await people.household(PHUONG_LE_CHAN)
    await homes.category(closing, kind="poor", year=2025, valid_from="2025-01-01")

    # Multi-row statements.
    communes = {"a": PHUONG_THUY_NGUYEN, "b": PHUONG_HAI_DUONG, "c": PHUONG_LE_CHAN}
    await session.execute(BULK_HOUSEHOLDS, communes | {"n": 60})
    await session.execute(BULK_DWELLINGS)
    await session.execute(BULK_ASSESSMENTS)
    # Updates: a condition changed in place, a class corrected in bulk, a dwelling ended, a household closed
    # and another moved to another commune, a category's validity shortened, a case's proposal day moved.
    await session.execute(
        text("UPDATE dwelling_assessment SET classification = 'temporary', qualifies = true WHERE id = :id"),
        {"id": changed["id"]},
    )
    await session.execute(
        text(
            "UPDATE dwelling_assessment SET classification = 'adequate', qualifies = false "
            "WHERE household_id IN (SELECT id FROM household WHERE address LIKE 'Bulk %') "
            "AND assessed_on > '2025-06-01'"
        )
    )
    await session.execute(
        text("UPDATE dwelling SET ended_on = '2025-11-30' WHERE id = :id"), {"id": disputed_home["id"]}
    )
    await session.execute(
        text("UPDATE household SET closed_on = '2025-11-01' WHERE id = :id"), {"id": closing["id"]}
    )
    await session.execute(
        text("UPDATE household SET commune_code = :c, legacy_area_code = 'L9' WHERE id = :id"),
        {"id": never["id"], "c": PHUONG_LE_CHAN},
    )
    await session.execute(
        text(
            "UPDATE beneficiary_category SET valid_to = '2026-03-31' "
            "WHERE household_id = :id AND kind = 'poor'"
        ),
        {"id": moved["id"]},
    )
    await session.execute(
        text("UPDATE support_case SET proposed_on = proposed_on - 40 WHERE id = :id"),
        {"id": approved.json()["id"]},
    )
    await session.execute(
        text("UPDATE household SET closed_on = '2026-02-01' WHERE address IN ('Bulk 5', 'Bulk 6', 'Bulk 7')")
    )
    # Deletes: an assessment, a category, a withdrawn case, bulk households with their dwellings.
    await session.execute(text("DELETE FROM dwelling_assessment WHERE id = :id"), {"id": rebuilt["id"]})
    await session.execute(text("DELETE FROM beneficiary_category WHERE id = :id"), {"id": near_poor["id"]})
    await session.execute(
        text("DELETE FROM support_history WHERE support_case_id = :id"), {"id": withdrawn.json()["id"]}
    )
    await session.execute(text("DELETE FROM support_case WHERE id = :id"), {"id": withdrawn.json()["id"]})
    gone = "(SELECT id FROM household WHERE address IN ('Bulk 1', 'Bulk 2', 'Bulk 3', 'Bulk 4'))"
    await session.execute(text(f"DELETE FROM dwelling_assessment WHERE household_id IN {gone}"))  # noqa: S608
    await session.execute(text(f"DELETE FROM dwelling WHERE household_id IN {gone}"))  # noqa: S608
    await session.execute(text(f"DELETE FROM household WHERE id IN {gone}"))  # noqa: S608


async def test_answers_equal_direct_counts_after_inserts_updates_and_deletes(
    client: httpx.AsyncClient,
    people: People,
    db_session: AsyncSession,
    province: dict[str, str],
    officer: Officer,
) -> None:
    await mixed_history(client, people, db_session, province)
    await assert_dashboards_match(client, db_session, province, AreaScope.from_codes([HAI_PHONG]))
    communes = [PHUONG_HAI_DUONG, PHUONG_LE_CHAN]
    await assert_dashboards_match(client, db_session, officer(*communes), AreaScope.from_codes(communes))
    # What the triggers kept is what a rebuild from scratch computes.
    assert await DashboardRepository(db_session).drift() == 0


async def test_the_counts_are_stored_per_commune_and_rebuilt_identically(
    client: httpx.AsyncClient, people: People, db_session: AsyncSession, province: dict[str, str]
) -> None:
    homes = Homes(client, province)
    household = await people.household(PHUONG_THUY_NGUYEN)
    await homes.assess(await homes.dwelling(household), TEMPORARY, "2025-09-15")
    stored = (
        await db_session.execute(
            text(
                "SELECT metric, grain, bucket::text, key, n FROM commune_dashboard_counts "
                "WHERE commune_code = :c AND n <> 0 ORDER BY 1, 2, 3, 4"
            ),
            {"c": PHUONG_THUY_NGUYEN},
        )
    ).all()
    # Not assessed until 15/9/2025, temporary from then on; and remaining from then on.
    assert [tuple(r) for r in stored] == [
        ("household_condition", "day", "2025-09-15", "not_assessed", -1),
        ("household_condition", "day", "2025-09-15", "temporary", 1),
        ("household_condition", "month", "2025-09-01", "not_assessed", -1),
        ("household_condition", "month", "2025-09-01", "temporary", 1),
        ("household_condition", "total", "infinity", "temporary", 1),
        ("temporary_house_remaining", "day", "2025-09-15", "remaining", 1),
        ("temporary_house_remaining", "month", "2025-09-01", "remaining", 1),
        ("temporary_house_remaining", "total", "infinity", "remaining", 1),
    ]
    assert await DashboardRepository(db_session).drift() == 0


# ------------------------------------------------------------------ concurrent writers (committing)

HELD_OPEN_ASSESSMENT = """
    INSERT INTO dwelling_assessment (id, dwelling_id, household_id, rule_set_id, assessed_on, assessor,
        floor_area_m2, residents, foundation_material, foundation_state, frame_walls_material,
        frame_walls_state, roof_material, roof_state, land_status, classification, qualifies, criteria,
        province_code, commune_code)
    SELECT gen_random_uuid(), d.id, d.household_id, (SELECT id FROM dwelling_rule_set LIMIT 1),
           CAST(:day AS date), 'Tổ', 40, 3, 'durable', 'sound', 'durable', 'sound', 'durable', 'sound',
           'residential_undisputed', CAST(:cls AS varchar), CAST(:cls AS varchar) <> 'adequate', '[]',
           d.province_code, d.commune_code
    FROM dwelling d WHERE d.id = :d
"""


class TestConcurrentWriters:
    """Real commits on separate connections: API writers, raw transactions holding their changes open,
    and an import job, all at once in one commune; nothing is lost or counted twice."""

    @pytest.fixture
    async def reference_data(self) -> None:
        """Replaces the rolled-back reference data: these tests seed and commit their own."""

    @pytest.fixture
    async def dated_rules(self) -> None:
        """As above."""

    @pytest.fixture
    async def seeded(self, committing_sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        async with committing_sessionmaker() as session, session.begin():
            await admin_unit_service.seed_current_province(session, int(HAI_PHONG))
            await seed_poverty_standards(session)
            await seed_dwelling_rule_sets(session)
            await seed_support_rates(session)

    async def test_concurrent_writes_and_an_import_lose_nothing(
        self,
        seeded: None,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: async_sessionmaker[AsyncSession],
        committing_app: Any,
        auth: Callable[..., dict[str, str]],
    ) -> None:
        province = auth(roles=["province_officer"], area_codes=[HAI_PHONG])
        commune = auth(roles=["commune_officer"], area_codes=[XA_DUONG_AN])
        client = committing_client
        homes = Homes(client, province)

        async def household() -> dict[str, Any]:
            response = await client.post("/v1/households", json=household_body(XA_DUONG_AN), headers=province)
            assert response.status_code == 201, response.text
            data: dict[str, Any] = response.json()
            return data

        households = [await household() for _ in range(4)]
        dwellings = [await homes.dwelling(h) for h in households]
        cases = [await homes.support(h, "2025-10-06", {}) for h in households[:2]]

        upload = await client.post(
            "/v1/imports",
            params={"filename": IMPORT_SAMPLE.name, "commune_code": XA_DUONG_AN, "mode": "accept_valid_rows"},
            content=IMPORT_SAMPLE.read_bytes(),
            headers=commune | {"Content-Type": "application/octet-stream"},
        )
        assert upload.status_code == 202, upload.text
        cipher: PiiCipher = committing_app.state.pii_cipher

        async def run_import() -> None:
            registry = JobRegistry()
            register_import_jobs(registry, lambda: cipher)
            worker = Worker(
                committing_sessionmaker, Job, registry, worker_id="test-worker", progress_interval_s=0
            )
            while await worker.run_once():
                pass

        async def held_open(dwelling: dict[str, Any], day: str, classification: str) -> None:
            """An assessment of the shared household in a transaction that stays open a while."""
            async with committing_sessionmaker() as session, session.begin():
                await session.execute(
                    text(HELD_OPEN_ASSESSMENT),
                    {"d": dwelling["id"], "day": date.fromisoformat(day), "cls": classification},
                )
                await session.execute(text("SELECT pg_sleep(0.15)"))

        shared = dwellings[0]
        writes = [
            run_import(),
            *(
                held_open(shared, f"2025-09-{10 + i:02d}", ("temporary", "adequate", "dilapidated")[i % 3])
                for i in range(6)
            ),
            *(
                homes.assess(d, TEMPORARY if i % 2 else DILAPIDATED, f"2025-10-{1 + i:02d}")
                for i, d in enumerate(dwellings)
            ),
            *(homes.assess(dwellings[1], ADEQUATE, f"2025-11-{1 + i:02d}") for i in range(3)),
            *(homes.category(h, kind="poor", year=2026, valid_from="2026-01-01") for h in households),
            homes.act(cases[0], "approve", on="2025-10-08"),
            homes.act(cases[1], "withdraw", on="2025-10-09", reason="Hộ chuyển đi"),
            *(household() for _ in range(3)),
        ]
        await asyncio.gather(*writes)

        async with committing_sessionmaker() as session:
            imported = await session.scalar(
                text("SELECT count(*) FROM household WHERE commune_code = :c"), {"c": XA_DUONG_AN}
            )
            assert imported is not None
            assert imported > 100  # the import ran alongside
            await assert_dashboards_match(client, session, province, AreaScope.from_codes([HAI_PHONG]))
            assert await DashboardRepository(session).drift() == 0
            await session.rollback()
