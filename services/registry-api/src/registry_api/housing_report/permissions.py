"""Who may take out the buyer and renter lists: province officers (who send them up and publish them)
and auditors, within their area. Commune officers and everyone else are refused (403)."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

ReportsRead = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER, Role.AUDITOR))]
