from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from registry_api.models import ImportMode, ImportStatus
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
    status: ImportStatus
    job_id: uuid.UUID | None
    total_rows: int = Field(description="Data rows found (title, blank, total and signature rows excluded).")
    processed_rows: int
    error_rows: int = Field(description="Rows with at least one error (see errors.csv).")
    households_created: int
    households_matched: int = Field(description="Already recorded (matched by the head's citizen ID).")
    persons_created: int
    persons_matched: int
    created_at: datetime
    finished_at: datetime | None
