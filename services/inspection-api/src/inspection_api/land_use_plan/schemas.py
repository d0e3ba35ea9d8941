from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, field_validator

from inspection_api.models import LandUsePlanLevel, LandUsePlanStatus
from servicekit.schemas import ReadModel, WriteModel

# Bounded so a typo cannot overflow the column: 100,000 km² is more than any province's area.
MAX_LAND_M2 = 100_000_000_000

ProvinceCode = Annotated[str, Field(pattern=r"^\d{2}$", examples=["31"])]
CommuneCode = Annotated[str, Field(pattern=r"^\d{5}$", examples=["11560"])]
Name = Annotated[
    str,
    Field(min_length=1, max_length=300, examples=["Quy hoạch chung thành phố Hải Phòng đến năm 2040"]),
]
DecisionNumber = Annotated[str, Field(min_length=1, max_length=50, examples=["1516/QĐ-TTg"])]
ApprovedBy = Annotated[str, Field(min_length=1, max_length=200, examples=["Thủ tướng Chính phủ"])]
LandM2 = Annotated[int, Field(ge=0, le=MAX_LAND_M2, description="Land designated for social housing, in m².")]


class LandUsePlanCreate(WriteModel):
    """An approved or superseded plan needs `decision_number` and `decision_date`."""

    province_code: ProvinceCode
    commune_code: CommuneCode | None = Field(default=None, description="Leave out for a province-wide plan.")
    legacy_area_code: str | None = Field(
        default=None, max_length=16, description="The pre-2025 unit code the plan was approved under."
    )
    name: Name
    level: LandUsePlanLevel
    status: LandUsePlanStatus = LandUsePlanStatus.DRAFT
    decision_number: DecisionNumber | None = None
    decision_date: date | None = Field(default=None, description="The approving decision's date (local).")
    approved_by: ApprovedBy | None = None
    social_housing_land_m2: LandM2 | None = None


class LandUsePlanUpdate(WriteModel):
    """Send only the fields to change. The area cannot change; `null` clears an optional field."""

    name: Name | None = None
    level: LandUsePlanLevel | None = None
    status: LandUsePlanStatus | None = None
    decision_number: DecisionNumber | None = None
    decision_date: date | None = None
    approved_by: ApprovedBy | None = None
    social_housing_land_m2: LandM2 | None = None

    @field_validator("name", "level", "status")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Runs only for fields that were sent: leaving them out is fine, clearing them is not.
        if value is None:
            raise ValueError("may not be null")
        return value


class LandUsePlanRead(ReadModel):
    id: uuid.UUID
    province_code: str = Field(examples=["31"])
    commune_code: str | None = Field(examples=["11560"])
    legacy_area_code: str | None
    name: str
    level: LandUsePlanLevel
    status: LandUsePlanStatus
    decision_number: str | None
    decision_date: date | None
    approved_by: str | None
    social_housing_land_m2: int | None
    version: int = Field(description="The version in the ETag; send the ETag back as If-Match to update.")
    created_at: datetime
    updated_at: datetime
