"""Named dependencies shared by registry-api's routers."""

from typing import Annotated

from fastapi import Depends, Request

from servicekit.pii import PiiCipher
from servicekit.web.auth import CurrentPrincipal
from servicekit.web.session import SessionDep


def get_pii_cipher(request: Request) -> PiiCipher:
    """The process's personal-data cipher, built once by `create_app` (see person/pii.py)."""
    cipher: PiiCipher = request.app.state.pii_cipher
    return cipher


PiiCipherDep = Annotated[PiiCipher, Depends(get_pii_cipher)]

__all__ = ["CurrentPrincipal", "PiiCipherDep", "SessionDep"]
