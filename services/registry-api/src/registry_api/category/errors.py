from servicekit.errors import Conflict, NotFound, Unprocessable


class CategoryNotFound(NotFound):
    code = "beneficiary_category_not_found"
    title = "No such beneficiary category"


class PovertyStandardNotApplicable(Unprocessable):
    code = "poverty_standard_not_applicable"
    title = "No stored poverty standard applies to that year"


class PovertyStatusExists(Conflict):
    code = "poverty_status_exists"
    title = "The household already has a poor or near-poor status for that year"


class CategoryPersonNotMember(Unprocessable):
    code = "person_not_in_household"
    title = "The person is not a current member of this household"


class ValidityInvalid(Unprocessable):
    code = "validity_invalid"
    title = "valid_to is before valid_from"
