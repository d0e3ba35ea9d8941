import os

from sample_service.models import SampleBase
from servicekit.migrations import run_migrations

run_migrations(SampleBase.metadata, env_var_url=os.environ.get("SAMPLE_DATABASE_URL"))
