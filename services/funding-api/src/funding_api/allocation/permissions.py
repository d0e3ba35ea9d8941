"""Who may read funding lines (area-filtered) and who allocates and disburses (finance officers only)."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

READ_ROLES = (Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.FINANCE_OFFICER, Role.AUDITOR, Role.SERVICE)

AllocationsRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
AllocationsWrite = Annotated[Principal, Depends(require_roles(Role.FINANCE_OFFICER))]
