"""The partner API's read models: explicit allow-lists of public or aggregated facts.

Never the internal read models: those may grow fields (a note, an officer's name, a person) that must
not reach a partner. A field is added here only after deciding that it is public (docs/partners.md).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from registry_api.admin_unit.schemas import Boundaries, RollUpLevel
from registry_api.housing_target.schemas import AreaScheme, Certainty
from registry_api.models import (
    ApplicationStatus,
    FloorAreaBand,
    ProjectKind,
    SupportCaseStatus,
    SupportStream,
    UnitKind,
)


class PartnerProjectStatus(StrEnum):
    """Where a project stands, from its milestones."""

    PLANNED = "planned"  # no milestone yet
    APPROVED = "approved"
    UNDER_CONSTRUCTION = "under_construction"  # started, not completed
    COMPLETED = "completed"  # completed, not handed over
    HANDED_OVER = "handed_over"


class PartnerPlannedUnits(BaseModel):
    unit_kind: UnitKind
    floor_area_band: FloorAreaBand
    units: int


class PartnerMilestones(BaseModel):
    """The local date each milestone was reached; null until it is."""

    approved_on: date | None
    started_on: date | None
    completed_on: date | None
    handed_over_on: date | None


class PartnerSalePublication(BaseModel):
    """The investor's publication of the sale (D100 Art. 38): where, and the application window."""

    published_on: date
    published_where: str
    opens_on: date = Field(description="First day applications are taken.")
    closes_on: date = Field(description="Last day applications are taken (inclusive).")


class PartnerProject(BaseModel):
    """A social housing project: public facts only (HL2023 and D100 Art. 38 require publishing them)."""

    id: uuid.UUID
    name: str
    investor: str = Field(description="The investor (an enterprise).")
    province_code: str = Field(examples=["31"])
    commune_code: str = Field(examples=["11560"])
    legacy_area_code: str | None = Field(description="The pre-2025 unit code it was recorded under, if any.")
    kind: ProjectKind
    land_area_m2: int
    status: PartnerProjectStatus
    planned_units_total: int
    planned_units: list[PartnerPlannedUnits]
    milestones: PartnerMilestones
    sale_publication: PartnerSalePublication | None = Field(description="Null until the sale is published.")
    updated_at: datetime


class PartnerTarget(BaseModel):
    """A published unit target, with its legal basis (the officers' free-text note is not published)."""

    id: uuid.UUID
    code: str
    area_code: str = Field(
        description="Province code in its scheme (30 Hải Dương before 2025, 31 Hải Phòng)."
    )
    area_scheme: AreaScheme
    province_code: str = Field(description="The 2025 province now responsible for it.")
    period_start_year: int
    period_end_year: int
    year: int | None = Field(description="A yearly target within the period; null for the whole period.")
    units: int
    legal_basis: str
    issued_on: date
    certainty: Certainty
    supersedes_id: uuid.UUID | None
    superseded_by_id: uuid.UUID | None = Field(description="Set once a newer version replaces it.")


class PartnerYearProgress(BaseModel):
    year: int
    started_units: int
    completed_units: int


class PartnerAreaProgress(BaseModel):
    code: str | None = Field(description="The province's code in the boundaries asked for; null: unplaced.")
    name: str | None
    started_units: int
    completed_units: int
    target_units: int | None = Field(description="The current whole-period target for this unit, if any.")
    years: list[PartnerYearProgress]


class PartnerProgress(BaseModel):
    """Units started and completed against the targets of a period (counted from project milestones)."""

    period_start_year: int
    period_end_year: int
    boundaries: Boundaries
    areas: list[PartnerAreaProgress]
    targets: list[PartnerTarget] = Field(description="The current targets for this period.")


class PartnerStatisticCell(BaseModel):
    """One unit's count; null when between 1 and the suppression threshold (see `suppressed`)."""

    area_code: str | None = Field(description="The unit's 2025 code; null for rows not placed in one.")
    area_name: str | None
    count: int | None
    suppressed: bool = Field(description="The count is hidden (small-cell suppression).")


class PartnerCategoryCounts(BaseModel):
    category: str = Field(description="`all` (every open household), or a beneficiary category kind.")
    cells: list[PartnerStatisticCell]


class PartnerSupportCaseCounts(BaseModel):
    stream: SupportStream
    status: SupportCaseStatus
    cells: list[PartnerStatisticCell]


class PartnerApplicationCount(BaseModel):
    project_id: uuid.UUID
    project_name: str
    project_commune_code: str
    status: ApplicationStatus
    count: int | None
    suppressed: bool


class PartnerStatistics(BaseModel):
    """Aggregated counts of a period, per unit of the 2025 boundaries. Counts from 1 to
    `suppression_threshold - 1` are null (`suppressed`), and more cells are hidden where a hidden one
    could be recovered from the total: tiny counts in a commune identify households."""

    period: str = Field(examples=["2026", "2026-Q3"])
    period_start: date
    period_end: date
    as_of: date = Field(description="The day states are counted on: the period's end, or today if sooner.")
    level: RollUpLevel
    suppression_threshold: int
    households_by_category: list[PartnerCategoryCounts] = Field(
        description="Households open today holding a category valid on `as_of`; `all` first."
    )
    houses_remaining: list[PartnerStatisticCell] = Field(
        description="Households whose dwelling was temporary or dilapidated (qualifying for support) on "
        "`as_of` with no support case accepted by then."
    )
    support_cases: list[PartnerSupportCaseCounts] = Field(
        description="Support cases proposed in the period, by stream and current status."
    )
    applications: list[PartnerApplicationCount] = Field(
        description="Applications submitted in the period, by project and current status."
    )


class PublishedListKind(StrEnum):
    SALE = "sale"
    LEASE_PURCHASE = "lease_purchase"
    RENT = "rent"
    RESALE_PURCHASE = "resale_purchase"


class PublishedListEntry(BaseModel):
    """One line of the yearly published list of buyers and renters (Decree 94/2024/NĐ-CP, Directive
    34/CT-TTg): what the law publishes, nothing more. No citizen ID (not even masked), no date of birth,
    address, phone, spouse, price, unit or contract number."""

    project_id: uuid.UUID
    project_name: str
    investor: str
    project_commune_code: str
    kind: PublishedListKind
    full_name: str
    birth_year: int
    residence_commune_code: str = Field(description="The commune of residence (a code, not an address).")
    on: date = Field(description="The day the contract was signed or the resale bought.")
