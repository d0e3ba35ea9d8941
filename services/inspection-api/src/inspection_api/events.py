"""The event types inspection-api emits (`servicekit.outbox.emit`), and those partners may receive.

Configuration, not a legal rule: a partner-safe type carries no citizen ID, phone, person's name or
household-level data. Parcels, inspections, findings, sanctions and profiteering flags may concern
one household or person: they stay internal. A new event type goes here too, or no one can subscribe
to it (`tests/test_events.py` checks that every type written in the code is listed).
"""

from servicekit.outbox import EventCatalogue

PARTNER_SAFE_EVENT_TYPES = frozenset(
    {
        # Land-use plans and the land they designate for social housing.
        "land_use_plan.recorded",
        "land_use_plan.updated",
        "land_use_plan.parcel_designated",
        # Commercial projects and the status of their 20% obligations.
        "commercial_project.recorded",
        "commercial_project.updated",
        "land_reserve_obligation.created",
        "land_reserve_obligation.infrastructure_built",
        "land_reserve_obligation.cleared",
        "land_reserve_obligation.investor_assigned",
        "land_reserve_obligation.started",
        "land_reserve_obligation.paid",
        "land_reserve_obligation.deadlines_changed",
    }
)

EVENT_TYPES = PARTNER_SAFE_EVENT_TYPES | frozenset(
    {
        "parcel.recorded",
        "parcel.updated",
        "inspection_plan.created",
        "inspection_plan.item_added",
        "checklist_template.version_added",
        "inspection_case.opened",
        "inspection_case.assigned",
        "inspection_case.started",
        "inspection_case.concluded",
        "inspection_case.recheck_scheduled",
        "inspection_case.closed",
        "finding.recorded",
        "finding.updated",
        "evidence.uploaded",
        "violation.recorded",
        "sanction.decided",
        "profiteering_flag.raised",
        "profiteering_flag.confirmed",
        "profiteering_flag.dismissed",
        "profiteering_run.succeeded",
        "profiteering_run.delayed",
        "sync_conflict.raised",
        "sync_conflict.resolved",
    }
)

EVENT_CATALOGUE = EventCatalogue(types=EVENT_TYPES, partner_safe=PARTNER_SAFE_EVENT_TYPES)
