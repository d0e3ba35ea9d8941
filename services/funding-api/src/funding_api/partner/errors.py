from servicekit.errors import Forbidden, Unprocessable


class PartnerScopeMissing(Forbidden):
    code = "scope_missing"
    title = "Your client was not granted the scope this needs"


class StatisticsPeriodInvalid(Unprocessable):
    code = "statistics_period_invalid"
    title = "The period is not a started year or quarter"
