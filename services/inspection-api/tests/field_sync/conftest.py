"""A case in progress assigned to an inspector, and photos already uploaded to it (rows inserted directly)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.models import InspectionCase, InspectionEvidence

HAI_PHONG = "31"
THUY_NGUYEN = "11560"
HAI_DUONG = "10525"
INSPECTOR = "inspector-a"


@dataclass
class Field:
    case: InspectionCase
    headers: dict[str, str]


def make_case(
    *, inspector: str | None = INSPECTOR, commune: str = THUY_NGUYEN, status: str = "in_progress"
) -> InspectionCase:
    return InspectionCase(
        kind="construction_check",
        status=status,
        title="Kiểm tra dự án NOXH Thuỷ Nguyên",
        subject="Dự án nhà ở xã hội Thuỷ Nguyên",
        opened_by="officer-1",
        province_code=HAI_PHONG,
        commune_code=commune,
        assigned_inspector=inspector,
        assigned_at=datetime.now(UTC) if inspector else None,
        started_at=datetime.now(UTC) if status == "in_progress" else None,
    )


def make_photo(case: InspectionCase, content: bytes) -> InspectionEvidence:
    digest = hashlib.sha256(content).hexdigest()
    return InspectionEvidence(
        case_id=case.id,
        content_type="image/jpeg",
        size_bytes=len(content),
        sha256=digest,
        storage_key=f"evidence/{digest}",
        latitude=20.93,
        longitude=106.67,
        captured_at=datetime(2026, 11, 27, 2, tzinfo=UTC),
        uploaded_by=INSPECTOR,
        province_code=case.province_code,
        commune_code=case.commune_code,
    )


@pytest.fixture
def inspector(auth: Callable[..., dict[str, str]]) -> dict[str, str]:
    return auth(roles=["inspector"], area_codes=[THUY_NGUYEN], subject=INSPECTOR)


@pytest.fixture
async def field(db_session: AsyncSession, inspector: dict[str, str]) -> Field:
    case = make_case()
    db_session.add(case)
    await db_session.flush()
    return Field(case=case, headers=inspector)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def create(case: InspectionCase, *, client_id: uuid.UUID | None = None, **data: Any) -> dict[str, Any]:
    return {
        "client_id": str(client_id or uuid.uuid4()),
        "action": "finding.create",
        "case_id": str(case.id),
        "data": {"outcome": "non_compliant", "note": "Chưa dành quỹ đất 20%"} | data,
    }


def update(
    case: InspectionCase,
    finding_id: str,
    base_version: int,
    *,
    client_id: uuid.UUID | None = None,
    **data: Any,
) -> dict[str, Any]:
    return {
        "client_id": str(client_id or uuid.uuid4()),
        "action": "finding.update",
        "case_id": str(case.id),
        "finding_id": finding_id,
        "base_version": base_version,
        "data": data,
    }


class Builders:
    """The helpers above, as a fixture (test modules cannot import conftest under importlib mode)."""

    THUY_NGUYEN = THUY_NGUYEN
    HAI_DUONG = HAI_DUONG
    HAI_PHONG = HAI_PHONG
    INSPECTOR = INSPECTOR
    make_case = staticmethod(make_case)
    make_photo = staticmethod(make_photo)
    create = staticmethod(create)
    update = staticmethod(update)
    sha = staticmethod(sha)


@pytest.fixture
def b() -> Builders:
    return Builders()
