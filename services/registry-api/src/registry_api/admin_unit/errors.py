from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable


class AdminUnitNotFound(NotFound):
    code = "admin_unit_not_found"
    title = "No such administrative unit"


class UnitSplitNeedsOfficer(Conflict):
    """The old unit was split among several new ones: `errors` lists them (code `split_candidate`, the
    message starting with the candidate's code). The record goes to an officer's queue."""

    code = "unit_split_needs_officer"
    title = "The old unit was split; an officer must choose the new unit"


class UnitHasNoSuccessor(Unprocessable):
    code = "unit_has_no_successor"
    title = "The old unit did not pass to new units as a whole"


class LegacyUnitUnknown(Unprocessable):
    code = "legacy_unit_unknown"
    title = "No legacy commune has this code"


class UnitNotSplit(Unprocessable):
    code = "unit_not_split"
    title = "The old unit went whole to one new unit; resolve it without an officer"


class UnitResolutionNotFound(NotFound):
    code = "unit_resolution_not_found"
    title = "No such unit resolution"


class UnitResolutionExists(Conflict):
    code = "unit_resolution_exists"
    title = "This record is already queued for resolution"


class UnitResolutionAlreadyResolved(Conflict):
    code = "unit_resolution_already_resolved"
    title = "This record was already resolved"


class NotACandidate(Unprocessable):
    code = "not_a_candidate"
    title = "The commune is not one of the units the old unit was split among"


class AreaNotCovered(Forbidden):
    code = "area_not_covered"
    title = "The area is outside the ones you cover"
