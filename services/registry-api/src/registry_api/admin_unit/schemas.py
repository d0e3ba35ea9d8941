from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from registry_api.models import AdminUnitLevel, AdminUnitScheme
from servicekit.schemas import ReadModel

Code = Annotated[str, Field(pattern=r"^\d{2}$|^\d{3}$|^\d{5}$", examples=["31", "11560"])]


class AdminUnitRead(ReadModel):
    scheme: AdminUnitScheme
    level: AdminUnitLevel
    code: str = Field(examples=["11560"])
    name: str = Field(examples=["Phường Thuỷ Nguyên"])
    division_type: str = Field(examples=["phường"])
    codename: str
    parent_code: str | None = Field(examples=["31"])
    valid_from: date
    valid_to: date | None
    source: str = Field(description="The package and version the unit was loaded from.")
