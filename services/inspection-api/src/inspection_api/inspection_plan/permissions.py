"""Yearly plans: written by province officers, read by whoever works on or audits the cases."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

PlansRead = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER, Role.INSPECTOR, Role.AUDITOR))]
PlansWrite = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER))]
