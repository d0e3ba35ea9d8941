from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from registry_api.deps import PiiCipherDep
from registry_api.household.errors import AreaNotCovered
from registry_api.household_import.errors import (
    ImportCommuneUnknown,
    ImportFileEmpty,
    ImportFormatUnsupported,
    ImportNotFound,
    ImportTooLarge,
)
from registry_api.household_import.permissions import ExportsRead, ImportsRead, ImportsWrite
from registry_api.household_import.schemas import ImportRead
from registry_api.household_import.service import (
    MAX_IMPORT_BYTES,
    error_report_csv,
    error_report_xlsx,
    import_service,
)
from registry_api.models import ImportKind, ImportMode, ResidenceArea
from registry_api.review.errors import CampaignNotFound
from registry_api.reviewimport.errors import ReviewImportOptionsInvalid, ReviewResultsCommuneOfficersOnly
from servicekit.errors import error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.schemas import IsoDate
from servicekit.web.params import Pagination
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/imports", tags=["imports"])
export_router = APIRouter(prefix="/exports", tags=["exports"])

CommuneCode = Annotated[str, Query(pattern=r"^\d{5}$", examples=["10972"])]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": f"The file's bytes as the body (at most {MAX_IMPORT_BYTES // (1024 * 1024)} MiB).",
        "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


async def _read_body(request: Request) -> bytes:
    """The body, refused as soon as it grows past the limit (never held whole when too large)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_IMPORT_BYTES:
        raise ImportTooLarge(f"An import is at most {MAX_IMPORT_BYTES} bytes.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_IMPORT_BYTES:
            raise ImportTooLarge(f"An import is at most {MAX_IMPORT_BYTES} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "",
    status_code=202,
    response_model=ImportRead,
    openapi_extra=UPLOAD_BODY,
    responses={
        200: {
            "description": "The same file was imported before: its import, unchanged.",
            "model": ImportRead,
        },
        **error_responses(
            AreaNotCovered,
            ImportCommuneUnknown,
            ImportFileEmpty,
            ImportFormatUnsupported,
            ImportTooLarge,
            CampaignNotFound,
            ReviewImportOptionsInvalid,
            ReviewResultsCommuneOfficersOnly,
        ),
    },
)
async def upload_import(
    request: Request,
    session: SessionDep,
    caller: ImportsWrite,
    response: Response,
    cipher: PiiCipherDep,
    filename: Annotated[str, Query(min_length=5, max_length=255, examples=["ra_soat_2026.xlsx"])],
    commune_code: CommuneCode,
    mode: ImportMode = ImportMode.ACCEPT_VALID_ROWS,
    residence_area: Annotated[
        ResidenceArea | None, Query(description="Urban or rural; by default from the commune (xã: rural).")
    ] = None,
    kind: Annotated[
        ImportKind, Query(description="`review_results` also records each row as a review record.")
    ] = ImportKind.HOUSEHOLDS,
    campaign_id: Annotated[
        uuid.UUID | None, Query(description="With review_results: the campaign the list belongs to.")
    ] = None,
    meeting_held_on: Annotated[
        IsoDate | None, Query(description="With review_results: the village meeting that agreed the list.")
    ] = None,
    meeting_agreement_pct: Annotated[
        Decimal | None,
        Query(ge=0, le=100, max_digits=5, decimal_places=2, description="With review_results: its share."),
    ] = None,
) -> ImportRead:
    """Upload a commune's list of households (csv, xlsx, xls or ods, laid out as communes keep it:
    see docs/rules/import-export.md) for a commune you cover. The file is stored with its SHA-256 and
    imported by a job: 202 with the import and its `job_id`; follow it at `GET /v1/imports/{id}`.
    The same file again (same SHA-256, commune and mode) answers 200 with the earlier import.

    `mode=all_or_nothing` stores nothing when any row is wrong; `accept_valid_rows` (the default)
    stores the good rows and reports the others.

    `kind=review_results` (commune officers only, with `campaign_id` of your province's campaign and
    the village meeting's `meeting_held_on` and `meeting_agreement_pct`) also records each row's
    result as the household's review record of that campaign, and the house it describes as a dwelling
    assessment, through the review and dwelling rules (window, locked records, meeting threshold)."""
    content = await _read_body(request)
    row, created = await import_service.upload(
        session,
        caller,
        filename=filename,
        content=content,
        commune_code=commune_code,
        mode=mode,
        residence_area=residence_area,
        kind=kind,
        campaign_id=campaign_id,
        meeting_held_on=meeting_held_on,
        meeting_agreement_pct=meeting_agreement_pct,
        cipher=cipher,
    )
    if not created:
        response.status_code = 200
    return ImportRead.model_validate(row)


@router.get("", response_model=Page[ImportRead], responses=error_responses(InvalidCursor))
async def list_imports(session: SessionDep, caller: ImportsRead, page: Pagination) -> Page[ImportRead]:
    """Imports of your area, newest first."""
    rows, next_cursor = await import_service.list_imports(session, caller, page)
    return Page(items=[ImportRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{import_id}", response_model=ImportRead, responses=error_responses(ImportNotFound))
async def get_import(import_id: uuid.UUID, session: SessionDep, caller: ImportsRead) -> ImportRead:
    """An import's progress (`processed_rows` of `total_rows`), status and counts. An import of
    another area is a 404."""
    return ImportRead.model_validate(await import_service.get(session, caller, import_id))


@router.get(
    "/{import_id}/errors.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **error_responses(ImportNotFound)},
)
async def import_errors_csv(import_id: uuid.UUID, session: SessionDep, caller: ImportsRead) -> Response:
    """The rows not imported: row number (as the spreadsheet shows it), column heading, error code
    and reason (values are never repeated). UTF-8 with BOM, semicolons."""
    errors = await import_service.errors(session, caller, import_id)
    return Response(
        error_report_csv(errors),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="import-{import_id}-errors.csv"'},
    )


@router.get(
    "/{import_id}/errors.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, **error_responses(ImportNotFound)},
)
async def import_errors_xlsx(import_id: uuid.UUID, session: SessionDep, caller: ImportsRead) -> Response:
    """The same report as errors.csv, as an Excel workbook."""
    errors = await import_service.errors(session, caller, import_id)
    return Response(
        error_report_xlsx(errors),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="import-{import_id}-errors.xlsx"'},
    )


@export_router.get(
    "/households.csv", response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}}
)
async def export_households_csv(
    request: Request,
    session: SessionDep,
    caller: ExportsRead,
    commune_code: Annotated[str | None, Query(pattern=r"^\d{5}$")] = None,
) -> StreamingResponse:
    """Every open household of your area (or of one commune in it) with its head, citizen IDs
    masked, streamed with no row limit. UTF-8 with BOM, semicolons. Each export is audited."""
    await import_service.audit_export(session, caller, fmt="csv", commune_code=commune_code)
    rows = import_service.export_csv(request.app.state.sessionmaker, caller, commune_code=commune_code)
    return StreamingResponse(
        rows,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="households.csv"'},
    )


@export_router.get(
    "/households.xlsx", response_class=StreamingResponse, responses={200: {"content": {XLSX: {}}}}
)
async def export_households_xlsx(
    request: Request,
    session: SessionDep,
    caller: ExportsRead,
    commune_code: Annotated[str | None, Query(pattern=r"^\d{5}$")] = None,
) -> StreamingResponse:
    """The same list as households.csv, as an Excel workbook."""
    await import_service.audit_export(session, caller, fmt="xlsx", commune_code=commune_code)
    rows = import_service.export_xlsx(request.app.state.sessionmaker, caller, commune_code=commune_code)
    return StreamingResponse(
        rows, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="households.xlsx"'}
    )
