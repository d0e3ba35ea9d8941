"""Who may read and write social housing projects (the caller's area is checked in SQL by the service).

The province's Department of Construction (province officers) records projects and their milestones;
commune officers read the projects of their commune; auditors, inspectors and finance officers read
within their area. Partners, banks and administrators have no business here.
"""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

READ_ROLES = (
    Role.PROVINCE_OFFICER,
    Role.COMMUNE_OFFICER,
    Role.AUDITOR,
    Role.INSPECTOR,
    Role.FINANCE_OFFICER,
    Role.SERVICE,  # funding-api checks the project an allocation names, with its own token
)
WRITE_ROLES = (Role.PROVINCE_OFFICER,)

ProjectsRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
ProjectsWrite = Annotated[Principal, Depends(require_roles(*WRITE_ROLES))]
