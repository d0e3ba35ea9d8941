"""The Kubernetes manifests: every overlay renders, validates offline against the Kubernetes schemas
(strict: unknown fields are errors), and every workload has what running it safely needs."""

from __future__ import annotations

import copy
import importlib
import os
import re
import secrets
from typing import Any

import kubernetes_validate
import pytest
from deploy_helpers import (
    ALL_INTERFACES,
    CRD_GROUPS,
    K8S_VERSION,
    OUT_OF_BAND_SECRETS,
    REPO,
    SERVICES,
    Rendered,
)

VAR_REF = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")
SENSITIVE_NAME = re.compile(r"(SECRET|PASSWORD|_KEY)$", re.IGNORECASE)


def _group(doc: dict[str, Any]) -> str:
    api_version = str(doc["apiVersion"])
    return api_version.split("/", 1)[0] if "/" in api_version else ""


def _env(container: dict[str, Any]) -> list[dict[str, Any]]:
    return list(container.get("env", []))


def _pod_labels(workload: dict[str, Any]) -> dict[str, str]:
    return dict(workload["spec"]["template"]["metadata"]["labels"])


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


# ---------------------------------------------------------------------------------------------- schemas


def test_every_core_object_validates_strictly(overlay: Rendered) -> None:
    validated = 0
    for doc in overlay.docs:
        if _group(doc) in CRD_GROUPS:
            continue
        name = f"{doc['kind']}/{doc['metadata']['name']}"
        try:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            pytest.fail(
                f"{overlay.overlay}: no Kubernetes {K8S_VERSION} schema for {name} ({doc['apiVersion']})"
            )
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            pytest.fail(f"{overlay.overlay}: {name} is invalid at {path}: {exc.message}")
        validated += 1
    assert validated >= 40


def test_the_strict_validator_rejects_what_the_api_server_would() -> None:
    """Guard the guard: a misspelt field and a wrong type both fail offline."""
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {
            "selector": {"matchLabels": {"a": "b"}},
            "template": {
                "metadata": {"labels": {"a": "b"}},
                "spec": {"containers": [{"name": "x", "image": "x:1", "readinessProbe": {}}]},
            },
        },
    }
    kubernetes_validate.validate(copy.deepcopy(deployment), K8S_VERSION, strict=True)
    misspelt = copy.deepcopy(deployment)
    misspelt["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(misspelt, K8S_VERSION, strict=True)
    wrong_type = copy.deepcopy(deployment)
    wrong_type["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(wrong_type, K8S_VERSION, strict=True)


def test_everything_lands_in_the_overlays_namespace(overlay: Rendered) -> None:
    expected = {"dev": "noxh-dev", "prod": "noxh"}[overlay.overlay]
    assert overlay.namespace == expected
    assert overlay.get("Namespace", expected)["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == (
        "restricted"
    )
    for doc in overlay.docs:
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == expected, doc["metadata"]["name"]


# ---------------------------------------------------------------------------------------------- workloads


def test_each_service_has_api_worker_service_autoscaler_and_disruption_budgets(overlay: Rendered) -> None:
    for name in [*SERVICES, "gateway"]:
        api = overlay.get("Deployment", name)
        pods = _pod_labels(api)
        service = overlay.get("Service", name)
        assert _matches(service["spec"]["selector"], pods)
        hpa = overlay.get("HorizontalPodAutoscaler", name)
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        # The autoscaler owns the count; a fixed one in the manifest would fight it on every apply.
        assert "replicas" not in api["spec"]
        pdb = overlay.get("PodDisruptionBudget", name)
        assert _matches(pdb["spec"]["selector"]["matchLabels"], pods)
        if name == "gateway":
            continue
        worker = overlay.get("Deployment", f"{name}-worker")
        worker_pdb = overlay.get("PodDisruptionBudget", f"{name}-worker")
        assert _matches(worker_pdb["spec"]["selector"]["matchLabels"], _pod_labels(worker))
        assert not _matches(pdb["spec"]["selector"]["matchLabels"], _pod_labels(worker))
        assert not _matches(service["spec"]["selector"], _pod_labels(worker))


def test_apis_and_gateway_are_probed_on_healthz_and_readyz(overlay: Rendered) -> None:
    for name in [*SERVICES, "gateway"]:
        (container,) = overlay.get("Deployment", name)["spec"]["template"]["spec"]["containers"]
        port = {p["name"]: p["containerPort"] for p in container["ports"]}["http"]
        liveness = container["livenessProbe"]["httpGet"]
        readiness = container["readinessProbe"]["httpGet"]
        assert liveness == {"path": "/healthz", "port": "http"}
        # The gateway has only /healthz: its readiness must not hang on any one upstream.
        assert readiness == {"path": "/healthz" if name == "gateway" else "/readyz", "port": "http"}
        assert port == (8080 if name == "gateway" else 8000)
        assert container["readinessProbe"]["timeoutSeconds"] <= container["readinessProbe"]["periodSeconds"]


def test_every_container_has_resources_and_is_locked_down(overlay: Rendered) -> None:
    for workload in overlay.workloads():
        name = workload["metadata"]["name"]
        pod = workload["spec"]["template"]["spec"]
        assert pod["automountServiceAccountToken"] is False, name
        assert pod["enableServiceLinks"] is False, name
        pod_security = pod["securityContext"]
        assert pod_security["runAsNonRoot"] is True, name
        assert pod_security["runAsUser"] > 0, name
        assert pod_security["seccompProfile"] == {"type": "RuntimeDefault"}, name
        for container in overlay.containers(workload):
            where = f"{name}/{container['name']}"
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), where
            assert {"cpu", "memory"} <= set(resources["limits"]), where
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["readOnlyRootFilesystem"] is True, where
            assert security["privileged"] is False, where
            assert security["runAsNonRoot"] is True, where
            assert security["capabilities"] == {"drop": ["ALL"]}, where
            # A read-only root filesystem needs a writable /tmp.
            mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
            assert "/tmp" in mounts, where  # noqa: S108 (a mount point, not a file made here)


def test_images_name_a_registry_and_a_release_and_init_containers_use_the_pods_image(
    overlay: Rendered,
) -> None:
    for workload in overlay.workloads():
        images = {c["image"] for c in overlay.containers(workload)}
        assert len(images) == 1, f"{workload['metadata']['name']}: {images}"
        (image,) = images
        repository, _, tag = image.rpartition(":")
        assert "/" in repository.split("/", 1)[1], image  # registry/noxh/<name>
        assert tag not in ("", "latest"), image


def test_commands_are_the_services_entry_points(overlay: Rendered) -> None:
    for name, service in SERVICES.items():
        api = overlay.get("Deployment", name)["spec"]["template"]["spec"]
        worker = overlay.get("Deployment", f"{name}-worker")["spec"]["template"]["spec"]
        uvicorn = ["uvicorn", f"{service.package}.main:create_app", "--factory", "--host", ALL_INTERFACES]
        assert api["containers"][0]["command"] == [*uvicorn, "--port", "8000"]
        assert worker["containers"][0]["command"] == ["python", "-m", f"{service.package}.worker"]
        assert (REPO / "services" / name / "src" / service.package / "worker.py").is_file()
        for pod in (api, worker):
            (migrate,) = pod["initContainers"]
            alembic_ini = f"services/{name}/alembic.ini"
            assert migrate["command"] == [
                "python",
                "/app/migrate.py",
                alembic_ini,
                f"{service.prefix}DATABASE_URL",
            ]
            assert (REPO / alembic_ini).is_file()


# ---------------------------------------------------------------------------------------------- settings


def test_no_secret_values_anywhere(overlay: Rendered) -> None:
    assert overlay.of_kind("Secret") == [], "Secrets are created out of band, never rendered"
    for doc in overlay.docs:
        assert "stringData" not in doc
    for workload in overlay.workloads():
        for container in overlay.containers(workload):
            for var in _env(container):
                if SENSITIVE_NAME.search(var["name"]):
                    assert "secretKeyRef" in var.get("valueFrom", {}), (
                        f"{var['name']} must come from a Secret"
                    )
                if var["name"].endswith("DATABASE_URL"):
                    assert "$(NOXH_DB_PASSWORD)" in var["value"]
    for config_map in overlay.of_kind("ConfigMap"):
        for key, value in config_map.get("data", {}).items():
            assert not SENSITIVE_NAME.search(key), key
            assert "password" not in value.lower()


def test_every_reference_resolves(overlay: Rendered) -> None:
    config_maps = {cm["metadata"]["name"]: cm.get("data", {}) for cm in overlay.of_kind("ConfigMap")}
    for workload in overlay.workloads():
        for container in overlay.containers(workload):
            for source in container.get("envFrom", []):
                assert source["configMapRef"]["name"] in config_maps
            for var in _env(container):
                ref = var.get("valueFrom", {})
                if "configMapKeyRef" in ref:
                    assert ref["configMapKeyRef"]["key"] in config_maps[ref["configMapKeyRef"]["name"]]
                if "secretKeyRef" in ref:
                    secret = ref["secretKeyRef"]
                    assert secret["key"] in OUT_OF_BAND_SECRETS[secret["name"]], secret


def test_env_references_are_defined_before_use(overlay: Rendered) -> None:
    config_maps = {cm["metadata"]["name"]: cm.get("data", {}) for cm in overlay.of_kind("ConfigMap")}
    for workload in overlay.workloads():
        for container in overlay.containers(workload):
            defined = {
                key
                for source in container.get("envFrom", [])
                for key in config_maps[source["configMapRef"]["name"]]
            }
            for var in _env(container):
                for name in VAR_REF.findall(var.get("value", "")):
                    assert name in defined, f"{container['name']}: $({name}) is used before it is defined"
                defined.add(var["name"])


def _settings_environment(overlay: Rendered, container: dict[str, Any]) -> dict[str, str]:
    """The container's environment as Kubernetes would build it, with made-up secret values."""
    config_maps = {cm["metadata"]["name"]: cm.get("data", {}) for cm in overlay.of_kind("ConfigMap")}
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(config_maps[source["configMapRef"]["name"]])
    for var in _env(container):
        ref = var.get("valueFrom", {})
        if "configMapKeyRef" in ref:
            env[var["name"]] = config_maps[ref["configMapKeyRef"]["name"]][ref["configMapKeyRef"]["key"]]
        elif "secretKeyRef" in ref:
            key = ref["secretKeyRef"]["key"]
            env[var["name"]] = key if key == "username" else secrets.token_hex(24)
        else:
            env[var["name"]] = VAR_REF.sub(lambda m: env[m.group(1)], var["value"])
    return env


def test_the_services_accept_their_rendered_settings(
    overlay: Rendered, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each service's own Settings class, fed the environment its Deployment builds: every required
    value is there and, in production, the checks against development placeholders pass."""
    for name, service in SERVICES.items():
        config = importlib.import_module(f"{service.package}.config")
        for deployment in (name, f"{name}-worker"):
            container = overlay.get("Deployment", deployment)["spec"]["template"]["spec"]["containers"][0]
            env = _settings_environment(overlay, container)
            with monkeypatch.context() as patch:
                for key in [k for k in os.environ if k.startswith(service.prefix)]:
                    patch.delenv(key)
                for key, value in env.items():
                    patch.setenv(key, value)
                settings = config.Settings()
            assert name == settings.SERVICE_NAME
            assert settings.audience == name
            assert name == settings.SERVICE_CLIENT_ID
            assert settings.ENV.value == ("production" if overlay.overlay == "prod" else "dev")
            url = settings.DATABASE_URL.get_secret_value()
            assert url.startswith("postgresql+asyncpg://")
            assert url.endswith(f"/{service.database}?ssl=require")
            assert settings.OIDC_ISSUER.startswith("https://")
            assert settings.OIDC_ISSUER.endswith("/realms/noxh")
            assert settings.jwks_url.endswith("/realms/noxh/protocol/openid-connect/certs")
            assert settings.token_url.endswith("/realms/noxh/protocol/openid-connect/token")
            for callee in service.calls:
                assert env[f"{service.prefix}{callee.split('-')[0].upper()}_URL"] == f"http://{callee}:8000"


def test_production_and_development_differ_where_they_should(rendered: dict[str, Rendered]) -> None:
    prod, dev = rendered["prod"], rendered["dev"]
    assert prod.get("Cluster", "noxh-pg")["spec"]["instances"] == 3
    assert dev.get("Cluster", "noxh-pg")["spec"]["instances"] == 1
    for name in SERVICES:
        assert prod.get("HorizontalPodAutoscaler", name)["spec"]["minReplicas"] >= 2
        assert prod.get("Deployment", f"{name}-worker")["spec"]["replicas"] >= 2
    assert not prod.get("ScheduledBackup", "noxh-pg-nightly")["spec"].get("suspend", False)
    assert dev.get("ScheduledBackup", "noxh-pg-nightly")["spec"]["suspend"] is True
    hosts = {r.overlay: r.get("Ingress", "noxh")["spec"]["rules"][0]["host"] for r in (prod, dev)}
    assert hosts["prod"] != hosts["dev"]
    for r in (prod, dev):
        issuer = r.config_map("noxh-platform")["data"]["oidc-issuer"]
        assert issuer == f"https://{hosts[r.overlay]}/auth/realms/noxh", (
            "the issuer is the public host's /auth"
        )
        ingress = r.get("Ingress", "noxh")["spec"]
        assert ingress["tls"][0]["hosts"] == [hosts[r.overlay]]


def test_the_operations_guide_names_every_secret_and_metric() -> None:
    guide = (REPO / "docs" / "operations.md").read_text()
    for secret in OUT_OF_BAND_SECRETS:
        assert f"`{secret}`" in guide, f"docs/operations.md does not say how to create {secret}"
    for metric in ("http_requests_total", "http_request_duration_seconds", "/readyz", "/healthz", "/metrics"):
        assert metric in guide
