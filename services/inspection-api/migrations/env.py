"""Alembic environment of inspection-api: async, the service's own metadata and database."""

import os

from inspection_api.models import InspectionBase
from servicekit.migrations import run_migrations

run_migrations(InspectionBase.metadata, env_var_url=os.environ.get("INSPECTION_DATABASE_URL"))
