from servicekit.errors import Conflict, NotFound, Unprocessable


class ParcelNotFound(NotFound):
    code = "parcel_not_found"
    title = "No such parcel"


class GeometryInvalid(Unprocessable):
    """The `errors` entry names the problem: geometry_type_not_allowed, geometry_invalid (self-
    intersection ...), geometry_out_of_range, geometry_malformed, geometry_empty, crs_not_supported."""

    code = "geometry_invalid"
    title = "The parcel geometry is not a valid polygon inside Vietnam"


class BBoxInvalid(Unprocessable):
    code = "bbox_invalid"
    title = "bbox must be min_lon,min_lat,max_lon,max_lat in WGS84"


class DesignationAreaTooLarge(Unprocessable):
    code = "designation_area_too_large"
    title = "The designated area exceeds the parcel's area"


class ParcelAlreadyDesignated(Conflict):
    code = "parcel_already_designated"
    title = "The parcel is already designated in this plan"


class ParcelOutsidePlan(Unprocessable):
    code = "parcel_outside_plan"
    title = "The parcel is not in the plan's area"
