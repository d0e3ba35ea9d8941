"""Checklist templates are reference data for the whole platform: province officers write them."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

TemplatesRead = Annotated[
    Principal,
    Depends(require_roles(Role.PROVINCE_OFFICER, Role.INSPECTOR, Role.AUDITOR, Role.COMMUNE_OFFICER)),
]
TemplatesWrite = Annotated[Principal, Depends(require_roles(Role.PROVINCE_OFFICER))]
