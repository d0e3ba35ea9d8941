from servicekit.errors import Forbidden, NotFound, Unprocessable


class AllocationNotFound(NotFound):
    code = "allocation_not_found"
    title = "No such funding line"


class AllocationAreaNotCovered(Forbidden):
    code = "area_not_covered"
    title = "The area is outside the ones you cover"


class FundingTargetUnknown(Unprocessable):
    code = "funding_target_unknown"
    title = "registry-api knows no such support case or housing project"


class SupportCaseWithdrawn(Unprocessable):
    code = "support_case_withdrawn"
    title = "The support case was withdrawn: nothing is allocated to it"


class TargetOutsideSourceProvince(Unprocessable):
    code = "target_outside_source_province"
    title = "The case or project lies in another province than the funding source"


class FundingLineQueryInvalid(Unprocessable):
    code = "funding_line_query_invalid"
    title = "Name exactly one of support_case_id and project_id"
