"""Named dependencies shared by funding-api's routers."""

from typing import Annotated

from fastapi import Depends, Request

from funding_api.clients.inspection import InspectionClient
from funding_api.clients.registry import RegistryClient
from servicekit.web.auth import CurrentPrincipal
from servicekit.web.session import SessionDep


def get_registry_client(request: Request) -> RegistryClient:
    client: RegistryClient = request.app.state.registry_client
    return client


RegistryClientDep = Annotated[RegistryClient, Depends(get_registry_client)]


def get_inspection_client(request: Request) -> InspectionClient:
    client: InspectionClient = request.app.state.inspection_client
    return client


InspectionClientDep = Annotated[InspectionClient, Depends(get_inspection_client)]

__all__ = ["CurrentPrincipal", "InspectionClientDep", "RegistryClientDep", "SessionDep"]
