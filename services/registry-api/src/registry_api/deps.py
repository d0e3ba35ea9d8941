"""Named dependencies shared by registry-api's routers."""

from servicekit.auth import CurrentPrincipal
from servicekit.db.session import SessionDep

__all__ = ["CurrentPrincipal", "SessionDep"]
