"""Duplicate persons: the officers who keep the person records run detections and decide pairs;
auditors read the queue and the decisions. The caller's area is checked in SQL by the service."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

READ_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.AUDITOR)
WRITE_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER)

DuplicatesRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
DuplicatesWrite = Annotated[Principal, Depends(require_roles(*WRITE_ROLES))]
