from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from registry_api.admin_unit.errors import AdminUnitNotFound
from registry_api.admin_unit.permissions import AdminUnitsRead
from registry_api.admin_unit.schemas import AdminUnitRead
from registry_api.admin_unit.service import admin_unit_service
from registry_api.models import AdminUnitLevel, AdminUnitScheme
from servicekit.errors import error_responses
from servicekit.pagination import Page
from servicekit.web.params import Pagination
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/admin-units", tags=["admin-units"])


@router.get("", response_model=Page[AdminUnitRead], responses=error_responses())
async def list_admin_units(
    session: SessionDep,
    _caller: AdminUnitsRead,
    page: Pagination,
    scheme: Annotated[
        AdminUnitScheme, Query(description="2025 codes or legacy codes")
    ] = AdminUnitScheme.CURRENT,
    level: AdminUnitLevel | None = None,
    parent_code: Annotated[str | None, Query(pattern=r"^\d{2,5}$")] = None,
) -> Page[AdminUnitRead]:
    """Administrative units, by level then code. Filter by the parent's code to list a province's communes."""
    rows, next_cursor = await admin_unit_service.list_units(
        session, page, scheme=scheme, level=level, parent_code=parent_code
    )
    return Page(items=[AdminUnitRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{code}", response_model=AdminUnitRead, responses=error_responses(AdminUnitNotFound))
async def get_admin_unit(
    session: SessionDep,
    _caller: AdminUnitsRead,
    code: Annotated[str, Path(pattern=r"^\d{2,5}$", examples=["11560"])],
    scheme: AdminUnitScheme = AdminUnitScheme.CURRENT,
) -> AdminUnitRead:
    """One unit by its code (2 digits for a province, 5 for a commune)."""
    return AdminUnitRead.model_validate(await admin_unit_service.get(session, scheme, code))
