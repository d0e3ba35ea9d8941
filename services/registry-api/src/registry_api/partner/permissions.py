"""Who reads the partner API: partner clients holding the scope each operation names, and the province's
administrators and auditors (who check what partners see). No other role: officers read the full API.

Scopes (granted per partner client by an administrator, carried in the token's `scope`):
`registry:projects:read` (projects and the published buyer and renter lists), `registry:targets:read`
(targets and progress), `registry:statistics:read` (aggregated statistics). A partner's `area_codes`
(the whole province) filter every answer like any other caller's.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends

from registry_api.partner.errors import PartnerScopeMissing
from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

READ_ROLES = (Role.PARTNER, Role.ADMINISTRATOR, Role.AUDITOR)
PROJECTS_SCOPE = "registry:projects:read"
TARGETS_SCOPE = "registry:targets:read"
STATISTICS_SCOPE = "registry:statistics:read"

PartnerRole = Annotated[Principal, Depends(require_roles(*READ_ROLES))]


def partner_reader(scope: str) -> Callable[..., Any]:
    """A reader of the partner API; a partner must also hold `scope`."""

    async def dependency(principal: PartnerRole) -> Principal:
        if Role.PARTNER in principal.roles and scope not in principal.scopes:
            raise PartnerScopeMissing(f"This needs the scope {scope}.")
        return principal

    dependency.__name__ = "partner_reader_" + scope.replace(":", "_")
    return dependency


ProjectsReader = Annotated[Principal, Depends(partner_reader(PROJECTS_SCOPE))]
TargetsReader = Annotated[Principal, Depends(partner_reader(TARGETS_SCOPE))]
StatisticsReader = Annotated[Principal, Depends(partner_reader(STATISTICS_SCOPE))]
