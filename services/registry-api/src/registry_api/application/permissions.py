"""Officers of a commune or the province record and decide applications; auditors and inspectors read
them (inspectors check profiteering). Banks and funding-api get only eligibility confirmations."""

from typing import Annotated

from fastapi import Depends

from registry_api.household.permissions import READ_ROLES, WRITE_ROLES
from servicekit.principal import Principal, Role
from servicekit.web.auth import get_principal, require_roles

ApplicationsRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
ApplicationsWrite = Annotated[Principal, Depends(require_roles(*WRITE_ROLES))]
ConfirmationsCreate = Annotated[Principal, Depends(require_roles(Role.SERVICE, Role.BANK_INTEGRATION))]
# Groups and rules are public law: every signed-in caller may read them.
ReferenceRead = Annotated[Principal, Depends(get_principal)]
