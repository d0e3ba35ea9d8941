"""Who may read and write the province's housing fund (the province is checked by the service).

The finance department records movements; province officers and auditors read. Commune officers,
banks and partners have no business here.
"""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

READ_ROLES = (Role.FINANCE_OFFICER, Role.PROVINCE_OFFICER, Role.AUDITOR)
WRITE_ROLES = (Role.FINANCE_OFFICER,)

HousingFundRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
HousingFundWrite = Annotated[Principal, Depends(require_roles(*WRITE_ROLES))]
