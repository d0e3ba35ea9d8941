from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from inspection_api.models import CaseKind
from servicekit.schemas import ReadModel, WriteModel


class PlanCreate(WriteModel):
    province_code: Annotated[str, Field(pattern=r"^\d{2}$", examples=["31"])]
    year: Annotated[int, Field(ge=2000, le=2100, examples=[2026])]
    kind: CaseKind
    title: Annotated[str, Field(min_length=1, max_length=300)]
    decision_number: Annotated[str, Field(min_length=1, max_length=50)] | None = None
    decision_date: date | None = None


class PlanRead(ReadModel):
    id: uuid.UUID
    province_code: str
    year: int
    kind: CaseKind
    title: str
    decision_number: str | None
    decision_date: date | None
    version: int
    created_at: datetime


class PlanItemCreate(WriteModel):
    subject: Annotated[str, Field(min_length=1, max_length=300, examples=["Dự án KĐT mới Bắc sông Cấm"])]
    commune_code: Annotated[str, Field(pattern=r"^\d{5}$", examples=["11560"])] | None = None
    scope: Annotated[str, Field(min_length=1, max_length=5000)] | None = None
    planned_month: Annotated[int, Field(ge=1, le=12)] | None = None


class PlanItemRead(ReadModel):
    id: uuid.UUID
    plan_id: uuid.UUID
    province_code: str
    commune_code: str | None
    subject: str
    scope: str | None
    planned_month: int | None
    version: int
    created_at: datetime
