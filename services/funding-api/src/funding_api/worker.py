"""funding-api's job worker: `python -m funding_api.worker` (make run supervises it)."""

from funding_api.config import get_settings
from funding_api.models.platform import PLATFORM
from servicekit.jobs import JobRegistry
from servicekit.worker import platform_registry, run_service_worker


def registry() -> JobRegistry:
    """The housekeeping jobs, plus funding-api's own kinds as they are added."""
    return platform_registry(PLATFORM)


if __name__ == "__main__":
    settings = get_settings()
    run_service_worker(
        service=settings.SERVICE_NAME,
        database_url=settings.DATABASE_URL.get_secret_value(),
        models=PLATFORM,
        registry=registry(),
        log_level=settings.LOG_LEVEL,
    )
