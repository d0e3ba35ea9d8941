"""Administrative units: lookups, the old -> new resolution, roll-ups by old or new boundaries, the
officers' queue for split units, and the seed from the packages' static tables (never an online lookup).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit import sources
from registry_api.admin_unit.errors import (
    AdminUnitNotFound,
    AreaNotCovered,
    LegacyUnitUnknown,
    NotACandidate,
    UnitHasNoSuccessor,
    UnitNotSplit,
    UnitResolutionAlreadyResolved,
    UnitResolutionNotFound,
    UnitSplitNeedsOfficer,
)
from registry_api.admin_unit.repository import (
    AdminUnitMappingRepository,
    AdminUnitRepository,
    AnySelect,
    UnitResolutionRepository,
)
from registry_api.admin_unit.schemas import (
    Boundaries,
    RollUpLevel,
    UnitResolutionCreate,
    UnitResolutionResolve,
)
from registry_api.models import (
    AdminUnit,
    AdminUnitLevel,
    AdminUnitMappingKind,
    AdminUnitScheme,
    OutboxEvent,
    UnitResolution,
    UnitResolutionStatus,
)
from servicekit.concurrency import check_version
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

CURRENT_SCHEME_VALID_FROM = sources.CURRENT_SCHEME_VALID_FROM
SERVICE = "registry"


@dataclass(frozen=True, slots=True)
class Resolution:
    legacy_unit: AdminUnit
    unit: AdminUnit
    kind: AdminUnitMappingKind
    merged: bool


@dataclass(frozen=True, slots=True)
class UnitCount:
    code: str | None
    name: str | None
    count: int


@dataclass(frozen=True, slots=True)
class SeedReport:
    inserted: int
    updated: int
    deleted: int = 0

    def __str__(self) -> str:
        return f"{self.inserted} added, {self.updated} updated" + (
            f", {self.deleted} removed" if self.deleted else ""
        )


class AdminUnitService:
    async def get(
        self, session: AsyncSession, scheme: AdminUnitScheme, code: str, level: AdminUnitLevel | None = None
    ) -> AdminUnit:
        unit = await AdminUnitRepository(session).get_by_code(
            scheme.value, code, level.value if level else None
        )
        if unit is None:
            raise AdminUnitNotFound(f"No {scheme.value} unit has the code {code}.")
        return unit

    async def list_units(
        self,
        session: AsyncSession,
        params: PageParams,
        *,
        scheme: AdminUnitScheme,
        level: AdminUnitLevel | None,
        parent_code: str | None,
        valid_on: date | None = None,
    ) -> tuple[list[AdminUnit], str | None]:
        return await AdminUnitRepository(session).list_units(
            params,
            scheme=scheme.value,
            level=level.value if level else None,
            parent_code=parent_code,
            valid_on=valid_on,
        )

    async def resolve(
        self, session: AsyncSession, legacy_code: str, level: AdminUnitLevel | None = None
    ) -> Resolution:
        """The 2025 unit an old unit went to. A split unit is a 409 listing the candidates: the record
        goes to an officer (POST /v1/unit-resolutions), never to the package's guess."""
        legacy = await self.get(session, AdminUnitScheme.LEGACY, legacy_code, level)
        mappings = AdminUnitMappingRepository(session)
        successors = await mappings.successors(legacy.level, legacy.code)
        if not successors:
            raise UnitHasNoSuccessor(
                f"The legacy {legacy.level} {legacy.code} was not carried over as a unit (districts were "
                "abolished): resolve the commune the record was recorded under."
            )
        if len(successors) > 1:
            raise UnitSplitNeedsOfficer(
                f"The legacy {legacy.level} {legacy.code} ({legacy.name}) was split among "
                f"{', '.join(u.code for _, u in successors)}. "
                "Queue the record with POST /v1/unit-resolutions.",
                errors=[
                    FieldError(
                        pointer="/query/legacy_code", code="split_candidate", message=f"{u.code} {u.name}"
                    )
                    for _, u in successors
                ],
            )
        mapping, unit = successors[0]
        merged = await mappings.predecessor_count(unit.level, unit.code) > 1
        return Resolution(legacy, unit, AdminUnitMappingKind(mapping.kind), merged)

    async def roll_up(
        self,
        session: AsyncSession,
        rows: AnySelect,
        *,
        boundaries: Boundaries,
        level: RollUpLevel,
        weight: str | None = None,
    ) -> list[UnitCount]:
        """Count area-bound rows per unit of the new or the old boundaries (for reports).

        `rows` is any query whose columns are labelled `province_code`, `commune_code` (2025 codes) and
        `legacy_area_code` (the legacy code recorded under, or NULL), e.g.
        `select(Household.province_code, Household.commune_code, Household.legacy_area_code).where(...)`.
        Apply the caller's area filter to `rows` first. The answer is one count per unit, ordered by
        code; rows that cannot be placed at that level come last with code None (by new boundaries: a
        row without a commune; by old ones: a row whose old unit is neither recorded nor derivable
        because its current commune came from several old ones). With `weight`, each row counts as the
        value of that column (rows that are already counts) and units adding up to 0 are left out.
        """
        counted = await AdminUnitMappingRepository(session).roll_up(
            rows, boundaries=boundaries.value, level=level.value, weight=weight
        )
        return [UnitCount(code, name, n) for code, name, n in counted]

    async def roll_up_series(
        self,
        session: AsyncSession,
        rows: AnySelect,
        *,
        series: str,
        boundaries: Boundaries,
        level: RollUpLevel,
        weight: str | None = None,
    ) -> list[tuple[Any, UnitCount]]:
        """As `roll_up`, also grouped by the column labelled `series` in `rows` (e.g. a period end): one
        (series value, count per unit) pair per group, ordered by series value, then code."""
        counted = await AdminUnitMappingRepository(session).roll_up_series(
            rows, series=series, boundaries=boundaries.value, level=level.value, weight=weight
        )
        return [(value, UnitCount(code, name, n)) for value, code, name, n in counted]

    # ------------------------------------------------------------------------------------ seeding

    async def seed_current_units(self, session: AsyncSession) -> SeedReport:
        """All 34 provinces and 3,321 communes of the 2025 scheme. Idempotent."""
        rows = await asyncio.to_thread(sources.current_units)
        return SeedReport(*await AdminUnitRepository(session).upsert_units(rows))

    async def seed_current_province(self, session: AsyncSession, province_code: int) -> int:
        """One 2025 province and its communes (tests and small demos); returns how many were added."""
        code = f"{province_code:02d}"
        rows = [u for u in await asyncio.to_thread(sources.current_units) if u.province_code == code]
        inserted, _ = await AdminUnitRepository(session).upsert_units(rows)
        return inserted

    async def seed_legacy_units(self, session: AsyncSession) -> SeedReport:
        """The 63 provinces, 696 districts and 10,035 communes before 1 July 2025. Idempotent."""
        rows = await asyncio.to_thread(sources.legacy_units)
        return SeedReport(*await AdminUnitRepository(session).upsert_units(rows))

    async def seed_mapping(self, session: AsyncSession) -> SeedReport:
        """The old -> new mapping of the 2025 reorganisation, mirrored from the package. Load the units
        first: the mapping refers to them by code."""
        rows = await asyncio.to_thread(sources.mappings)
        return SeedReport(
            *await AdminUnitMappingRepository(session).mirror(rows, sources.MAPPING_EFFECTIVE_ON)
        )

    async def seed_all(self, session: AsyncSession) -> tuple[SeedReport, SeedReport, SeedReport]:
        return (
            await self.seed_current_units(session),
            await self.seed_legacy_units(session),
            await self.seed_mapping(session),
        )


class UnitResolutionService:
    """The officers' queue: records recorded under an old commune that was split among new ones."""

    async def queue(
        self, session: AsyncSession, caller: Principal, data: UnitResolutionCreate
    ) -> UnitResolution:
        """Queue a record. The candidates come from the mapping, never from the caller, so an officer is
        only ever offered the communes the old one was split among."""
        successors = await AdminUnitMappingRepository(session).successors(
            AdminUnitLevel.COMMUNE.value, data.legacy_area_code
        )
        if not successors:
            raise LegacyUnitUnknown(
                f"{data.legacy_area_code} is not a legacy commune.",
                errors=[
                    FieldError(
                        pointer="/body/legacy_area_code",
                        code="legacy_unit_unknown",
                        message="no such legacy commune",
                    )
                ],
            )
        if len(successors) == 1:
            raise UnitNotSplit(
                f"The legacy commune {data.legacy_area_code} went whole to {successors[0][1].code}; "
                "GET /v1/admin-units/resolve gives it.",
                errors=[
                    FieldError(
                        pointer="/body/legacy_area_code", code="unit_not_split", message="not a split unit"
                    )
                ],
            )
        candidates = sorted(u.code for _, u in successors)
        province_code = successors[0][1].province_code  # the loader checks all pieces share it
        if not (province_code in caller.area.provinces or caller.area.communes.intersection(candidates)):
            raise AreaNotCovered("You cover none of the communes this unit was split among.")
        item = UnitResolution(
            source_service=data.source_service,
            resource_type=data.resource_type,
            resource_id=data.resource_id,
            legacy_area_code=data.legacy_area_code,
            candidate_codes=candidates,
            province_code=province_code,
            commune_code=None,
            status=UnitResolutionStatus.PENDING.value,
            note=data.note,
        )
        return await UnitResolutionRepository(session).save(item)

    async def get(self, session: AsyncSession, caller: Principal, item_id: uuid.UUID) -> UnitResolution:
        """One item; an item outside the caller's area is as missing as one that does not exist."""
        item = await UnitResolutionRepository(session).get_visible(item_id, caller.area)
        if item is None:
            raise UnitResolutionNotFound(f"No unit resolution {item_id} in your area.")
        return item

    async def list_items(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        status: UnitResolutionStatus | None,
    ) -> tuple[list[UnitResolution], str | None]:
        return await UnitResolutionRepository(session).list_items(
            params, area=caller.area, status=status.value if status else None
        )

    async def counts(
        self,
        session: AsyncSession,
        caller: Principal,
        *,
        boundaries: Boundaries,
        level: RollUpLevel,
        status: UnitResolutionStatus | None,
    ) -> list[UnitCount]:
        """The caller's queue items counted per unit of the new or old boundaries."""
        rows = UnitResolutionRepository(session).area_rows(
            caller.area, status=status.value if status else None
        )
        return await admin_unit_service.roll_up(session, rows, boundaries=boundaries, level=level)

    async def resolve(
        self,
        session: AsyncSession,
        caller: Principal,
        item_id: uuid.UUID,
        expected_version: int,
        data: UnitResolutionResolve,
    ) -> UnitResolution:
        """Choose the commune. It must be a candidate, and one the caller covers (a commune officer
        claims a record for their commune; a province officer for any commune of the province)."""
        item = await self.get(session, caller, item_id)
        check_version(item.version, expected_version)
        if item.status == UnitResolutionStatus.RESOLVED:
            raise UnitResolutionAlreadyResolved(f"Already resolved to {item.commune_code}.")
        if data.commune_code not in item.candidate_codes:
            raise NotACandidate(
                f"Choose one of {', '.join(item.candidate_codes)}.",
                errors=[
                    FieldError(
                        pointer="/body/commune_code", code="not_a_candidate", message="not a candidate"
                    )
                ],
            )
        if not caller.covers(item.province_code, data.commune_code):
            raise AreaNotCovered(f"You do not cover commune {data.commune_code}.")
        item.commune_code = data.commune_code
        item.status = UnitResolutionStatus.RESOLVED.value
        item.resolved_by = caller.subject
        item.resolved_at = datetime.now(UTC)
        if data.note is not None:
            item.note = data.note
        await UnitResolutionRepository(session).save(item)
        await emit(
            session,
            OutboxEvent,
            type="unit_resolution.resolved",
            subject=urn(SERVICE, "unit-resolution", item.id),
            area_codes=[item.province_code, item.commune_code],
            data={
                "unit_resolution_id": item.id,
                "source_service": item.source_service,
                "resource_type": item.resource_type,
                "resource_id": item.resource_id,
                "legacy_area_code": item.legacy_area_code,
                "province_code": item.province_code,
                "commune_code": item.commune_code,
            },
        )
        return item


admin_unit_service = AdminUnitService()
unit_resolution_service = UnitResolutionService()
