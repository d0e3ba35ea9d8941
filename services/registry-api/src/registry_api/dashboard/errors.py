from servicekit.errors import Unprocessable


class PeriodInvalid(Unprocessable):
    code = "period_invalid"
    title = "The period ends before it starts"
