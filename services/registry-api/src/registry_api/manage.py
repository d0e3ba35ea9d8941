"""Operator commands: `python -m registry_api.manage verify-audit` (exit 2 when the chain is broken),
`seal-audit`, `rebuild-dashboards` and `check-dashboards` (registry_api.dashboard.commands)."""

import sys

from registry_api.config import get_settings
from registry_api.dashboard.commands import COMMANDS as DASHBOARD_COMMANDS
from registry_api.dashboard.commands import run_dashboard_command
from registry_api.models import AuditRecord
from servicekit.manage import run_manage

if __name__ == "__main__":
    settings = get_settings()
    if len(sys.argv) == 2 and sys.argv[1] in DASHBOARD_COMMANDS:
        sys.exit(run_dashboard_command(settings.DATABASE_URL.get_secret_value(), sys.argv[1]))
    sys.exit(
        run_manage(
            settings.DATABASE_URL.get_secret_value(), AuditRecord, anchor_path=settings.AUDIT_ANCHOR_PATH
        )
    )
