"""Who may read and write land-use plans (the caller's area is checked by the service)."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

LandUsePlansRead = Annotated[
    Principal,
    Depends(require_roles(Role.PROVINCE_OFFICER, Role.INSPECTOR, Role.COMMUNE_OFFICER, Role.AUDITOR)),
]
LandUsePlansWrite = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER, Role.INSPECTOR))]
