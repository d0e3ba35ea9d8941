"""Who may read and decide profiteering flags, and ask for a run (areas are checked in SQL)."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

FlagsRead = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER, Role.INSPECTOR, Role.AUDITOR))]
FlagsDecide = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER, Role.INSPECTOR))]
RunsRequest = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER, Role.INSPECTOR))]
RunsRead = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER, Role.INSPECTOR, Role.AUDITOR))]
