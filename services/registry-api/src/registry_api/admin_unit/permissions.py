"""Administrative units are reference data: every signed-in caller may read them."""

from typing import Annotated

from fastapi import Depends

from servicekit.auth import Principal, get_principal

AdminUnitsRead = Annotated[Principal, Depends(get_principal)]
