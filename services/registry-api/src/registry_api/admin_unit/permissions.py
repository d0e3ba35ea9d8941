"""Who may do what with administrative units and the officers' resolution queue.

Units and the old -> new mapping are reference data: every signed-in caller may read them. The queue
is area-bound: the service checks the caller's area on every item.
"""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import get_principal, require_roles

AdminUnitsRead = Annotated[Principal, Depends(get_principal)]

# Another service (or an officer) that meets a record recorded under a split unit queues it.
UnitResolutionsQueue = Annotated[
    Principal, Depends(require_roles(Role.SERVICE, Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER))
]
# The queuing service follows its items; auditors read.
UnitResolutionsRead = Annotated[
    Principal,
    Depends(require_roles(Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.AUDITOR, Role.SERVICE)),
]
UnitResolutionsResolve = Annotated[
    Principal, Depends(require_roles(Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER))
]
