from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable


class LedgerEntryNotFound(NotFound):
    code = "journal_entry_not_found"
    title = "No such journal entry"


class LedgerAccountNotFound(NotFound):
    code = "ledger_account_not_found"
    title = "No such ledger account"


class AreaNotCovered(Forbidden):
    code = "area_not_covered"
    title = "The area is outside the ones you cover"


class AmountExceedsAvailable(Unprocessable):
    code = "amount_exceeds_available"
    title = "The source does not have that much left to allocate"


class AmountExceedsAllocation(Unprocessable):
    code = "amount_exceeds_allocation"
    title = "The funding line does not have that much left to disburse"


class ReversalWouldOverdraw(Unprocessable):
    code = "reversal_would_overdraw"
    title = "Reversing this entry would take an account below zero (reverse what depends on it first)"


class EntryIsReversal(Unprocessable):
    code = "entry_is_reversal"
    title = "A reversal is not reversed: record the entry again instead"


class EntryAlreadyReversed(Conflict):
    code = "entry_already_reversed"
    title = "This entry has already been reversed"


class SourceInactive(Unprocessable):
    code = "funding_source_inactive"
    title = "The funding source is inactive"


class CommitmentNotOfSource(Unprocessable):
    code = "commitment_not_of_source"
    title = "The commitment belongs to another funding source"


class FundingSourceMissing(Unprocessable):
    code = "funding_source_unknown"
    title = "No such funding source"
