"""Who may read and record commercial projects and their land-reserve obligations."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

ProjectsRead = Annotated[
    Principal,
    Depends(require_roles(Role.PROVINCE_OFFICER, Role.INSPECTOR, Role.COMMUNE_OFFICER, Role.AUDITOR)),
]
# The province decides the method and tracks the stages (DoC officers hold the province_officer role).
ProjectsWrite = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER))]
# funding-api (service) and finance officers verify references to an obligation (housing fund).
ObligationsRead = Annotated[
    Principal,
    Depends(
        require_roles(
            Role.PROVINCE_OFFICER,
            Role.INSPECTOR,
            Role.COMMUNE_OFFICER,
            Role.AUDITOR,
            Role.FINANCE_OFFICER,
            Role.SERVICE,
        )
    ),
]
