"""Case test helpers (imported as `inspection_case_testing`): constants, problem checks, and a `Flow`
that drives a case through its states over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.inspection_case.service import today_local
from inspection_api.models import ChecklistTemplate, ChecklistTemplateVersion, ViolationType

Auth = Callable[..., dict[str, str]]
HAI_PHONG = "31"
HA_NOI = "01"
HAI_DUONG = "10525"
THUY_NGUYEN = "11560"
INSPECTOR = "inspector-an"
OTHER_INSPECTOR = "inspector-binh"
PROBLEM = "application/problem+json"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"site" * 40 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"roof" * 30
WEBP = b"RIFF\x40\x00\x00\x00WEBPVP8 " + b"wall" * 30
TODAY = today_local()
GPS = {
    "latitude": 20.861,
    "longitude": 106.68,
    "captured_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
}


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code, problem
    return problem


def etag(response: httpx.Response) -> dict[str, str]:
    return {"If-Match": response.headers["ETag"]}


class Reference:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def violation_type(self, code: str) -> ViolationType:
        stmt = select(ViolationType).where(ViolationType.code == code)
        return (await self.session.execute(stmt)).scalar_one()

    async def checklist(self, code: str) -> ChecklistTemplateVersion:
        stmt = (
            select(ChecklistTemplateVersion)
            .join(ChecklistTemplate, ChecklistTemplate.id == ChecklistTemplateVersion.template_id)
            .where(ChecklistTemplate.code == code, ChecklistTemplateVersion.number == 1)
        )
        return (await self.session.execute(stmt)).scalar_one()


class Flow:
    """Drives cases over HTTP as a province officer and the assigned inspector."""

    def __init__(self, client: httpx.AsyncClient, auth: Auth, reference: Reference) -> None:
        self.client = client
        self.reference = reference
        self.officer = auth(roles=["province_officer"], area_codes=[HAI_PHONG], subject="officer-hoa")
        self.inspector = auth(roles=["inspector"], area_codes=[HAI_PHONG], subject=INSPECTOR)

    async def open(
        self, kind: str = "construction_check", commune: str | None = THUY_NGUYEN, **extra: Any
    ) -> httpx.Response:
        body = {
            "kind": kind,
            "title": "Kiểm tra quỹ đất 20% KĐT Bắc sông Cấm",
            "subject": "KĐT Bắc sông Cấm",
            "province_code": HAI_PHONG,
            "commune_code": commune,
        } | extra
        response = await self.client.post("/v1/inspection-cases", json=body, headers=self.officer)
        assert response.status_code == 201, response.text
        return response

    def url(self, case: httpx.Response, tail: str = "") -> str:
        return f"/v1/inspection-cases/{case.json()['id']}{tail}"

    async def act(
        self, case: httpx.Response, action: str, body: dict[str, Any], headers: dict[str, str]
    ) -> httpx.Response:
        return await self.client.post(self.url(case, "/" + action), json=body, headers=headers | etag(case))

    async def get(self, case: httpx.Response) -> httpx.Response:
        return await self.client.get(self.url(case), headers=self.officer)

    async def assigned(self, kind: str = "construction_check") -> httpx.Response:
        case = await self.open(kind)
        response = await self.act(case, "assign", {"inspector_subject": INSPECTOR}, self.officer)
        assert response.status_code == 200, response.text
        return response

    async def in_progress(self, kind: str = "construction_check") -> httpx.Response:
        case = await self.assigned(kind)
        checklist = await self.reference.checklist(
            "land-fund-20" if kind == "construction_check" else "social-housing-use"
        )
        response = await self.act(case, "start", {"checklist_version_id": str(checklist.id)}, self.inspector)
        assert response.status_code == 200, response.text
        return response

    async def violation(self, case: httpx.Response, code: str = "land_fund.not_reserved") -> dict[str, Any]:
        vtype = await self.reference.violation_type(code)
        response = await self.client.post(
            self.url(case, "/violations"),
            json={
                "violation_type_id": str(vtype.id),
                "observed_on": TODAY.isoformat(),
                "description": "Chưa bố trí quỹ đất 20% có hạ tầng.",
            },
            headers=self.inspector,
        )
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    async def concluded(self, with_violation: bool = True) -> tuple[httpx.Response, dict[str, Any] | None]:
        case = await self.in_progress()
        violation = await self.violation(case) if with_violation else None
        response = await self.act(
            case,
            "conclude",
            {"conclusion": "Chủ đầu tư chưa bố trí quỹ đất.", "concluded_on": TODAY.isoformat()},
            self.inspector,
        )
        assert response.status_code == 200, response.text
        return response, violation

    async def sanctioned(self) -> tuple[httpx.Response, dict[str, Any]]:
        case, violation = await self.concluded()
        assert violation is not None
        response = await self.act(case, "sanctions", self.sanction_body(violation), self.officer)
        assert response.status_code == 201, response.text
        return await self.get(case), response.json()

    def sanction_body(self, violation: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {
            "case_violation_id": violation["id"],
            "number": "45/QĐ-XPHC",
            "decided_on": TODAY.isoformat(),
            "fine_vnd": 270_000_000,
            "remedy_deadline": (TODAY + timedelta(days=180)).isoformat(),
        } | extra

    async def follow_up(self) -> tuple[httpx.Response, httpx.Response]:
        case, _ = await self.sanctioned()
        response = await self.act(
            case, "rechecks", {"due_on": (TODAY + timedelta(days=200)).isoformat()}, self.officer
        )
        assert response.status_code == 201, response.text
        child = response.json()["recheck"]
        return await self.get(case), await self.client.get(
            f"/v1/inspection-cases/{child['id']}", headers=self.officer
        )

    async def closed(self) -> httpx.Response:
        case, _ = await self.sanctioned()
        response = await self.act(case, "close", {}, self.officer)
        assert response.status_code == 200, response.text
        return response
