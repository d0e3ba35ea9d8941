from registry_api.models import ApplicationStatus
from servicekit.errors import Conflict, NotFound, Unprocessable


class ApplicationNotFound(NotFound):
    code = "application_not_found"
    title = "No such application"


class ApplicantNotFound(NotFound):
    code = "person_not_found"
    title = "No such person"


class ApplicationOpenExists(Conflict):
    code = "application_open_exists"
    title = "The applicant already has an open application"


class IllegalTransition(Conflict):
    """Raised as the subclass of the current state: `application_is_draft`, ... `_withdrawn`."""

    code = "application_illegal_transition"
    title = "The application cannot take this step from its current state"


def _state_error(state: ApplicationStatus) -> type[IllegalTransition]:
    return type(
        f"ApplicationIs{state.value.title()}",
        (IllegalTransition,),
        {"code": f"application_is_{state.value}", "title": f"The application is {state.value}: not allowed"},
    )


ILLEGAL_FROM: dict[ApplicationStatus, type[IllegalTransition]] = {
    s: _state_error(s) for s in ApplicationStatus
}


class EligibilityUnknown(Conflict):
    code = "eligibility_unknown"
    title = "Some eligibility rules cannot be decided yet"


class BeneficiaryGroupNotApplicable(Unprocessable):
    code = "beneficiary_group_not_applicable"
    title = "No stored beneficiary group with that clause is valid on that date"


class ApplicationPersonInvalid(Unprocessable):
    code = "application_person_invalid"
    title = "A person named in the application is not a member of the applicant's household"


class StepDateInvalid(Unprocessable):
    code = "step_date_invalid"
    title = "The date is in the future or before the application's previous step"


class NoEligibilityRules(Unprocessable):
    code = "eligibility_rules_missing"
    title = "No eligibility rules are stored for that date"


class ApplicationProjectNotFound(Unprocessable):
    code = "application_project_not_found"
    title = "No such social housing project"


class ProjectSaleNotPublished(Conflict):
    code = "project_sale_not_published"
    title = "The project's sale information is not published (D100 Art. 38)"


class ProjectSaleWindowClosed(Conflict):
    code = "project_sale_window_closed"
    title = "The date is outside the project's published application window"


class TenureNotOffered(Unprocessable):
    code = "tenure_not_offered_by_project"
    title = "The project does not offer units for this kind of application"
