"""inspection-api's job worker: `python -m inspection_api.worker` (make run supervises it)."""

from inspection_api.clients.funding import FundingClient
from inspection_api.clients.registry import RegistryClient
from inspection_api.config import get_settings
from inspection_api.events import EVENT_CATALOGUE
from inspection_api.models.platform import PLATFORM
from inspection_api.profiteering.jobs import profiteering_periodic, register_profiteering_jobs
from servicekit.audit_anchor import anchor_store_at
from servicekit.http import build_service_client
from servicekit.jobs import JobRegistry
from servicekit.webhook_delivery import register_webhook_jobs, webhook_periodic
from servicekit.worker import platform_periodic, platform_registry, run_service_worker


def upstream_clients() -> tuple[RegistryClient, FundingClient]:
    """registry-api and funding-api, called with inspection-api's own service token."""
    settings = get_settings()
    return (
        build_service_client(RegistryClient, settings, name="registry-api", base_url=settings.REGISTRY_URL),
        build_service_client(FundingClient, settings, name="funding-api", base_url=settings.FUNDING_URL),
    )


def registry() -> JobRegistry:
    """The housekeeping jobs, plus inspection-api's own kinds as they are added."""
    jobs = platform_registry(PLATFORM, anchor=lambda: anchor_store_at(get_settings().AUDIT_ANCHOR_PATH))
    register_profiteering_jobs(
        jobs, upstream_clients, retry_after_s=lambda: get_settings().PROFITEERING_RETRY_S
    )
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
        periodic=[
            *platform_periodic(),
            *profiteering_periodic(settings.PROFITEERING_EVERY_S),
            *webhook_periodic(settings.WEBHOOK_EVERY_S),
        ],
    )
