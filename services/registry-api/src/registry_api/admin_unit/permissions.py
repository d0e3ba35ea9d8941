"""Administrative units are reference data: every signed-in caller may read them."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal
from servicekit.web.auth import get_principal

AdminUnitsRead = Annotated[Principal, Depends(get_principal)]
