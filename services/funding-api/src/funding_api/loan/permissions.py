"""Who may do what with the VBSP loan mirror.

The bank's client (bank_integration) only posts events and its reconciliation totals: it reads
neither the mirror nor the exception queue. Finance officers read and work the queue; auditors and
inspectors read; commune officers are refused everywhere.
"""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

BankPosts = Annotated[Principal, Depends(require_roles(Role.BANK_INTEGRATION))]
LoansRead = Annotated[Principal, Depends(require_roles(Role.FINANCE_OFFICER, Role.AUDITOR, Role.INSPECTOR))]
LoanExceptionsRead = Annotated[
    Principal,
    Depends(require_roles(Role.FINANCE_OFFICER, Role.AUDITOR, Role.INSPECTOR, Role.SERVICE)),
]
LoanExceptionsWork = Annotated[Principal, Depends(require_roles(Role.FINANCE_OFFICER))]
LoanReportsRead = Annotated[
    Principal, Depends(require_roles(Role.FINANCE_OFFICER, Role.AUDITOR, Role.PROVINCE_OFFICER))
]
LoanReferenceRead = Annotated[
    Principal,
    Depends(require_roles(Role.FINANCE_OFFICER, Role.AUDITOR, Role.PROVINCE_OFFICER, Role.BANK_INTEGRATION)),
]
