"""Who may read the ledger and book money into it (the caller's provinces are checked by the service).

Bank clients (`bank_integration`) and partners never read the ledger; only finance officers book.
"""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

LedgerRead = Annotated[
    Principal, Depends(require_roles(Role.FINANCE_OFFICER, Role.PROVINCE_OFFICER, Role.AUDITOR))
]
LedgerWrite = Annotated[Principal, Depends(require_roles(Role.FINANCE_OFFICER))]
