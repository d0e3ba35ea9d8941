from servicekit.errors import Forbidden, NotFound, Unprocessable


class LandUsePlanNotFound(NotFound):
    code = "land_use_plan_not_found"
    title = "No such land-use plan"


class AreaNotCovered(Forbidden):
    code = "area_not_covered"
    title = "The area is outside the ones you cover"


class LandUsePlanDecisionMissing(Unprocessable):
    code = "land_use_plan_decision_missing"
    title = "An approved or superseded plan needs its decision number and date"


class CommuneNotInProvince(Unprocessable):
    code = "commune_not_in_province"
    title = "The commune is not a current commune of that province"
