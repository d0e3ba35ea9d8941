"""Who may read and work on cases. The area, and for inspectors the assignment, are checked by the
service: an inspector works only the cases assigned to them."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

CasesRead = Annotated[
    Principal,
    Depends(require_roles(Role.PROVINCE_OFFICER, Role.INSPECTOR, Role.AUDITOR, Role.COMMUNE_OFFICER)),
]
# Opening cases and assigning them: the province's planning officers.
CasesPlan = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER))]
# Field work (start, findings, photos, violations, conclusion): the assigned inspector.
CasesWork = Annotated[Principal, Depends(require_roles(Role.INSPECTOR))]
# Sanctions, re-checks and closure: a province officer or the assigned inspector.
CasesDecide = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER, Role.INSPECTOR))]
ViolationTypesRead = CasesRead
