"""Who may read and write VBSP entrustments (the caller's province is checked by the service).

The finance department records contracts and transfers; province officers and auditors read. The
bank's integration client (`bank_integration`) submits its utilisation reports, with an
`Idempotency-Key`; a finance officer may also key in a report received on paper. Commune officers,
partners and inspectors have no business here.
"""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

READ_ROLES = (Role.FINANCE_OFFICER, Role.PROVINCE_OFFICER, Role.AUDITOR)
WRITE_ROLES = (Role.FINANCE_OFFICER,)
REPORT_ROLES = (Role.FINANCE_OFFICER, Role.BANK_INTEGRATION)

EntrustmentsRead = Annotated[Principal, Depends(require_roles(*READ_ROLES))]
EntrustmentsWrite = Annotated[Principal, Depends(require_roles(*WRITE_ROLES))]
UtilisationReportsWrite = Annotated[Principal, Depends(require_roles(*REPORT_ROLES))]
