"""funding-api's job worker: `python -m funding_api.worker` (make run supervises it)."""

from funding_api.allocation.demo import register_demo_jobs
from funding_api.clients.inspection import InspectionClient
from funding_api.clients.registry import RegistryClient
from funding_api.config import get_settings
from funding_api.events import EVENT_CATALOGUE
from funding_api.housing_fund.jobs import housing_fund_periodic, register_housing_fund_jobs
from funding_api.loan.jobs import LOAN_PERIODIC, register_loan_jobs
from funding_api.loan.pii import build_cipher
from funding_api.models.platform import PLATFORM
from servicekit.audit_anchor import anchor_store_at
from servicekit.http import build_service_client
from servicekit.jobs import JobRegistry, PeriodicJob
from servicekit.webhook_delivery import register_webhook_jobs, webhook_periodic
from servicekit.worker import platform_periodic, platform_registry, run_service_worker


def registry() -> JobRegistry:
    """The housekeeping jobs, plus funding-api's own kinds as they are added."""
    jobs = platform_registry(PLATFORM, anchor=lambda: anchor_store_at(get_settings().AUDIT_ANCHOR_PATH))
    register_housing_fund_jobs(jobs, inspection_client)
    register_webhook_jobs(jobs, PLATFORM, EVENT_CATALOGUE, get_settings)
    register_loan_jobs(jobs, lambda: build_cipher(get_settings()), registry_client)
    register_demo_jobs(jobs, registry_client)
    return jobs


def inspection_client() -> InspectionClient:
    settings = get_settings()
    return build_service_client(
        InspectionClient, settings, name="inspection-api", base_url=settings.INSPECTION_URL
    )


_registry_client: list[RegistryClient] = []


def registry_client() -> RegistryClient:
    """One client for the worker's life (it caches its service token)."""
    if not _registry_client:
        settings = get_settings()
        _registry_client.append(
            build_service_client(
                RegistryClient, settings, name="registry-api", base_url=settings.REGISTRY_URL
            )
        )
    return _registry_client[0]


def periodic() -> list[PeriodicJob]:
    """The housekeeping schedule, plus funding-api's own periodic jobs."""
    return [*platform_periodic(), *housing_fund_periodic(), *LOAN_PERIODIC]


if __name__ == "__main__":
    settings = get_settings()
    run_service_worker(
        service=settings.SERVICE_NAME,
        database_url=settings.DATABASE_URL.get_secret_value(),
        models=PLATFORM,
        registry=registry(),
        log_level=settings.LOG_LEVEL,
        periodic=[*periodic(), *webhook_periodic(settings.WEBHOOK_EVERY_S)],
    )
