"""The event types funding-api emits (`servicekit.outbox.emit`), and those partners may receive.

Configuration, not a legal rule: a partner-safe type carries no citizen ID, phone, person's name or
household-level data. Funding lines (`allocation.created`, `disbursement.recorded`, and reversals of
their entries) may name one support case, i.e. one household, with its amount: they stay internal.
A new event type goes here too, or no one can subscribe to it (`tests/test_events.py` checks that
every type written in the code is listed).
"""

from servicekit.outbox import EventCatalogue

PARTNER_SAFE_EVENT_TYPES = frozenset(
    {
        # Money promised to and received by funding sources (enterprises, organisations, budgets).
        "funding_commitment.recorded",
        "funding_receipt.recorded",
        # The province's housing fund: movements by category and amount.
        "housing_fund.movement_recorded",
        "housing_fund.movement_reversed",
        # Capital entrusted to VBSP, its transfers and the bank's aggregate utilisation reports.
        "vbsp_entrustment.contract_recorded",
        "vbsp_entrustment.contract_amended",
        "vbsp_entrustment.transfer_recorded",
        "vbsp_entrustment.utilisation_reported",
    }
)

EVENT_TYPES = PARTNER_SAFE_EVENT_TYPES | frozenset(
    {
        "allocation.created",
        "disbursement.recorded",
        "journal_entry.reversed",
        "funding_contributor.created",
        "housing_fund.reference_verified",
        "housing_fund.reference_not_found",
        "loan.event_applied",
        "loan.eligibility_recorded",
        "loan_exception.raised",
        "loan_exception.resolved",
        "loan_exception.dismissed",
        "loan_reconciliation.posted",
    }
)

EVENT_CATALOGUE = EventCatalogue(types=EVENT_TYPES, partner_safe=PARTNER_SAFE_EVENT_TYPES)
