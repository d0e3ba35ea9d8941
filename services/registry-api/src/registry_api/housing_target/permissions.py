"""Targets are published plans: every role that reads projects reads them (not area-filtered); the
province officers of the responsible province record new versions."""

from typing import Annotated

from fastapi import Depends

from registry_api.housing_project.permissions import READ_ROLES, WRITE_ROLES
from servicekit.principal import Principal
from servicekit.web.auth import require_roles

TargetsRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
TargetsWrite = Annotated[Principal, Depends(require_roles(*WRITE_ROLES))]
