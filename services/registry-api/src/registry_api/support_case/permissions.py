"""Who may read and change support cases (the caller's area is checked in SQL by the service).

Commune officers propose cases and carry them through for their commune; the province approves
(approval is the province's decision) and may do every step; inspectors and auditors read.
"""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import get_principal, require_roles

READ_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.INSPECTOR, Role.AUDITOR)
WRITE_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER)
APPROVE_ROLES = (Role.PROVINCE_OFFICER,)

SupportCasesRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
# funding-api checks the case an allocation names (and its demo job lists them) with its own token;
# photos and support histories stay with the officers.
SupportCasesReadOrService = Annotated[Principal, Depends(require_roles(*READ_ROLES, Role.SERVICE))]
SupportCasesWrite = Annotated[Principal, Depends(require_roles(*WRITE_ROLES))]
SupportCasesApprove = Annotated[Principal, Depends(require_roles(*APPROVE_ROLES))]
# Support amounts are public law: every signed-in caller may read them.
SupportRatesRead = Annotated[Principal, Depends(get_principal)]
