from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

CapitalReportRead = Annotated[
    Principal, Depends(require_roles(Role.FINANCE_OFFICER, Role.PROVINCE_OFFICER, Role.AUDITOR))
]
