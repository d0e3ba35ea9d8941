"""Who may read and record parcels (the caller's area is checked by the service)."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

ParcelsRead = Annotated[
    Principal,
    Depends(require_roles(Role.PROVINCE_OFFICER, Role.INSPECTOR, Role.COMMUNE_OFFICER, Role.AUDITOR)),
]
ParcelsWrite = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER, Role.INSPECTOR))]
