"""Beneficiary categories follow their household: the same readers and writers."""

from typing import Annotated

from fastapi import Depends

from registry_api.household.permissions import READ_ROLES, WRITE_ROLES
from servicekit.principal import Principal
from servicekit.web.auth import get_principal, require_roles

CategoriesRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
CategoriesWrite = Annotated[Principal, Depends(require_roles(*WRITE_ROLES))]
# Poverty standards are public law: every signed-in caller may read them.
StandardsRead = Annotated[Principal, Depends(get_principal)]
