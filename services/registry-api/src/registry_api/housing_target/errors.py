from servicekit.errors import Conflict, NotFound, Unprocessable


class HousingTargetNotFound(NotFound):
    code = "housing_target_not_found"
    title = "No such housing target"


class HousingTargetExists(Conflict):
    code = "housing_target_exists"
    title = "A target with that code exists"


class TargetAlreadySuperseded(Conflict):
    code = "housing_target_already_superseded"
    title = "The target was already superseded by a newer version"


class SupersedeMismatch(Unprocessable):
    code = "housing_target_supersede_mismatch"
    title = "A new version must be for the same area, period and year"


class PeriodUnknown(Unprocessable):
    code = "period_invalid"
    title = "The period is not YYYY-YYYY with the end after the start"
