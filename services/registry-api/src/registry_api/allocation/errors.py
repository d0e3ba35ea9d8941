from servicekit.errors import Conflict, NotFound, Unprocessable


class AllocationRoundNotFound(NotFound):
    code = "allocation_round_not_found"
    title = "No such allocation round"


class AllocationRoundOpenExists(Conflict):
    code = "allocation_round_open_exists"
    title = "The project already has an open round for this tenure"


class AllocationRoundAlreadyDrawn(Conflict):
    code = "allocation_round_already_drawn"
    title = "The round has been drawn already"


class NoEligibleApplications(Conflict):
    code = "allocation_no_eligible_applications"
    title = "The project has no eligible application for this tenure"


class AllocationRuleMissing(Unprocessable):
    code = "allocation_rule_missing"
    title = "No priority order rule is stored for that date"


class DrawDateInvalid(Unprocessable):
    code = "draw_date_invalid"
    title = "The draw date is in the future"


class ContractNotFound(NotFound):
    code = "housing_contract_not_found"
    title = "No such housing contract"


class ApplicationNotAllocated(Conflict):
    code = "application_not_allocated"
    title = "Contracts are signed only for allocated applications"


class ContractExists(Conflict):
    code = "housing_contract_exists"
    title = "The application already has a contract, or the project already uses that contract number"


class ContractInvalid(Unprocessable):
    code = "housing_contract_invalid"
    title = "The contract does not match the application or its dates are wrong"


class ContractNotResellable(Conflict):
    code = "contract_not_resellable"
    title = "Rent contracts are not resold, and a unit is resold once"


class ResaleWithinLock(Conflict):
    code = "resale_within_lock"
    title = "The unit is within its resale lock: only the allowed buyers, at no more than the contract price"


class ResaleInvalid(Unprocessable):
    code = "resale_invalid"
    title = "The resale's buyer, price or date is invalid"


class ResaleRuleMissing(Unprocessable):
    code = "resale_rule_missing"
    title = "No resale lock rule is stored for that date"
