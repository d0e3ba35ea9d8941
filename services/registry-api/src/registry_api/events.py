"""The event types registry-api emits (`servicekit.outbox.emit`), and those partners may receive.

Configuration, not a legal rule: a partner-safe type carries no citizen ID, phone, person's name or
household-level data (ids of households, persons, applications, cases, their categories or reviews).
A new event type goes here too, or no one can subscribe to it (`tests/test_events.py` checks that
every type written in the code is listed).
"""

from servicekit.outbox import EventCatalogue

PARTNER_SAFE_EVENT_TYPES = frozenset(
    {
        # Social housing projects and their published milestones and sales.
        "housing_project.created",
        "housing_project.milestone_recorded",
        "housing_project.sale_published",
        # Published plans.
        "housing_target.created",
        # Allocation rounds: ids, unit counts, the draw's seed and how many won, never who.
        "allocation_round.opened",
        "allocation_round.drawn",
        # The yearly review's campaign (its year and window), not any household's review.
        "review_campaign.opened",
        "review_campaign.window_changed",
    }
)

EVENT_TYPES = PARTNER_SAFE_EVENT_TYPES | frozenset(
    {
        "person.created",
        "person.updated",
        "person.moved",
        "household.created",
        "household.updated",
        "household.head_changed",
        "household.closed",
        "household_import.queued",
        "household_import.finished",
        "beneficiary_category.created",
        "beneficiary_category.updated",
        "unit_resolution.resolved",
        "review_record.created",
        "review_record.updated",
        "review_record.corrected",
        "review_submission.submitted",
        "review_submission.approved",
        "review_submission.returned",
        "duplicate_candidate.merged",
        "duplicate_candidate.kept_separate",
        "application.created",
        "application.evidence_added",
        "application.submitted",
        "application.eligible",
        "application.ineligible",
        "application.allocated",
        "application.withdrawn",
        "housing_contract.signed",
        "housing_contract.fully_paid",
        "housing_contract.resold",
        "dwelling.created",
        "dwelling.updated",
        "dwelling.assessed",
        "support_case.proposed",
        "support_case.updated",
        "support_case.approved",
        "support_case.started",
        "support_case.completed",
        "support_case.accepted",
        "support_case.withdrawn",
    }
)

EVENT_CATALOGUE = EventCatalogue(types=EVENT_TYPES, partner_safe=PARTNER_SAFE_EVENT_TYPES)
