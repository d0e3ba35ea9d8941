"""Who reads funding-api's partner API: partner clients granted `funding:statistics:read`, and the
province's administrators and auditors (who check what partners see). Figures are filtered by the
caller's `area_codes` (a partner's: the whole province) like any other caller's."""

from typing import Annotated

from fastapi import Depends

from funding_api.partner.errors import PartnerScopeMissing
from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

READ_ROLES = (Role.PARTNER, Role.ADMINISTRATOR, Role.AUDITOR)
STATISTICS_SCOPE = "funding:statistics:read"


async def statistics_reader(
    principal: Annotated[Principal, Depends(require_roles(*READ_ROLES))],
) -> Principal:
    if Role.PARTNER in principal.roles and STATISTICS_SCOPE not in principal.scopes:
        raise PartnerScopeMissing(f"This needs the scope {STATISTICS_SCOPE}.")
    return principal


StatisticsReader = Annotated[Principal, Depends(statistics_reader)]
