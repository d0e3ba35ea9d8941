from servicekit.errors import Forbidden, Unprocessable


class ReviewImportOptionsInvalid(Unprocessable):
    code = "review_import_options_invalid"
    title = "The review-results options are missing, unexpected or do not fit the commune"


class ReviewResultsCommuneOfficersOnly(Forbidden):
    code = "review_results_commune_officers_only"
    title = "Review results are recorded by commune officers"
