"""Dwellings follow their household: the same readers and writers (area checked in SQL)."""

from typing import Annotated

from fastapi import Depends

from registry_api.household.permissions import READ_ROLES, WRITE_ROLES
from servicekit.principal import Principal
from servicekit.web.auth import get_principal, require_roles

DwellingsRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
DwellingsWrite = Annotated[Principal, Depends(require_roles(*WRITE_ROLES))]
# The rule sets are public law: every signed-in caller may read them.
RuleSetsRead = Annotated[Principal, Depends(get_principal)]
