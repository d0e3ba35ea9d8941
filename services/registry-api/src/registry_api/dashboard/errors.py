from servicekit.errors import Unprocessable


class PeriodInvalid(Unprocessable):
    code = "period_invalid"
    title = "The period ends before it starts"


class PeriodTooLong(Unprocessable):
    code = "period_too_long"
    title = "The period holds too many intervals"
