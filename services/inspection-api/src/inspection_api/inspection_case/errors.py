from servicekit.errors import Conflict, Forbidden, NotFound, Unprocessable, UpstreamUnavailable


class CaseNotFound(NotFound):
    code = "inspection_case_not_found"
    title = "No such inspection case"


class AreaNotCovered(Forbidden):
    code = "area_not_covered"
    title = "The area is outside the ones you cover"


class CaseNotAssignedToYou(Forbidden):
    code = "case_not_assigned_to_you"
    title = "Only the inspector assigned to the case may do this"


class CaseTransitionNotAllowed(Conflict):
    code = "case_transition_not_allowed"
    title = "The case cannot take this step from its current state"


class CaseClosed(Conflict):
    code = "case_closed"
    title = "The case is closed: it is read-only"


class CaseNotInProgress(Conflict):
    code = "case_not_in_progress"
    title = "Findings, photos and violations are recorded only while the case is in progress"


class ViolationsUnsanctioned(Conflict):
    code = "violations_unsanctioned"
    title = "Every violation of the case needs a sanction decision before it closes"


class RecheckOpen(Conflict):
    code = "recheck_open"
    title = "The follow-up re-check is not closed yet"


class ViolationAlreadySanctioned(Conflict):
    code = "violation_already_sanctioned"
    title = "This violation already has a sanction decision"


class SanctionNumberTaken(Conflict):
    code = "sanction_number_taken"
    title = "A sanction decision with this number already exists"


class PlanItemUnknown(Unprocessable):
    code = "plan_item_unknown"
    title = "No such plan item in your area"


class PlanItemMismatch(Unprocessable):
    code = "plan_item_mismatch"
    title = "The case must have the kind and the area of its plan item"


class ChecklistVersionUnknown(Unprocessable):
    code = "checklist_version_unknown"
    title = "No such checklist template version"


class ChecklistKindMismatch(Unprocessable):
    code = "checklist_kind_mismatch"
    title = "The checklist is for another kind of case"


class ChecklistItemUnknown(Unprocessable):
    code = "checklist_item_unknown"
    title = "The item is not on the checklist the case uses"


class FindingNotFound(NotFound):
    code = "finding_not_found"
    title = "No such finding in this case"


class FindingUnknown(Unprocessable):
    code = "finding_unknown"
    title = "The finding is not one of this case"


class PhotoNotAnImage(Unprocessable):
    code = "photo_not_an_image"
    title = "The photo is not a JPEG, PNG or WebP image"


class PhotoTooLarge(Unprocessable):
    code = "photo_too_large"
    title = "The photo is larger than allowed"


class CaptureTimeInFuture(Unprocessable):
    code = "capture_time_in_future"
    title = "The photo cannot have been taken in the future"


class EvidenceNotFound(NotFound):
    code = "evidence_not_found"
    title = "No such photo in this case"


class EvidenceContentMissing(NotFound):
    code = "evidence_content_missing"
    title = "The photo's bytes are not in the evidence store"


class EvidenceContentAltered(Conflict):
    code = "evidence_content_altered"
    title = "The stored bytes no longer have the SHA-256 recorded on upload"


class EvidenceStoreUnavailable(UpstreamUnavailable):
    code = "evidence_store_unavailable"
    title = "The evidence store is unavailable"


class ViolationTypeUnknown(Unprocessable):
    code = "violation_type_unknown"
    title = "No such violation in the catalogue"


class ViolationTypeNotInForce(Unprocessable):
    code = "violation_type_not_in_force"
    title = "The catalogue entry was not in force on the date the violation was observed"


class CaseViolationUnknown(Unprocessable):
    code = "case_violation_unknown"
    title = "The violation is not one of this case"


class FineOutOfRange(Unprocessable):
    code = "fine_out_of_range"
    title = "The fine is outside the catalogue's range for the violation"


class DateInvalid(Unprocessable):
    code = "date_invalid"
    title = "The date is not possible here"


class ClosureNoteRequired(Unprocessable):
    code = "closure_note_required"
    title = "Say why a case is cancelled before it was worked"


class CommuneNotInProvince(Unprocessable):
    code = "commune_not_in_province"
    title = "The commune is not a current commune of that province"
