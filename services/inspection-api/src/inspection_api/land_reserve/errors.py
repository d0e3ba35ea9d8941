from inspection_api.models import LandReserveStatus
from servicekit.errors import Conflict, NotFound, Unprocessable


class CommercialProjectNotFound(NotFound):
    code = "commercial_project_not_found"
    title = "No such commercial project"


class LandReserveObligationNotFound(NotFound):
    code = "land_reserve_obligation_not_found"
    title = "No such land-reserve obligation"


class LandReserveRuleNotApplicable(Unprocessable):
    code = "land_reserve_rule_not_applicable"
    title = "No stored land-reserve rule is in force on that date"


class ObligationExists(Conflict):
    code = "land_reserve_obligation_exists"
    title = "The project already has its land-reserve obligation"


class ProjectLandInvalid(Unprocessable):
    code = "commercial_project_land_invalid"
    title = "The total land cannot be smaller than the residential land"


class ResidentialLandLocked(Conflict):
    code = "residential_land_locked"
    title = "The obligation was computed from the residential land: it cannot change any more"


class MoneyInputsMissing(Unprocessable):
    code = "land_reserve_money_inputs_missing"
    title = "Paying money needs the land price and the technical-infrastructure cost"


class MoneyOutOfRange(Unprocessable):
    code = "land_reserve_money_out_of_range"
    title = "The money computed is beyond any plausible amount: check the land price and the cost"


class StageDateInvalid(Unprocessable):
    code = "land_reserve_stage_date_invalid"
    title = "The date is in the future or before the previous stage"


class IllegalTransition(Conflict):
    """A stage the obligation cannot reach from its status. Raised as the subclass of that status, so
    the stable code names it: `land_reserve_obligation_is_reserved_in_plan`, ..., `..._is_paid`."""

    code = "land_reserve_illegal_transition"
    title = "The obligation cannot move to that stage from its current status"


def _state_error(state: LandReserveStatus) -> type[IllegalTransition]:
    return type(
        f"LandReserveObligationIs{state.value.title().replace('_', '')}",
        (IllegalTransition,),
        {
            "code": f"land_reserve_obligation_is_{state.value}",
            "title": f"The obligation is {state.value}: that stage is not next",
        },
    )


ILLEGAL_FROM: dict[LandReserveStatus, type[IllegalTransition]] = {
    s: _state_error(s) for s in LandReserveStatus
}
