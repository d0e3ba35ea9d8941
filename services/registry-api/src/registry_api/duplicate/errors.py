from servicekit.errors import Conflict, NotFound, Unprocessable


class DuplicateCandidateNotFound(NotFound):
    code = "duplicate_candidate_not_found"
    title = "No such duplicate candidate"


class DuplicateAlreadyDecided(Conflict):
    code = "duplicate_candidate_already_decided"
    title = "The candidate pair was already decided"


class DuplicateIsHead(Conflict):
    code = "duplicate_is_household_head"
    title = "The person merged away is a household head: change the head first"


class KeptPersonInvalid(Unprocessable):
    code = "kept_person_invalid"
    title = "The kept person must be one of the pair, and the one with the citizen ID if only one has it"


class NoMatchRule(Unprocessable):
    code = "duplicate_match_rule_missing"
    title = "No duplicate match rule applies today"
