"""Review-results imports: each row's result as a review record of the campaign and its house as a
dwelling assessment, through the review and dwelling services (window, locks, threshold, classifier)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
from registry_import_testing import (
    SAMPLE_CSV,
    SAMPLE_ERRORS,
    SAMPLE_HOUSEHOLDS,
    SAMPLE_XLSX,
    XA_DUONG_AN,
    assert_problem,
    count,
    errors_csv,
    finished,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.person.service import local_today

Headers = dict[str, str]
LIST = (
    "STT;Họ và tên chủ hộ;Số CCCD;Ngày sinh;Giới tính;Thôn/Tổ dân phố;Diện hộ;Hiện trạng nhà ở;"
    "Diện tích nhà (m²);Số nhân khẩu;Móng;Khung - tường;Mái;Ghi chú\n"
    "1;Nguyễn Văn Tùng;034083749968;13/01/1983;Nam;Thôn Cao Xá;{category};Nhà tạm;22;3;"
    "Kiên cố;Không kiên cố;Không kiên cố;\n"
    "2;Đỗ Văn Khải;030044147232;21/05/1944;Nam;Thôn Cao Xá;Người có công;;;;;;;Thương binh\n"
)


def commune(auth: Callable[..., Headers], *codes: str) -> Headers:
    return auth(roles=["commune_officer"], area_codes=list(codes or (XA_DUONG_AN,)))


async def open_campaign(
    client: httpx.AsyncClient, auth: Callable[..., Headers], *, opens: date, closes: date
) -> dict[str, Any]:
    response = await client.post(
        "/v1/review-campaigns",
        json={
            "province_code": "31",
            "year": opens.year,
            "window_opens_on": opens.isoformat(),
            "window_closes_on": closes.isoformat(),
        },
        headers=auth(roles=["province_officer"], area_codes=["31"]),
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def open_now(client: httpx.AsyncClient, auth: Callable[..., Headers]) -> dict[str, Any]:
    year = local_today().year
    return await open_campaign(client, auth, opens=date(year, 1, 1), closes=date(year, 12, 31))


def options(campaign_id: str, pct: str = "72.5", **extra: str) -> dict[str, str]:
    return {
        "kind": "review_results",
        "campaign_id": campaign_id,
        "meeting_held_on": local_today().isoformat(),
        "meeting_agreement_pct": pct,
        **extra,
    }


async def upload(
    client: httpx.AsyncClient, headers: Headers, content: bytes, filename: str, params: dict[str, str]
) -> httpx.Response:
    return await client.post(
        "/v1/imports",
        params={"filename": filename, "commune_code": XA_DUONG_AN, **params},
        content=content,
        headers=headers | {"Content-Type": "application/octet-stream"},
    )


async def run_import(
    client: httpx.AsyncClient,
    headers: Headers,
    run_jobs: Callable[[], Any],
    content: bytes,
    params: dict[str, str],
    filename: str = "ra_soat.csv",
) -> dict[str, Any]:
    response = await upload(client, headers, content, filename, params)
    assert response.status_code == 202, response.text
    assert await run_jobs() == 1
    return await finished(client, headers, response.json()["id"])


async def scalar(sessionmaker: async_sessionmaker[AsyncSession], sql: str) -> Any:
    async with sessionmaker() as session:
        return (await session.execute(text(sql))).scalar_one()


async def test_the_sample_records_review_results_once(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    auth: Callable[..., Headers],
    run_jobs: Callable[[], Any],
) -> None:
    campaign = await open_now(committing_client, auth)
    headers = commune(auth)
    data = await run_import(
        committing_client, headers, run_jobs, SAMPLE_CSV.read_bytes(), options(campaign["id"])
    )
    assert data["status"] == "completed"
    assert data["kind"] == "review_results"
    assert data["error_rows"] == len(SAMPLE_ERRORS)
    assert data["households_created"] == SAMPLE_HOUSEHOLDS
    assert data["review_records_created"] == SAMPLE_HOUSEHOLDS
    assert data["assessments_created"] == SAMPLE_HOUSEHOLDS
    report = await errors_csv(committing_client, headers, data["id"])
    assert {(r[0], r[1], r[2]) for r in report[1:]} == SAMPLE_ERRORS
    assert await count(committing_sessionmaker, "review_record") == SAMPLE_HOUSEHOLDS
    assert await count(committing_sessionmaker, "dwelling_assessment") == SAMPLE_HOUSEHOLDS
    # Poor and near-poor rows are new cases; merit rows carry no poverty status (none -> none).
    kinds = await scalar(
        committing_sessionmaker,
        "SELECT json_object_agg(kind, n) FROM (SELECT kind, count(*) n FROM review_record GROUP BY kind) k",
    )
    assert set(kinds) == {"new_case", "no_change"}
    assert (
        await scalar(committing_sessionmaker, "SELECT count(*) FROM review_record WHERE state <> 'draft'")
        == 0
    )
    # The classifier ran under the dated rule set; the lists say nothing of the land.
    assert await scalar(
        committing_sessionmaker,
        "SELECT bool_and(criteria ? 'land_not_undisputed_residential') FROM dwelling_assessment",
    )
    events = await scalar(
        committing_sessionmaker, "SELECT count(*) FROM outbox_event WHERE type = 'review_record.created'"
    )
    assert events == SAMPLE_HOUSEHOLDS

    # The same rows again (the xlsx of the same list): everything is matched, nothing written twice.
    again = await run_import(
        committing_client,
        headers,
        run_jobs,
        SAMPLE_XLSX.read_bytes(),
        options(campaign["id"]),
        "ra_soat.xlsx",
    )
    assert again["status"] == "completed"
    assert (again["households_created"], again["review_records_created"], again["assessments_created"]) == (
        0,
        0,
        0,
    )
    assert again["households_matched"] == SAMPLE_HOUSEHOLDS
    assert again["review_records_matched"] == SAMPLE_HOUSEHOLDS
    assert again["assessments_matched"] == SAMPLE_HOUSEHOLDS
    assert await count(committing_sessionmaker, "review_record") == SAMPLE_HOUSEHOLDS
    assert await count(committing_sessionmaker, "dwelling_assessment") == SAMPLE_HOUSEHOLDS
    assert await count(committing_sessionmaker, "dwelling") == SAMPLE_HOUSEHOLDS
    # The same file again is the same import.
    same = await upload(
        committing_client, headers, SAMPLE_CSV.read_bytes(), "ra_soat.csv", options(campaign["id"])
    )
    assert same.status_code == 200
    assert same.json()["id"] == data["id"]


async def test_a_closed_window_is_reported_on_every_row_and_nothing_is_stored(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    auth: Callable[..., Headers],
    run_jobs: Callable[[], Any],
) -> None:
    year = local_today().year - 1
    campaign = await open_campaign(committing_client, auth, opens=date(year, 9, 1), closes=date(year, 12, 14))
    headers = commune(auth)
    data = await run_import(
        committing_client, headers, run_jobs, SAMPLE_CSV.read_bytes(), options(campaign["id"])
    )
    assert data["status"] == "completed"
    assert data["error_rows"] == 200
    report = await errors_csv(committing_client, headers, data["id"])
    closed = {r[0] for r in report[1:] if r[2] == "review_window_closed"}
    assert len(closed) == SAMPLE_HOUSEHOLDS
    assert all(r[3] for r in report[1:])
    for table in ("household", "person", "review_record", "dwelling", "dwelling_assessment"):
        assert await count(committing_sessionmaker, table) == 0, table


async def test_all_or_nothing_with_a_closed_window_is_rejected(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    auth: Callable[..., Headers],
    run_jobs: Callable[[], Any],
) -> None:
    year = local_today().year - 1
    campaign = await open_campaign(committing_client, auth, opens=date(year, 9, 1), closes=date(year, 12, 14))
    content = LIST.format(category="Hộ nghèo").encode()
    data = await run_import(
        committing_client,
        commune(auth),
        run_jobs,
        content,
        options(campaign["id"], mode="all_or_nothing"),
    )
    assert (data["status"], data["error_rows"]) == ("rejected", 2)
    assert await count(committing_sessionmaker, "household") == 0


async def test_a_share_below_the_threshold_fails_every_row(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    auth: Callable[..., Headers],
    run_jobs: Callable[[], Any],
) -> None:
    campaign = await open_now(committing_client, auth)
    headers = commune(auth)
    data = await run_import(
        committing_client,
        headers,
        run_jobs,
        LIST.format(category="Hộ nghèo").encode(),
        options(campaign["id"], "49.99"),
    )
    report = await errors_csv(committing_client, headers, data["id"])
    assert {(r[0], r[2]) for r in report[1:]} == {
        ("2", "meeting_agreement_below_threshold"),
        ("3", "meeting_agreement_below_threshold"),
    }
    assert await count(committing_sessionmaker, "review_record") == 0


async def test_a_changed_row_updates_a_draft_and_is_refused_on_an_approved_record(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    auth: Callable[..., Headers],
    run_jobs: Callable[[], Any],
) -> None:
    campaign = await open_now(committing_client, auth)
    headers = commune(auth)
    first = await run_import(
        committing_client,
        headers,
        run_jobs,
        LIST.format(category="Hộ nghèo").encode(),
        options(campaign["id"]),
    )
    assert (first["review_records_created"], first["assessments_created"], first["error_rows"]) == (2, 1, 0)
    status = "SELECT status_after FROM review_record r JOIN person p ON p.household_id = r.household_id "
    # A draft record takes the new list's result.
    second = await run_import(
        committing_client,
        headers,
        run_jobs,
        LIST.format(category="Hộ cận nghèo").encode(),
        options(campaign["id"]),
    )
    assert (second["review_records_updated"], second["review_records_matched"]) == (1, 1)
    assert second["assessments_matched"] == 1
    assert await count(committing_sessionmaker, "review_record") == 2
    # Submitted and approved, the records are locked: a differing row is a row error.
    base = f"/v1/review-campaigns/{campaign['id']}/communes/{XA_DUONG_AN}"
    submission = await committing_client.get(base, headers=headers)
    assert submission.status_code == 200, submission.text
    etag = submission.headers["ETag"]
    submitted = await committing_client.post(f"{base}/submit", headers=headers | {"If-Match": etag})
    assert submitted.status_code == 200, submitted.text
    province = auth(roles=["province_officer"], area_codes=["31"])
    approved = await committing_client.post(
        f"{base}/approve", headers=province | {"If-Match": submitted.headers["ETag"]}
    )
    assert approved.status_code == 200, approved.text
    changed_again = LIST.format(category="Hộ nghèo") + "Tổng cộng;2\n"  # another file, same rows
    third = await run_import(
        committing_client, headers, run_jobs, changed_again.encode(), options(campaign["id"])
    )
    assert third["error_rows"] == 1
    assert third["review_records_matched"] == 1  # the merit row is unchanged: matched, no error
    report = await errors_csv(committing_client, headers, third["id"])
    assert [(r[0], r[2]) for r in report[1:]] == [("2", "review_record_locked")]
    assert "correction" in report[1][3]
    assert await count(committing_sessionmaker, "review_record") == 2
    assert (
        await scalar(committing_sessionmaker, status + "WHERE p.full_name = 'Nguyễn Văn Tùng'") == "near_poor"
    )


async def test_upload_options_roles_and_areas(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    auth: Callable[..., Headers],
) -> None:
    campaign = await open_now(committing_client, auth)
    content = LIST.format(category="Hộ nghèo").encode()
    headers = commune(auth)
    cid = campaign["id"]
    for role in ("province_officer", "auditor", "inspector", "finance_officer", "partner", "administrator"):
        response = await upload(
            committing_client, auth(roles=[role], area_codes=["31"]), content, "a.csv", options(cid)
        )
        code = "review_results_commune_officers_only" if role == "province_officer" else "forbidden"
        assert_problem(response, 403, code)
    # Another commune's officer: 403 for the commune, whatever the campaign.
    response = await upload(committing_client, commune(auth, "10525"), content, "a.csv", options(cid))
    assert_problem(response, 403, "area_not_covered")
    # A guessed campaign id, and another province's officer's view of it: 404.
    response = await upload(committing_client, headers, content, "a.csv", options(str(uuid.uuid4())))
    assert_problem(response, 404, "review_campaign_not_found")
    missing = {k: v for k, v in options(cid).items() if k != "meeting_agreement_pct"}
    problem = assert_problem(
        await upload(committing_client, headers, content, "a.csv", missing),
        422,
        "review_import_options_invalid",
    )
    assert problem["errors"][0]["pointer"] == "/query/meeting_agreement_pct"
    problem = assert_problem(
        await upload(committing_client, headers, content, "a.csv", {"campaign_id": cid}),
        422,
        "review_import_options_invalid",
    )
    assert problem["errors"][0] == {
        "pointer": "/query/campaign_id",
        "code": "unexpected",
        "message": problem["errors"][0]["message"],
    }
    future = options(cid, meeting_held_on=date(local_today().year + 1, 1, 1).isoformat())
    problem = assert_problem(
        await upload(committing_client, headers, content, "a.csv", future),
        422,
        "review_import_options_invalid",
    )
    assert problem["errors"][0]["code"] == "in_the_future"
    response = await upload(committing_client, headers, content, "a.csv", options(cid, "100.5"))
    assert response.status_code == 422
    assert await count(committing_sessionmaker, "household_import") == 0


@pytest.mark.parametrize("category", ["Hộ nghèo"])
async def test_another_areas_review_import_is_not_found(
    committing_client: httpx.AsyncClient,
    auth: Callable[..., Headers],
    run_jobs: Callable[[], Any],
    category: str,
) -> None:
    campaign = await open_now(committing_client, auth)
    data = await run_import(
        committing_client,
        commune(auth),
        run_jobs,
        LIST.format(category=category).encode(),
        options(campaign["id"]),
    )
    other = commune(auth, "10525")
    for path in ("", "/errors.csv", "/errors.xlsx"):
        response = await committing_client.get(f"/v1/imports/{data['id']}{path}", headers=other)
        assert_problem(response, 404, "import_not_found")
    listed = await committing_client.get("/v1/imports", headers=other)
    assert listed.json()["items"] == []
