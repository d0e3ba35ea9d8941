"""Every ORM model of funding-api (Alembic sees one metadata)."""

from funding_api.models.allocation import AllocationTarget, FundingAllocation
from funding_api.models.base import FundingBase
from funding_api.models.funding_commitment import (
    CommitmentKind,
    ContributorKind,
    FundingCommitment,
    FundingContributor,
)
from funding_api.models.funding_source import FundingSource, FundingSourceKind
from funding_api.models.housing_fund import (
    HousingFundMovement,
    InflowKind,
    MovementDirection,
    OutflowPurpose,
    ReferenceStatus,
)
from funding_api.models.ledger import (
    CREDIT_NORMAL_KINDS,
    JournalEntry,
    JournalEntryKind,
    JournalLine,
    LedgerAccount,
    LedgerAccountKind,
    Side,
)
from funding_api.models.loan import (
    CapBasis,
    EligibilityStatus,
    LendingPlan,
    Loan,
    LoanCap,
    LoanEvent,
    LoanEventType,
    LoanException,
    LoanExceptionReason,
    LoanExceptionStatus,
    LoanPurpose,
    LoanRate,
    LoanReconciliation,
    LoanStatus,
)
from funding_api.models.platform import AuditRecord, IdempotencyRecord, Job, OutboxEvent
from funding_api.models.vbsp_entrustment import (
    EntrustmentContract,
    EntrustmentTransfer,
    EntrustmentUtilisationReport,
)

__all__ = [
    "CREDIT_NORMAL_KINDS",
    "AllocationTarget",
    "AuditRecord",
    "CapBasis",
    "CommitmentKind",
    "ContributorKind",
    "EligibilityStatus",
    "EntrustmentContract",
    "EntrustmentTransfer",
    "EntrustmentUtilisationReport",
    "FundingAllocation",
    "FundingBase",
    "FundingCommitment",
    "FundingContributor",
    "FundingSource",
    "FundingSourceKind",
    "HousingFundMovement",
    "IdempotencyRecord",
    "InflowKind",
    "Job",
    "JournalEntry",
    "JournalEntryKind",
    "JournalLine",
    "LedgerAccount",
    "LedgerAccountKind",
    "LendingPlan",
    "Loan",
    "LoanCap",
    "LoanEvent",
    "LoanEventType",
    "LoanException",
    "LoanExceptionReason",
    "LoanExceptionStatus",
    "LoanPurpose",
    "LoanRate",
    "LoanReconciliation",
    "LoanStatus",
    "MovementDirection",
    "OutboxEvent",
    "OutflowPurpose",
    "ReferenceStatus",
    "Side",
]
