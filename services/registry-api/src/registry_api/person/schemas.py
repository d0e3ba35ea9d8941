from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import Field, field_validator, model_validator

from registry_api.models import Relationship
from registry_api.person.identifiers import Gender
from servicekit.schemas import ReadModel, WriteModel

FullName = Annotated[str, Field(min_length=1, max_length=200, examples=["Nguyễn Văn Đức"])]
BirthYear = Annotated[int, Field(ge=1900, le=2399, examples=[1978])]
# Formats are checked by the service, so each mistake gets its own problem code; lengths bound here.
CitizenId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=20,
        description="The 12-digit personal identification number (CCCD). Spaces and dots are ignored.",
        examples=["031078000123"],
    ),
]
LegacyIdNumber = Annotated[
    str,
    Field(
        min_length=1,
        max_length=20,
        description="The 9-digit number of an old identity card (CMND), kept only as a legacy identifier.",
        examples=["031456789"],
    ),
]
Phone = Annotated[
    str,
    Field(
        min_length=1,
        max_length=20,
        description="A Vietnamese mobile number: 10 digits starting with 0, or +84 and 9 digits.",
        examples=["0912345678"],
    ),
]
Purpose = Annotated[str, Field(min_length=5, max_length=300, examples=["Đối chiếu hồ sơ vay vốn VBSP"])]


def _not_head(value: Relationship | None) -> Relationship | None:
    if value is Relationship.HEAD:
        raise ValueError("a person becomes head only through the household head action")
    return value


class PersonFields(WriteModel):
    """A person's particulars. Give `date_of_birth` when known, otherwise at least `birth_year`."""

    full_name: FullName
    date_of_birth: date | None = Field(default=None, description="A local date.")
    birth_year: BirthYear | None = Field(
        default=None, description="Needed when the date of birth is unknown; must agree with it otherwise."
    )
    gender: Gender
    citizen_id: CitizenId | None = None
    legacy_id_number: LegacyIdNumber | None = None
    phone: Phone | None = None

    @model_validator(mode="after")
    def _birth_known(self) -> Self:
        if self.date_of_birth is None and self.birth_year is None:
            raise ValueError("give date_of_birth or birth_year")
        return self


class HeadCreate(PersonFields):
    """The household head: a 12-digit `citizen_id` is required."""


class MemberCreate(PersonFields):
    """A member besides the head; members without a known number are identified by name, birth and
    household."""

    relationship: Relationship = Field(description="Relationship to the head; not `head`.")

    relationship_not_head = field_validator("relationship")(_not_head)


class PersonCreate(MemberCreate):
    household_id: uuid.UUID = Field(description="The household the person joins; you must cover its area.")
    joined_on: date | None = Field(
        default=None, description="Membership start (a local date); today if left out."
    )


class PersonUpdate(WriteModel):
    """Send only the fields to change; `null` clears an optional field. Moves and the head have their
    own actions."""

    full_name: FullName | None = None
    date_of_birth: date | None = None
    birth_year: BirthYear | None = None
    gender: Gender | None = None
    citizen_id: CitizenId | None = None
    legacy_id_number: LegacyIdNumber | None = None
    phone: Phone | None = None
    relationship: Relationship | None = None

    @field_validator("full_name", "birth_year", "gender", "relationship")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Runs only for fields that were sent: leaving them out is fine, clearing them is not.
        if value is None:
            raise ValueError("may not be null")
        return value

    relationship_not_head = field_validator("relationship")(_not_head)


class MoveRequest(WriteModel):
    household_id: uuid.UUID = Field(description="The household the person moves to (in an area you cover).")
    relationship: Relationship = Field(description="Relationship to the new household's head; not `head`.")
    moved_on: date | None = Field(default=None, description="A local date; today if left out.")

    relationship_not_head = field_validator("relationship")(_not_head)


class LookupRequest(WriteModel):
    """Exactly one of the numbers. Sent in a body so it stays out of URLs and access logs."""

    citizen_id: CitizenId | None = None
    legacy_id_number: LegacyIdNumber | None = None


class RevealField(StrEnum):
    CITIZEN_ID = "citizen_id"
    LEGACY_ID_NUMBER = "legacy_id_number"
    PHONE = "phone"


class RevealRequest(WriteModel):
    fields: list[RevealField] = Field(
        default=[RevealField.CITIZEN_ID], min_length=1, max_length=3, description="What to show unmasked."
    )
    purpose: Purpose = Field(description="Why you need the numbers; kept in the audit trail.")


class PersonRead(ReadModel):
    id: uuid.UUID
    household_id: uuid.UUID
    relationship: Relationship
    full_name: str
    date_of_birth: date | None
    birth_year: int
    gender: Gender
    citizen_id_masked: str | None = Field(
        description="The citizen ID with all but the last 3 digits hidden; reveal it with "
        "`POST /v1/persons/{id}/reveal`.",
        examples=["*********123"],
    )
    legacy_id_masked: str | None = Field(examples=["******789"])
    phone_masked: str | None = Field(examples=["*********678"])
    province_code: str = Field(examples=["31"])
    commune_code: str = Field(examples=["11560"])
    legacy_area_code: str | None
    version: int = Field(description="The version in the ETag; send the ETag back as If-Match to update.")
    created_at: datetime
    updated_at: datetime


class PersonSearchHit(PersonRead):
    match: Literal["exact", "words", "similar"] = Field(
        description="`exact`: the whole name; `words`: every query word starts a word of the name; "
        "`similar`: a typo-tolerant match (only when narrowed by commune or birth year)."
    )


class PersonLookupResult(ReadModel):
    items: list[PersonRead]


class RevealedIdentifiers(ReadModel):
    person_id: uuid.UUID
    citizen_id: str | None = None
    legacy_id_number: str | None = None
    phone: str | None = Field(default=None, description="E.164.", examples=["+84912345678"])


class MembershipRead(ReadModel):
    id: uuid.UUID
    person_id: uuid.UUID
    household_id: uuid.UUID
    relationship: Relationship
    joined_on: date
    left_on: date | None
    reason: str
    province_code: str
    commune_code: str
