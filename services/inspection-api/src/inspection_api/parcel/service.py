"""Parcels: checked, converted to WGS84 and measured on the way in; read within the caller's area.
Land-use plans designate parcels (or part of one) for social housing."""

from __future__ import annotations

import math
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.land_use_plan.errors import AreaNotCovered
from inspection_api.land_use_plan.service import land_use_plan_service
from inspection_api.models import OutboxEvent, Parcel, ParcelDesignationRecord
from inspection_api.parcel.errors import (
    BBoxInvalid,
    DesignationAreaTooLarge,
    GeometryInvalid,
    ParcelAlreadyDesignated,
    ParcelNotFound,
    ParcelOutsidePlan,
)
from inspection_api.parcel.geometry import WGS84, GeometryProblem, MeasuredGeometry, measure
from inspection_api.parcel.repository import BBox, DesignationRepository, ParcelRepository
from inspection_api.parcel.schemas import DesignationCreate, ParcelCreate, ParcelUpdate
from servicekit.concurrency import check_version
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

BBOX_PARTS = 4


def parse_bbox(value: str | None) -> BBox | None:
    """`min_lon,min_lat,max_lon,max_lat` (WGS84), as in OGC API Features; a bad one is a 422."""
    if value is None:
        return None
    try:
        parts = [float(p) for p in value.split(",")]
    except ValueError:
        parts = []
    ok = (
        len(parts) == BBOX_PARTS
        and all(math.isfinite(p) for p in parts)
        and -180 <= parts[0] <= parts[2] <= 180
        and -90 <= parts[1] <= parts[3] <= 90
    )
    if not ok:
        raise BBoxInvalid(
            "bbox is min_lon,min_lat,max_lon,max_lat with min <= max.",
            errors=[FieldError(pointer="/query/bbox", code="bbox_invalid", message="four ordered numbers")],
        )
    return BBox(*parts)


async def _emit(session: AsyncSession, type_: str, parcel: Parcel, **data: object) -> None:
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("inspection", "parcel", parcel.id),
        area_codes=[parcel.province_code, parcel.commune_code],
        data={"parcel_id": parcel.id, **data},
    )


def _measure(raw: dict[str, object], crs: str) -> MeasuredGeometry:
    try:
        return measure(raw, crs)
    except GeometryProblem as problem:
        pointer = "/body/crs" if problem.pointer == "/crs" else f"/body{problem.pointer}"
        raise GeometryInvalid(
            problem.message, errors=[FieldError(pointer=pointer, code=problem.code, message=problem.message)]
        ) from None


class ParcelService:
    async def create(self, session: AsyncSession, caller: Principal, data: ParcelCreate) -> Parcel:
        if not caller.covers(data.province_code, data.commune_code):
            raise AreaNotCovered(f"You do not cover commune {data.commune_code}.")
        try:
            measured = measure(data.geometry, data.crs)
        except GeometryProblem as problem:
            pointer = "/body/crs" if problem.pointer == "/crs" else f"/body{problem.pointer}"
            raise GeometryInvalid(
                problem.message,
                errors=[FieldError(pointer=pointer, code=problem.code, message=problem.message)],
            ) from None
        parcel = Parcel(
            province_code=data.province_code,
            commune_code=data.commune_code,
            legacy_area_code=data.legacy_area_code,
            cadastral_ref=data.cadastral_ref,
            name=data.name,
            geometry=measured.geometry,
            source_crs=measured.source_crs,
            source_geometry=measured.source_geometry,
            min_lon=measured.min_lon,
            min_lat=measured.min_lat,
            max_lon=measured.max_lon,
            max_lat=measured.max_lat,
            area_m2=measured.area_m2,
        )
        await ParcelRepository(session).add(parcel)
        await _emit(
            session,
            "parcel.recorded",
            parcel,
            source_crs=parcel.source_crs,
            area_m2=str(parcel.area_m2),
            bbox=[parcel.min_lon, parcel.min_lat, parcel.max_lon, parcel.max_lat],
        )
        return parcel

    async def update(
        self,
        session: AsyncSession,
        caller: Principal,
        parcel_id: uuid.UUID,
        expected_version: int,
        data: ParcelUpdate,
    ) -> Parcel:
        """Correct a parcel; a new geometry is checked and measured as on creation (422, nothing changed)."""
        parcel = await self.get(session, caller, parcel_id)
        check_version(parcel.version, expected_version)
        changes = data.model_dump(exclude_unset=True)
        if data.geometry is not None:
            measured = _measure(data.geometry, data.crs or WGS84)
            largest = await DesignationRepository(session).largest_for_parcel(parcel.id)
            if largest is not None and largest > measured.area_m2:
                raise DesignationAreaTooLarge(
                    f"A plan designates {largest} m² of it; the new geometry measures {measured.area_m2} m².",
                    errors=[
                        FieldError(
                            pointer="/body/geometry",
                            code="smaller_than_designated",
                            message=f"at least {largest} m²",
                        )
                    ],
                )
            for field in (
                "geometry",
                "source_crs",
                "source_geometry",
                "min_lon",
                "min_lat",
                "max_lon",
                "max_lat",
                "area_m2",
            ):
                setattr(parcel, field, getattr(measured, field))
        for field in ("cadastral_ref", "name"):
            if field in changes:
                setattr(parcel, field, changes[field])
        await ParcelRepository(session).save(parcel)
        await _emit(
            session,
            "parcel.updated",
            parcel,
            changed=sorted(changes),
            source_crs=parcel.source_crs,
            area_m2=str(parcel.area_m2),
            bbox=[parcel.min_lon, parcel.min_lat, parcel.max_lon, parcel.max_lat],
        )
        return parcel

    async def get(self, session: AsyncSession, caller: Principal, parcel_id: uuid.UUID) -> Parcel:
        parcel = await ParcelRepository(session).get_in_area(parcel_id, caller.area)
        if parcel is None:
            raise ParcelNotFound(f"No parcel {parcel_id} in your area.")
        return parcel

    async def list_parcels(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        bbox: str | None,
        commune_code: str | None,
    ) -> tuple[list[Parcel], str | None]:
        return await ParcelRepository(session).list_parcels(
            params, area=caller.area, bbox=parse_bbox(bbox), commune_code=commune_code
        )

    async def designate(
        self, session: AsyncSession, caller: Principal, plan_id: uuid.UUID, data: DesignationCreate
    ) -> ParcelDesignationRecord:
        """Set (part of) a parcel aside in a plan. Both must be in the caller's area (else 404); the
        parcel must lie in the plan's area (a province plan: its province; a commune plan: its commune)."""
        plan = await land_use_plan_service.get(session, caller, plan_id)
        parcel = await self.get(session, caller, data.parcel_id)
        if parcel.province_code != plan.province_code or (
            plan.commune_code is not None and parcel.commune_code != plan.commune_code
        ):
            raise ParcelOutsidePlan(
                "The parcel is not in the plan's area.",
                errors=[
                    FieldError(
                        pointer="/body/parcel_id",
                        code="parcel_outside_plan",
                        message="not in the plan's area",
                    )
                ],
            )
        area = data.area_m2 if data.area_m2 is not None else parcel.area_m2
        if area > parcel.area_m2:
            raise DesignationAreaTooLarge(
                f"The parcel measures {parcel.area_m2} m².",
                errors=[
                    FieldError(
                        pointer="/body/area_m2",
                        code="exceeds_parcel_area",
                        message=f"at most {parcel.area_m2}",
                    )
                ],
            )
        repo = DesignationRepository(session)
        if await repo.find(plan.id, parcel.id) is not None:
            raise ParcelAlreadyDesignated("The parcel is already designated in this plan.")
        record = ParcelDesignationRecord(
            land_use_plan_id=plan.id, parcel_id=parcel.id, designation=data.designation.value, area_m2=area
        )
        await repo.add(record)
        await emit(
            session,
            OutboxEvent,
            type="land_use_plan.parcel_designated",
            subject=urn("inspection", "land-use-plan", plan.id),
            area_codes=[plan.province_code, plan.commune_code, parcel.commune_code],
            data={
                "land_use_plan_id": plan.id,
                "parcel_id": parcel.id,
                "designation": record.designation,
                "area_m2": str(area),
            },
        )
        return record

    async def designations(
        self, session: AsyncSession, caller: Principal, plan_id: uuid.UUID, params: PageParams
    ) -> tuple[list[ParcelDesignationRecord], str | None]:
        plan = await land_use_plan_service.get(session, caller, plan_id)
        return await DesignationRepository(session).list_for_plan(plan.id, params)


parcel_service = ParcelService()
