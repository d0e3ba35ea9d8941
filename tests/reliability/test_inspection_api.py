"""inspection-api: the authorization matrix and unknown-field checks over every operation of its OpenAPI."""

from __future__ import annotations

from reliability_matrix import Service, install

SERVICE = Service(name="inspection-api", folder="inspection-api", package="inspection_api")
install(globals(), SERVICE)
