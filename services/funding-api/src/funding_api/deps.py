"""Named dependencies shared by funding-api's routers."""

from typing import Annotated

from fastapi import Depends, Request

from funding_api.clients.registry import RegistryClient
from servicekit.web.auth import CurrentPrincipal
from servicekit.web.session import SessionDep


def get_registry_client(request: Request) -> RegistryClient:
    client: RegistryClient = request.app.state.registry_client
    return client


RegistryClientDep = Annotated[RegistryClient, Depends(get_registry_client)]

__all__ = ["CurrentPrincipal", "RegistryClientDep", "SessionDep"]
