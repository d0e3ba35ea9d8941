"""Alembic environment of registry-api: async, the service's own metadata and database."""

import os

from registry_api.models import RegistryBase
from servicekit.migrations import run_migrations

run_migrations(RegistryBase.metadata, env_var_url=os.environ.get("REGISTRY_DATABASE_URL"))
