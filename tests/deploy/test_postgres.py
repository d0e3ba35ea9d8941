"""The CloudNativePG resources, field by field (kubernetes-validate has no schemas for operators'
kinds): the fields NOXH relies on are present and agree with each other and with the services."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from deploy_helpers import OUT_OF_BAND_SECRETS, SERVICES, Rendered

BARMAN = "barman-cloud.cloudnative-pg.io"
CLUSTER = "noxh-pg"


def _roles(cluster: dict[str, Any]) -> dict[str, str]:
    """Role -> the Secret holding its password: the bootstrap owner and the managed roles."""
    spec = cluster["spec"]
    initdb = spec["bootstrap"]["initdb"]
    roles = {initdb["owner"]: initdb["secret"]["name"]}
    for role in spec.get("managed", {}).get("roles", []):
        assert role["ensure"] == "present", role
        assert role["login"] is True, role
        roles[role["name"]] = role["passwordSecret"]["name"]
    return roles


def test_the_cluster_is_highly_available_and_archived(rendered: dict[str, Rendered]) -> None:
    for overlay in rendered.values():
        spec = overlay.get("Cluster", CLUSTER)["spec"]
        assert overlay.get("Cluster", CLUSTER)["apiVersion"] == "postgresql.cnpg.io/v1"
        assert re.fullmatch(r"ghcr\.io/cloudnative-pg/postgresql:18(\.\d+)?-\w+-\w+", spec["imageName"])
        assert spec["enableSuperuserAccess"] is False
        assert spec["storage"]["size"]
        assert spec["walStorage"]["size"]
        assert {"requests", "limits"} <= set(spec["resources"])
        assert spec["affinity"]["enablePodAntiAffinity"] is True
        assert spec["affinity"]["topologyKey"] == "kubernetes.io/hostname"
        (plugin,) = spec["plugins"]
        assert plugin["name"] == BARMAN
        assert plugin["isWALArchiver"] is True
        store = overlay.get("ObjectStore", plugin["parameters"]["barmanObjectName"])
        assert store["apiVersion"] == "barmancloud.cnpg.io/v1"
        assert "backup" not in spec, (
            "backups go through the Barman Cloud plugin, not the deprecated in-tree store"
        )
    prod = rendered["prod"].get("Cluster", CLUSTER)["spec"]
    assert prod["instances"] == 3
    assert prod["affinity"]["podAntiAffinityType"] == "required"
    assert int(prod["postgresql"]["parameters"]["max_connections"]) >= 200


def test_one_database_per_service_owned_by_its_own_role(overlay: Rendered) -> None:
    cluster = overlay.get("Cluster", CLUSTER)
    roles = _roles(cluster)
    databases = {d["spec"]["name"]: d["spec"] for d in overlay.of_kind("Database")}
    assert set(databases) == {s.database for s in SERVICES.values()}
    for service in SERVICES.values():
        database = databases[service.database]
        assert database["cluster"] == {"name": CLUSTER}
        assert database["owner"] == service.database
        assert database["ensure"] == "present"
        assert database["databaseReclaimPolicy"] == "retain"
        assert roles[service.database] == f"noxh-pg-{service.database}"
    assert set(roles) == {s.database for s in SERVICES.values()}


def test_the_services_connect_as_the_role_that_owns_their_database(overlay: Rendered) -> None:
    roles = _roles(overlay.get("Cluster", CLUSTER))
    for name, service in SERVICES.items():
        for deployment in (name, f"{name}-worker"):
            pod = overlay.get("Deployment", deployment)["spec"]["template"]["spec"]
            for container in [*pod["initContainers"], *pod["containers"]]:
                env = {v["name"]: v for v in container["env"]}
                user = env["NOXH_DB_USER"]["valueFrom"]["secretKeyRef"]
                password = env["NOXH_DB_PASSWORD"]["valueFrom"]["secretKeyRef"]
                assert user == {"name": roles[service.database], "key": "username"}
                assert password == {"name": roles[service.database], "key": "password"}
                url = urlsplit(env[f"{service.prefix}DATABASE_URL"]["value"])
                assert url.scheme == "postgresql+asyncpg"
                # Always the primary, through the read-write Service CloudNativePG creates.
                assert url.hostname == f"{CLUSTER}-rw"
                assert url.port == 5432
                assert url.path == f"/{service.database}"
                assert url.query == "ssl=require"


def test_backups_are_scheduled_to_an_object_store_with_referenced_credentials(overlay: Rendered) -> None:
    (scheduled,) = overlay.of_kind("ScheduledBackup")
    spec = scheduled["spec"]
    assert spec["cluster"] == {"name": CLUSTER}
    assert spec["method"] == "plugin"
    assert spec["pluginConfiguration"] == {"name": BARMAN}
    assert spec["backupOwnerReference"] == "self"
    fields = spec["schedule"].split()
    assert len(fields) == 6, "CloudNativePG schedules have six fields, seconds first"
    assert all(re.fullmatch(r"[\d*/,-]+", f) for f in fields)
    (store,) = overlay.of_kind("ObjectStore")
    configuration = store["spec"]["configuration"]
    assert configuration["destinationPath"].startswith("s3://")
    assert configuration["endpointURL"].startswith("https://")
    assert re.fullmatch(r"\d+[dwm]", store["spec"]["retentionPolicy"])
    assert "serverName" not in configuration, "the plugin wants serverName empty in the ObjectStore"
    credentials = configuration["s3Credentials"]
    assert set(credentials) == {"accessKeyId", "secretAccessKey"}, "only Secret references, no inline keys"
    for reference in credentials.values():
        assert set(reference) == {"name", "key"}
        assert reference["key"] in OUT_OF_BAND_SECRETS[reference["name"]]


def test_role_secrets_are_the_documented_basic_auth_ones(overlay: Rendered) -> None:
    for secret in _roles(overlay.get("Cluster", CLUSTER)).values():
        assert OUT_OF_BAND_SECRETS[secret] == {"username", "password"}
