from servicekit.errors import NotFound


class AdminUnitNotFound(NotFound):
    code = "admin_unit_not_found"
    title = "No such administrative unit"
