from servicekit.errors import Conflict, NotFound, Unprocessable


class DwellingNotFound(NotFound):
    code = "dwelling_not_found"
    title = "No such dwelling"


class DwellingAssessmentNotFound(NotFound):
    code = "dwelling_assessment_not_found"
    title = "No such dwelling assessment"


class DwellingRuleSetNotApplicable(Unprocessable):
    code = "dwelling_rule_set_not_applicable"
    title = "No stored dwelling rule set is valid on the assessment date"


class DwellingEnded(Conflict):
    code = "dwelling_ended"
    title = "The household no longer lives in this dwelling"


class DwellingDateInvalid(Unprocessable):
    code = "dwelling_date_invalid"
    title = "The date is in the future or before the dwelling's period"
