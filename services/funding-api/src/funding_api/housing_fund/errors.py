from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable


class MovementNotFound(NotFound):
    code = "housing_fund_movement_not_found"
    title = "No such housing fund movement"


class InsufficientBalance(Conflict):
    code = "housing_fund_balance_insufficient"
    title = "The housing fund's balance would fall below zero"


class MovementAlreadyReversed(Conflict):
    code = "housing_fund_movement_already_reversed"
    title = "This movement has already been reversed"


class ReversalNotReversible(Conflict):
    code = "housing_fund_reversal_not_reversible"
    title = "A reversing movement cannot itself be reversed; record a new movement instead"


class MovementInvalid(Unprocessable):
    code = "housing_fund_movement_invalid"
    title = "The movement is not consistent"


class ProvinceNotCovered(Forbidden):
    code = "area_not_covered"
    title = "The area is outside the ones you cover"
