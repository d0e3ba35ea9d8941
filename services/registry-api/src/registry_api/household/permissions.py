"""Who may read and write households (the caller's area is checked in SQL by the service).

Officers of a commune or the province record and change households; auditors read them to check the
records, inspectors to check support against profiteering. Finance officers, partners, banks and
administrators have no business with households.
"""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

READ_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.AUDITOR, Role.INSPECTOR)
WRITE_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER)

HouseholdsRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
HouseholdsWrite = Annotated[Principal, Depends(require_roles(*WRITE_ROLES))]
