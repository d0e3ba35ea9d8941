from servicekit.errors import Conflict, NotFound, Unprocessable


class HousingProjectNotFound(NotFound):
    code = "housing_project_not_found"
    title = "No such social housing project"


class MilestoneOutOfOrder(Conflict):
    code = "milestone_out_of_order"
    title = "The milestone before this one has not been recorded"


class MilestoneAlreadyRecorded(Conflict):
    code = "milestone_already_recorded"
    title = "This milestone is already recorded"


class MilestoneDateBackwards(Unprocessable):
    code = "milestone_date_backwards"
    title = "A milestone cannot be dated before the one it follows"


class SaleBeforeStart(Conflict):
    code = "sale_publication_before_start"
    title = "Sale information is published once construction has started"


class SaleDatesInvalid(Unprocessable):
    code = "sale_dates_invalid"
    title = "The sale dates are out of order"
