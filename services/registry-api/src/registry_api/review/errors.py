from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable


class CampaignNotFound(NotFound):
    code = "review_campaign_not_found"
    title = "No such review campaign"


class RecordNotFound(NotFound):
    code = "review_record_not_found"
    title = "No such review record"


class SubmissionNotFound(NotFound):
    code = "review_submission_not_found"
    title = "The commune has no record set in this campaign"


class CampaignExists(Conflict):
    code = "review_campaign_exists"
    title = "The province already has a review campaign for that year"


class ReviewRuleNotApplicable(Unprocessable):
    code = "review_rule_not_applicable"
    title = "No stored review rule is valid for that year"


class WindowInvalid(Unprocessable):
    code = "review_window_invalid"
    title = "The window closes before it opens or lies outside the campaign's year"


class WindowClosed(Conflict):
    code = "review_window_closed"
    title = "Results are recorded only during the campaign's window"


class AgreementBelowThreshold(Unprocessable):
    code = "meeting_agreement_below_threshold"
    title = "The village meeting's agreement share is below the threshold: score the household again"


class TransitionNotAllowed(Conflict):
    code = "review_transition_not_allowed"
    title = "The action is not allowed in the current state"


class RecordLocked(Conflict):
    code = "review_record_locked"
    title = "The record is not editable in its state (approved records change only by correction)"


class NothingToSubmit(Conflict):
    code = "review_nothing_to_submit"
    title = "The commune has no draft or returned records to submit"


class AreaNotCovered(Forbidden):
    code = "area_not_covered"
    title = "The area is outside the ones you cover"


class StatusChangeInvalid(Unprocessable):
    code = "review_status_change_invalid"
    title = "The statuses before and after do not fit the kind of record"


class RecordExists(Conflict):
    code = "review_record_exists"
    title = "The household already has a record in this campaign (correct it instead)"


class SetSubmitted(Conflict):
    code = "review_set_submitted"
    title = "The commune's record set awaits the province's decision"


class HouseholdNotInProvince(Unprocessable):
    code = "household_not_in_campaign_province"
    title = "The household lies outside the campaign's province"
