"""Why a pushed mutation is rejected (its `code` in the per-item answer); the conflict endpoints' errors."""

from servicekit.errors import Conflict, NotFound, Unprocessable


class InvalidMutationData(Unprocessable):
    code = "invalid_mutation_data"
    title = "The mutation's data does not fit its action"


class BaseVersionRequired(Unprocessable):
    code = "base_version_required"
    title = "An update says which version it was made on"


class PhotoNotUploaded(Unprocessable):
    code = "photo_not_uploaded"
    title = "A photo the record uses has not been uploaded to the case yet: upload it first"


class PhotoAttachedElsewhere(Conflict):
    code = "photo_attached_elsewhere"
    title = "The photo already belongs to another finding"


class FindingReferenceUnknown(Unprocessable):
    code = "finding_reference_unknown"
    title = "The finding to update is unknown: neither a finding of the case nor one created by a mutation"


class BaseMutationUnknown(Unprocessable):
    code = "base_mutation_unknown"
    title = "The `base_client_id` names no case step of this case applied for you"


class ClientIdReused(Unprocessable):
    code = "client_id_reused"
    title = "This client UUID was already used for another mutation"


class ConflictNotFound(NotFound):
    code = "sync_conflict_not_found"
    title = "No such sync conflict"


class ConflictAlreadyResolved(Conflict):
    code = "sync_conflict_already_resolved"
    title = "The conflict was already resolved"
