from servicekit.errors import Conflict, NotFound


class FlagNotFound(NotFound):
    code = "profiteering_flag_not_found"
    title = "No such profiteering flag"


class FlagAlreadyDecided(Conflict):
    code = "profiteering_flag_already_decided"
    title = "The flag was already confirmed or dismissed"


class RunNotFound(NotFound):
    code = "profiteering_run_not_found"
    title = "No such profiteering run"
