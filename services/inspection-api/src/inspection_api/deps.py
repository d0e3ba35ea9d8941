"""Named dependencies shared by inspection-api's routers."""

from typing import Annotated

from fastapi import Depends, Request

from inspection_api.clients.funding import FundingClient
from inspection_api.clients.registry import RegistryClient
from servicekit.web.auth import CurrentPrincipal
from servicekit.web.session import SessionDep


def get_registry_client(request: Request) -> RegistryClient:
    client: RegistryClient = request.app.state.registry_client
    return client


RegistryClientDep = Annotated[RegistryClient, Depends(get_registry_client)]


def get_funding_client(request: Request) -> FundingClient:
    client: FundingClient = request.app.state.funding_client
    return client


FundingClientDep = Annotated[FundingClient, Depends(get_funding_client)]

__all__ = ["CurrentPrincipal", "FundingClientDep", "RegistryClientDep", "SessionDep"]
