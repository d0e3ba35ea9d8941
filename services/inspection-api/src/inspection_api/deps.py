"""Named dependencies shared by inspection-api's routers."""

from servicekit.web.auth import CurrentPrincipal
from servicekit.web.session import SessionDep

__all__ = ["CurrentPrincipal", "SessionDep"]
