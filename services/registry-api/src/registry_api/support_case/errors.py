from registry_api.models import SupportCaseStatus
from servicekit.errors import Conflict, NotFound, Unprocessable


class SupportCaseNotFound(NotFound):
    code = "support_case_not_found"
    title = "No such support case"


class SupportPhotoNotFound(NotFound):
    code = "support_photo_not_found"
    title = "No such photo of this support case"


class SupportRateNotApplicable(Unprocessable):
    code = "support_rate_not_applicable"
    title = "No stored support amount applies to that stream, kind and date"


class AlreadySupported(Conflict):
    """The only-once rule: the detail names the earlier case, its stream and when it was proposed."""

    code = "already_supported"
    title = "The household (or a member) already has a support of this kind"


class IllegalTransition(Conflict):
    """A step the case cannot take from its state. Raised as the subclass of that state, so the stable
    code names it: `support_case_is_proposed`, ..., `support_case_is_withdrawn`."""

    code = "support_case_illegal_transition"
    title = "The case cannot take this step from its current state"


def _state_error(state: SupportCaseStatus) -> type[IllegalTransition]:
    return type(
        f"SupportCaseIs{state.value.title()}",
        (IllegalTransition,),
        {
            "code": f"support_case_is_{state.value}",
            "title": f"The case is {state.value}: not allowed from it",
        },
    )


ILLEGAL_FROM: dict[SupportCaseStatus, type[IllegalTransition]] = {
    s: _state_error(s) for s in SupportCaseStatus
}


class AcceptanceNeedsPhotos(Conflict):
    code = "acceptance_needs_photos"
    title = "Acceptance needs uploaded before and after photos"


class StepDateInvalid(Unprocessable):
    code = "step_date_invalid"
    title = "The date is in the future or before the previous step"


class PhotoExists(Conflict):
    code = "support_photo_exists"
    title = "A photo with this SHA-256 is already recorded for the case"


class PhotoContentInvalid(Unprocessable):
    code = "photo_content_invalid"
    title = "The photo's bytes are not an accepted image or do not match the recorded SHA-256"


class PhotoTooLarge(Unprocessable):
    code = "photo_too_large"
    title = "The photo is larger than allowed"
