"""Operator commands: `python -m inspection_api.manage verify-audit` (exit 2 when the chain is broken)."""

import sys

from inspection_api.config import get_settings
from inspection_api.models import AuditRecord
from servicekit.manage import run_manage

if __name__ == "__main__":
    settings = get_settings()
    sys.exit(
        run_manage(
            settings.DATABASE_URL.get_secret_value(), AuditRecord, anchor_path=settings.AUDIT_ANCHOR_PATH
        )
    )
