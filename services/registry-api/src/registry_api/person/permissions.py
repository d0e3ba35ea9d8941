"""Who may read, write and unmask persons (the caller's area is checked in SQL by the service).

Everyone who reads households reads their members, with identifiers masked. Only the officers who
keep the records may unmask a number, and every unmasking is audited with its purpose; auditors and
inspectors work with masked numbers, and match numbers through the lookup (blind index) instead.
"""

from typing import Annotated

from fastapi import Depends

from registry_api.household.permissions import READ_ROLES, WRITE_ROLES
from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

REVEAL_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER)

PersonsRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
PersonsWrite = Annotated[Principal, Depends(require_roles(*WRITE_ROLES))]
IdentifiersReveal = Annotated[Principal, Depends(require_roles(*REVEAL_ROLES))]
