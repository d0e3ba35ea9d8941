"""Operator commands: `python -m registry_api.manage verify-audit` (exit 2 when the chain is broken)."""

import sys

from registry_api.config import get_settings
from registry_api.models import AuditRecord
from servicekit.manage import run_manage

if __name__ == "__main__":
    sys.exit(run_manage(get_settings().DATABASE_URL.get_secret_value(), AuditRecord))
