"""Who may work on the annual review (the caller's area is checked in SQL by the service).

Commune officers record their commune's results and submit them; province officers open campaigns
and approve or return a commune's record set; auditors read everything of their area. Every other
role is refused (403).
"""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import get_principal, require_roles

READ_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.AUDITOR)

ReviewsRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
ReviewsRecord = Annotated[Principal, Depends(require_roles(Role.COMMUNE_OFFICER))]
ReviewsDecide = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER))]
# The review rules are public law: every signed-in caller may read them.
RulesRead = Annotated[Principal, Depends(get_principal)]
