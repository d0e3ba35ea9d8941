"""registry-api's job worker: `python -m registry_api.worker` (make run supervises it)."""

from registry_api.config import get_settings
from registry_api.duplicate.jobs import register_duplicate_jobs
from registry_api.events import EVENT_CATALOGUE
from registry_api.household_import.jobs import register_import_jobs
from registry_api.models.platform import PLATFORM
from registry_api.person.pii import build_cipher
from servicekit.audit_anchor import anchor_store_at
from servicekit.jobs import JobRegistry
from servicekit.webhook_delivery import register_webhook_jobs, webhook_periodic
from servicekit.worker import platform_periodic, platform_registry, run_service_worker


def registry() -> JobRegistry:
    """The housekeeping jobs, plus registry-api's own kinds as they are added."""
    jobs = platform_registry(PLATFORM, anchor=lambda: anchor_store_at(get_settings().AUDIT_ANCHOR_PATH))
    register_import_jobs(jobs, lambda: build_cipher(get_settings()))
    register_duplicate_jobs(jobs)
    register_webhook_jobs(jobs, PLATFORM, EVENT_CATALOGUE, get_settings)
    return jobs


if __name__ == "__main__":
    settings = get_settings()
    run_service_worker(
        service=settings.SERVICE_NAME,
        database_url=settings.DATABASE_URL.get_secret_value(),
        models=PLATFORM,
        registry=registry(),
        log_level=settings.LOG_LEVEL,
        periodic=[*platform_periodic(), *webhook_periodic(settings.WEBHOOK_EVERY_S)],
    )
