from servicekit.errors import Conflict, Forbidden, NotFound


class FundingSourceNotFound(NotFound):
    code = "funding_source_not_found"
    title = "No such funding source"


class FundingSourceNameTaken(Conflict):
    code = "funding_source_name_taken"
    title = "The province already has a funding source of this name"


class ProvinceNotCovered(Forbidden):
    code = "area_not_covered"
    title = "The area is outside the ones you cover"
