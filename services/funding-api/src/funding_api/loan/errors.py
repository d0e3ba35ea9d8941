from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable


class LoanNotFound(NotFound):
    code = "loan_not_found"
    title = "No such loan"


class LoanExceptionNotFound(NotFound):
    code = "loan_exception_not_found"
    title = "No such loan exception"


class LoanReconciliationNotFound(NotFound):
    code = "loan_reconciliation_not_found"
    title = "No such loan reconciliation"


class LoanAreaNotCovered(Forbidden):
    code = "area_not_covered"
    title = "The area is outside the ones you cover"


class LoanReferenceConflict(Conflict):
    code = "loan_reference_conflict"
    title = "The bank's loan reference is already recorded for another borrower or province"


class LoanExceptionClosed(Conflict):
    code = "loan_exception_closed"
    title = "The exception is already resolved or dismissed"


class LendingPlanMissing(Unprocessable):
    code = "lending_plan_missing"
    title = "No lending plan is recorded for this province and year"
