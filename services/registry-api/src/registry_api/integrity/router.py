from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from registry_api.integrity.permissions import SignalsRead
from registry_api.integrity.schemas import IntegritySignalRead, SignalKind
from registry_api.integrity.service import integrity_service
from servicekit.errors import error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.params import Pagination
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/integrity-signals", tags=["integrity-signals"])


@router.get("", response_model=Page[IntegritySignalRead], responses=error_responses(InvalidCursor))
async def list_integrity_signals(
    session: SessionDep,
    caller: SignalsRead,
    page: Pagination,
    kind: Annotated[SignalKind | None, Query(description="Only this kind; all kinds if omitted.")] = None,
) -> Page[IntegritySignalRead]:
    """Findings for inspection, computed from the registry's data on each read, of your area, ordered
    by `key` (stable per finding: `supported_twice:<person_id>`, `supported_twice:household:<id>`,
    `ineligible_application:<application_id>`, `resale_within_lock:<resale_id>`,
    `multiple_open_applications:<person_id>`). Kinds:

    - `supported_twice`: a household with two or more supports the only-once rules count (live support
      cases, sale / lease-purchase contracts, resales bought), or a person with two or more of them
      in different households;
    - `ineligible_application`: a submitted, eligible or allocated application whose latest evaluation
      (a bank confirmation on or after the assessment, else the assessment) fails a rule;
    - `resale_within_lock`: a resale inside the resale lock, or less than its years after signing,
      whatever the buyer;
    - `multiple_open_applications`: a person (applicant or spouse) on open applications at two or more
      projects.

    `evidence` holds ids, dates and rule codes only. Roles: service, inspector, province_officer,
    auditor. An unknown `kind` is a 422."""
    rows, next_cursor = await integrity_service.list_signals(session, caller, kind, page)
    return Page(items=[IntegritySignalRead.model_validate(r) for r in rows], next_cursor=next_cursor)
