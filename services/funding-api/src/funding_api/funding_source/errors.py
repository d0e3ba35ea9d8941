from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable


class FundingSourceNotFound(NotFound):
    code = "funding_source_not_found"
    title = "No such funding source"


class FundingSourceNameTaken(Conflict):
    code = "funding_source_name_taken"
    title = "The province already has a funding source of this name"


class ProvinceNotCovered(Forbidden):
    code = "area_not_covered"
    title = "The area is outside the ones you cover"


class ContributorNotFound(NotFound):
    code = "funding_contributor_not_found"
    title = "No such contributor"


class ContributorNameTaken(Conflict):
    code = "funding_contributor_name_taken"
    title = "The province already has a contributor of this name"


class CommitmentNotFound(NotFound):
    code = "funding_commitment_not_found"
    title = "No such pledge or appropriation"


class CommitmentReferenceInvalid(Unprocessable):
    code = "funding_commitment_reference_invalid"
    title = "The source or contributor named is unknown, of another province, or does not fit the kind"
