from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from inspection_api.models import CaseKind
from servicekit.schemas import ReadModel, WriteModel

ItemKey = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,59}$", examples=["land_fund.reserved"])]


class ChecklistItem(WriteModel):
    key: ItemKey
    text: Annotated[str, Field(min_length=1, max_length=1000)]
    legal_basis: Annotated[str, Field(min_length=1, max_length=500)] | None = None


Items = Annotated[list[ChecklistItem], Field(min_length=1, max_length=200)]


class TemplateCreate(WriteModel):
    code: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,59}$", examples=["land-fund-20"])]
    kind: CaseKind
    title: Annotated[str, Field(min_length=1, max_length=300)]


class TemplateRead(ReadModel):
    id: uuid.UUID
    code: str
    kind: CaseKind
    title: str
    version: int
    created_at: datetime


class VersionWrite(WriteModel):
    """The items of a version: a key (unique in the version), the question, its legal basis."""

    items: Items


class VersionRead(ReadModel):
    id: uuid.UUID
    template_id: uuid.UUID
    number: int
    items: list[dict[str, Any]]
    first_used_at: datetime | None = Field(description="Set by the first case using it: then frozen.")
    version: int
    created_at: datetime
    updated_at: datetime
