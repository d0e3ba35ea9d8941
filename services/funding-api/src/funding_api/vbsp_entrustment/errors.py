from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable


class EntrustmentContractNotFound(NotFound):
    code = "entrustment_contract_not_found"
    title = "No such entrustment contract"


class ContractNumberTaken(Conflict):
    code = "entrustment_contract_number_taken"
    title = "The province already has an entrustment contract with this number"


class TransferDecisionTaken(Conflict):
    code = "entrustment_transfer_decision_taken"
    title = "This contract already has a transfer under this decision"


class EntrustedAmountExceeded(Conflict):
    code = "entrusted_amount_exceeded"
    title = "The transfers would exceed the amount the contract entrusts"


class UtilisationPeriodReported(Conflict):
    code = "utilisation_period_already_reported"
    title = "The bank has already reported this period for this contract"


class EntrustmentInvalid(Unprocessable):
    code = "entrustment_invalid"
    title = "The entrustment data is not consistent"


class ProvinceNotCovered(Forbidden):
    code = "area_not_covered"
    title = "The area is outside the ones you cover"
