from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from inspection_api.checklist.errors import (
    ChecklistKeysDuplicated,
    TemplateCodeTaken,
    TemplateNotFound,
    TemplateVersionInUse,
    TemplateVersionNotFound,
)
from inspection_api.checklist.permissions import TemplatesRead, TemplatesWrite
from inspection_api.checklist.schemas import TemplateCreate, TemplateRead, VersionRead, VersionWrite
from inspection_api.checklist.service import checklist_service
from inspection_api.models import CaseKind
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(tags=["checklists"])


@router.post(
    "/checklist-templates",
    status_code=201,
    response_model=TemplateRead,
    responses=error_responses(TemplateCodeTaken),
)
async def create_checklist_template(
    body: TemplateCreate, session: SessionDep, caller: TemplatesWrite, response: Response
) -> TemplateRead:
    """Create a checklist template for one kind of case (its items come in versions)."""
    template = await checklist_service.create_template(session, body)
    set_etag(response, template.version)
    return TemplateRead.model_validate(template)


@router.get(
    "/checklist-templates", response_model=Page[TemplateRead], responses=error_responses(InvalidCursor)
)
async def list_checklist_templates(
    session: SessionDep, caller: TemplatesRead, page: Pagination, kind: CaseKind | None = None
) -> Page[TemplateRead]:
    """The checklist templates, oldest first."""
    rows, next_cursor = await checklist_service.list_templates(session, page, kind=kind)
    return Page(items=[TemplateRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/checklist-templates/{template_id}",
    response_model=TemplateRead,
    responses=error_responses(TemplateNotFound),
)
async def get_checklist_template(
    template_id: uuid.UUID, session: SessionDep, caller: TemplatesRead
) -> TemplateRead:
    """One checklist template."""
    return TemplateRead.model_validate(await checklist_service.get_template(session, template_id))


@router.post(
    "/checklist-templates/{template_id}/versions",
    status_code=201,
    response_model=VersionRead,
    responses=error_responses(TemplateNotFound, ChecklistKeysDuplicated),
)
async def add_checklist_template_version(
    template_id: uuid.UUID,
    body: VersionWrite,
    session: SessionDep,
    caller: TemplatesWrite,
    response: Response,
) -> VersionRead:
    """Add the next version of a template (numbered 1, 2, ...)."""
    version = await checklist_service.add_version(session, template_id, body)
    set_etag(response, version.version)
    return VersionRead.model_validate(version)


@router.get(
    "/checklist-templates/{template_id}/versions",
    response_model=Page[VersionRead],
    responses=error_responses(TemplateNotFound, InvalidCursor),
)
async def list_checklist_template_versions(
    template_id: uuid.UUID, session: SessionDep, caller: TemplatesRead, page: Pagination
) -> Page[VersionRead]:
    """The versions of a template, oldest first."""
    rows, next_cursor = await checklist_service.list_versions(session, template_id, page)
    return Page(items=[VersionRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/checklist-template-versions/{version_id}",
    response_model=VersionRead,
    responses=error_responses(TemplateVersionNotFound),
)
async def get_checklist_template_version(
    version_id: uuid.UUID, session: SessionDep, caller: TemplatesRead, response: Response
) -> VersionRead:
    """One version of a template, with its items and its `ETag`."""
    version = await checklist_service.get_version(session, version_id)
    set_etag(response, version.version)
    return VersionRead.model_validate(version)


@router.put(
    "/checklist-template-versions/{version_id}",
    response_model=VersionRead,
    responses=error_responses(
        TemplateVersionNotFound,
        TemplateVersionInUse,
        ChecklistKeysDuplicated,
        PreconditionFailed,
        PreconditionRequired,
    ),
)
async def replace_checklist_template_version_items(
    version_id: uuid.UUID,
    body: VersionWrite,
    session: SessionDep,
    caller: TemplatesWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> VersionRead:
    """Replace the items of a version no case has used yet (409 `checklist_template_version_in_use`
    once one has: add a new version instead). `If-Match` required."""
    version = await checklist_service.update_version(session, version_id, expected_version, body)
    set_etag(response, version.version)
    return VersionRead.model_validate(version)
