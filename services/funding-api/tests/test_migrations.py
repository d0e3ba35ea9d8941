from servicekit.testing.migrations import check_migrations
from servicekit.testing.plugin import ServiceTestConfig


async def test_migrations_roundtrip_and_match_the_models(
    service_config: ServiceTestConfig, pg_admin_url: str
) -> None:
    await check_migrations(service_config, pg_admin_url)
