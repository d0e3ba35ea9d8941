"""Alembic environment of funding-api: async, the service's own metadata and database."""

import os

from funding_api.models import FundingBase
from servicekit.migrations import run_migrations

run_migrations(FundingBase.metadata, env_var_url=os.environ.get("FUNDING_DATABASE_URL"))
