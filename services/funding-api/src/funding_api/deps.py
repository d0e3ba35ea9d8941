"""Named dependencies shared by funding-api's routers."""

from servicekit.web.auth import CurrentPrincipal
from servicekit.web.session import SessionDep

__all__ = ["CurrentPrincipal", "SessionDep"]
