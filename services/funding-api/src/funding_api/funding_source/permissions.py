"""Who may read and write funding sources (the caller's area is checked by the service)."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

FundingSourcesRead = Annotated[
    Principal, Depends(require_roles(Role.FINANCE_OFFICER, Role.PROVINCE_OFFICER, Role.AUDITOR))
]
FundingSourcesWrite = Annotated[
    Principal, Depends(require_roles(Role.FINANCE_OFFICER, Role.PROVINCE_OFFICER))
]
