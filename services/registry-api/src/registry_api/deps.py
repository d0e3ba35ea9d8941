"""Named dependencies shared by registry-api's routers."""

from typing import Annotated

from fastapi import Depends, Request

from registry_api.clients.funding import FundingClient
from servicekit.pii import PiiCipher
from servicekit.web.auth import CurrentPrincipal
from servicekit.web.session import SessionDep


def get_pii_cipher(request: Request) -> PiiCipher:
    """The process's personal-data cipher, built once by `create_app` (see person/pii.py)."""
    cipher: PiiCipher = request.app.state.pii_cipher
    return cipher


PiiCipherDep = Annotated[PiiCipher, Depends(get_pii_cipher)]


def get_funding_client(request: Request) -> FundingClient:
    """funding-api's client, opened with the app (or given to `create_app` by the tests)."""
    client: FundingClient = request.app.state.funding_client
    return client


FundingClientDep = Annotated[FundingClient, Depends(get_funding_client)]

__all__ = ["CurrentPrincipal", "FundingClientDep", "PiiCipherDep", "SessionDep"]
