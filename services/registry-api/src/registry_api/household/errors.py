from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable


class HouseholdNotFound(NotFound):
    code = "household_not_found"
    title = "No such household"


class AreaNotCovered(Forbidden):
    code = "area_not_covered"
    title = "The area is outside the ones you cover"


class CommuneNotInProvince(Unprocessable):
    code = "commune_not_in_province"
    title = "The commune is not a current commune of that province"


class HouseholdClosed(Conflict):
    code = "household_closed"
    title = "The household is closed: its last member moved out"


class HouseholdHeadNeedsCitizenId(Unprocessable):
    code = "household_head_needs_citizen_id"
    title = "A household head needs a 12-digit citizen ID"


class NotAMember(Unprocessable):
    code = "not_a_household_member"
    title = "The person is not a current member of this household"


class AlreadyHead(Conflict):
    code = "already_household_head"
    title = "The person already heads this household"
