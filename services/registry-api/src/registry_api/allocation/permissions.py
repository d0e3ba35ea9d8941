"""The province officer runs allocation rounds; commune officers and auditors read them within their
area (a round's area is its project's). Everyone else is refused."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import get_principal, require_roles

AllocationRead = Annotated[
    Principal, Depends(require_roles(Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.AUDITOR))
]
AllocationWrite = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER))]
# The priority order is public law: every signed-in caller may read it.
RulesRead = Annotated[Principal, Depends(get_principal)]
