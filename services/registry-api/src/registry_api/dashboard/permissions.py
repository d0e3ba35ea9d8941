"""Dashboards count what their readers may read row by row: officers, inspectors and auditors, each
within their area."""

from typing import Annotated

from fastapi import Depends

from registry_api.support_case.permissions import READ_ROLES
from servicekit.principal import Principal
from servicekit.web.auth import require_roles

DashboardRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
