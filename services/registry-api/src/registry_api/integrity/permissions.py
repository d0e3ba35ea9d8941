"""Who reads the integrity signals: inspection-api (service), inspectors, province officers and
auditors, within their area. Commune officers and everyone else are refused (403)."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

SignalsRead = Annotated[
    Principal,
    Depends(require_roles(Role.SERVICE, Role.INSPECTOR, Role.PROVINCE_OFFICER, Role.AUDITOR)),
]
