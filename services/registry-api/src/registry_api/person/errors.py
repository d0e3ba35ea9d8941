from servicekit.errors import Conflict, NotFound, Unprocessable


class PersonNotFound(NotFound):
    code = "person_not_found"
    title = "No such person"


class CitizenIdMalformed(Unprocessable):
    code = "citizen_id_malformed"
    title = "A citizen ID is 12 digits"


class CitizenIdIsLegacyNumber(Unprocessable):
    code = "citizen_id_is_legacy_number"
    title = "A 9-digit number is an old identity card number, not a citizen ID"


class CitizenIdInconsistent(Unprocessable):
    code = "citizen_id_inconsistent"
    title = "The citizen ID does not agree with the date of birth or the gender"


class CitizenIdTaken(Conflict):
    code = "citizen_id_taken"
    title = "Another person already has this citizen ID"


class LegacyIdMalformed(Unprocessable):
    code = "legacy_id_malformed"
    title = "An old identity card number is 9 digits"


class PhoneMalformed(Unprocessable):
    code = "phone_malformed"
    title = "Not a Vietnamese mobile number (10 digits starting with 0, or +84 and 9 digits)"


class BirthDateInvalid(Unprocessable):
    code = "birth_date_invalid"
    title = "The date or year of birth is not possible or they disagree"


class HeadCannotMove(Conflict):
    code = "household_head_cannot_move"
    title = "A head with other members cannot move out: make another member head first"


class HeadRelationshipFixed(Conflict):
    code = "household_head_relationship_fixed"
    title = "The head's relationship changes only through the household head action"


class AlreadyInHousehold(Conflict):
    code = "already_in_household"
    title = "The person is already a member of that household"


class MoveDateInvalid(Unprocessable):
    code = "move_date_invalid"
    title = "A move date is not in the future and not before the person joined the current household"


class SearchQueryEmpty(Unprocessable):
    code = "search_query_empty"
    title = "The search query has no letters or digits"


class LookupNeedsOneIdentifier(Unprocessable):
    code = "lookup_needs_one_identifier"
    title = "Send exactly one of citizen_id and legacy_id_number"


class NothingToReveal(NotFound):
    code = "identifier_not_recorded"
    title = "None of the requested identifiers is recorded for this person"
