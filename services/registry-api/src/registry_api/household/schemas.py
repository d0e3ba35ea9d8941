from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, field_validator

from registry_api.models import Relationship, ResidenceArea
from registry_api.person.schemas import HeadCreate, MemberCreate, PersonRead
from servicekit.schemas import ReadModel, WriteModel

MAX_MEMBERS = 30

ProvinceCode = Annotated[str, Field(pattern=r"^\d{2}$", examples=["31"])]
CommuneCode = Annotated[str, Field(pattern=r"^\d{5}$", examples=["11560"])]
LegacyAreaCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=16,
        description="The pre-2025 unit code the household was recorded under.",
        examples=["10507"],
    ),
]
Address = Annotated[str, Field(min_length=1, max_length=300, examples=["Số 12 đường Trần Hưng Đạo"])]
Hamlet = Annotated[str, Field(min_length=1, max_length=120, examples=["Tổ dân phố số 3"])]


class HouseholdCreate(WriteModel):
    """A household with its head (12-digit citizen ID required) and any other members."""

    province_code: ProvinceCode
    commune_code: CommuneCode = Field(
        description="A current (2025) commune of the province; you must cover it."
    )
    legacy_area_code: LegacyAreaCode | None = None
    address: Address
    hamlet: Hamlet | None = None
    residence_area: ResidenceArea
    registered_on: date | None = Field(
        default=None, description="When the members' membership starts (a local date); today if left out."
    )
    head: HeadCreate
    members: list[MemberCreate] = Field(default_factory=list, max_length=MAX_MEMBERS)


class HouseholdUpdate(WriteModel):
    """Send only the fields to change. The area does not change (persons move instead)."""

    address: Address | None = None
    hamlet: Hamlet | None = None
    residence_area: ResidenceArea | None = None
    legacy_area_code: LegacyAreaCode | None = None

    @field_validator("address", "residence_area")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Runs only for fields that were sent: leaving them out is fine, clearing them is not.
        if value is None:
            raise ValueError("may not be null")
        return value


class HeadChange(WriteModel):
    person_id: uuid.UUID = Field(description="A current member with a citizen ID.")
    previous_head_relationship: Relationship = Field(
        description="The former head's relationship to the new head; not `head`."
    )

    @field_validator("previous_head_relationship")
    @classmethod
    def _not_head(cls, value: Relationship) -> Relationship:
        if value is Relationship.HEAD:
            raise ValueError("the former head cannot stay head")
        return value


class HouseholdRead(ReadModel):
    id: uuid.UUID
    province_code: str = Field(examples=["31"])
    commune_code: str = Field(examples=["11560"])
    legacy_area_code: str | None
    address: str
    hamlet: str | None
    residence_area: ResidenceArea
    head_person_id: uuid.UUID | None = Field(description="NULL only for a closed household.")
    closed_on: date | None
    version: int = Field(description="The version in the ETag; send the ETag back as If-Match to update.")
    created_at: datetime
    updated_at: datetime


class HouseholdDetail(HouseholdRead):
    members: list[PersonRead] = Field(description="Current members, the head first; identifiers masked.")
