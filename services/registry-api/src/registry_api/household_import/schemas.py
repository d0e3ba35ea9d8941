from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from registry_api.models import ImportKind, ImportMode, ImportStatus
from servicekit.schemas import ReadModel


class ImportRead(ReadModel):
    id: uuid.UUID
    province_code: str
    commune_code: str
    filename: str
    file_format: str
    size_bytes: int
    sha256: str = Field(description="Of the bytes uploaded: the same file again is the same import.")
    mode: ImportMode
    kind: ImportKind = Field(description="`review_results` also records each row's review record.")
    campaign_id: uuid.UUID | None
    meeting_held_on: date | None
    meeting_agreement_pct: Decimal | None
    status: ImportStatus
    job_id: uuid.UUID | None
    total_rows: int = Field(description="Data rows found (title, blank, total and signature rows excluded).")
    processed_rows: int
    error_rows: int = Field(description="Rows with at least one error (see errors.csv).")
    households_created: int
    households_matched: int = Field(description="Already recorded (matched by the head's citizen ID).")
    persons_created: int
    persons_matched: int
    review_records_created: int
    review_records_updated: int = Field(description="Draft or returned records changed to the row's result.")
    review_records_matched: int = Field(description="Already recorded with the row's result.")
    assessments_created: int
    assessments_matched: int = Field(description="The same facts already assessed on the meeting day.")
    created_at: datetime
    finished_at: datetime | None
