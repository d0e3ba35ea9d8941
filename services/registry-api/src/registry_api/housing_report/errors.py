from servicekit.errors import Unprocessable


class ReportPeriodInvalid(Unprocessable):
    code = "report_period_invalid"
    title = "The report period is not a quarter or year the registry can report on"
