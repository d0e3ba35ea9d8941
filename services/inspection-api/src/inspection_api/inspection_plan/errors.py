from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable


class PlanNotFound(NotFound):
    code = "inspection_plan_not_found"
    title = "No such inspection plan"


class PlanExists(Conflict):
    code = "inspection_plan_exists"
    title = "The province already has a plan of this kind for that year"


class ProvinceNotCovered(Forbidden):
    code = "area_not_covered"
    title = "The area is outside the ones you cover"


class CommuneNotInProvince(Unprocessable):
    code = "commune_not_in_province"
    title = "The commune is not a current commune of that province"
