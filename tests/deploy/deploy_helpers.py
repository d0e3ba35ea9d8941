"""What the deployment checks share: where deploy/ is, the services, and the rendered overlays."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
OVERLAYS = ("dev", "prod")
# The Kubernetes version the manifests are validated against (kubernetes-validate ships schemas for
# 1.25 to 1.37; 1.32 is the oldest version the manifests claim to support, and kubectl's own here).
K8S_VERSION = "1.32.0"
# Groups whose kinds come from operators' CRDs, which kubernetes-validate has no schemas for: these
# are checked field by field in test_postgres.py instead.
# What a container listens on (the Pod's network namespace is its own).
ALL_INTERFACES = "0.0.0.0"  # noqa: S104
CRD_GROUPS = frozenset({"postgresql.cnpg.io", "barmancloud.cnpg.io"})


@dataclass(frozen=True)
class Service:
    name: str  # also the OIDC client and the token audience
    package: str
    prefix: str  # of its settings
    database: str
    # The services it calls directly (its network egress and its token audiences).
    calls: frozenset[str] = field(default_factory=frozenset)


SERVICES = {
    "registry-api": Service(
        "registry-api", "registry_api", "REGISTRY_", "registry", frozenset({"funding-api"})
    ),
    "funding-api": Service(
        "funding-api", "funding_api", "FUNDING_", "funding", frozenset({"registry-api", "inspection-api"})
    ),
    "inspection-api": Service(
        "inspection-api",
        "inspection_api",
        "INSPECTION_",
        "inspection",
        frozenset({"registry-api", "funding-api"}),
    ),
}

# Every Secret the manifests reference, created out of band (docs/operations.md lists each one, with
# how to create it). Name -> the keys read from it.
OUT_OF_BAND_SECRETS: dict[str, frozenset[str]] = {
    "noxh-pg-registry": frozenset({"username", "password"}),
    "noxh-pg-funding": frozenset({"username", "password"}),
    "noxh-pg-inspection": frozenset({"username", "password"}),
    "registry-api-secrets": frozenset({"oidc-client-secret", "pii-encryption-key"}),
    "funding-api-secrets": frozenset({"oidc-client-secret", "pii-encryption-key"}),
    "inspection-api-secrets": frozenset({"oidc-client-secret", "pii-encryption-key"}),
    "noxh-shared-secrets": frozenset({"pii-blind-index-key"}),
    "noxh-backup-s3": frozenset({"ACCESS_KEY_ID", "ACCESS_SECRET_KEY"}),
    "noxh-evidence-s3": frozenset({"ACCESS_KEY_ID", "ACCESS_SECRET_KEY"}),
    "noxh-tls": frozenset({"tls.crt", "tls.key"}),
}


@dataclass
class Rendered:
    """One overlay's output of `kubectl kustomize`."""

    overlay: str
    docs: list[dict[str, Any]]

    @property
    def namespace(self) -> str:
        (ns,) = self.of_kind("Namespace")
        return str(ns["metadata"]["name"])

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [d for d in self.docs if d["kind"] == kind]

    def get(self, kind: str, name: str) -> dict[str, Any]:
        found = [d for d in self.of_kind(kind) if d["metadata"]["name"] == name]
        if len(found) != 1:
            raise AssertionError(f"{self.overlay}: expected one {kind} {name}, found {len(found)}")
        return found[0]

    def config_map(self, generated_name: str) -> dict[str, Any]:
        """A generated ConfigMap by the name it was generated under (Kustomize adds a hash suffix)."""
        found = [
            d for d in self.of_kind("ConfigMap") if d["metadata"]["name"].rsplit("-", 1)[0] == generated_name
        ]
        if len(found) != 1:
            raise AssertionError(f"{self.overlay}: expected one ConfigMap {generated_name}-<hash>")
        return found[0]

    def workloads(self) -> Iterator[dict[str, Any]]:
        yield from self.of_kind("Deployment")

    def containers(self, workload: dict[str, Any]) -> list[dict[str, Any]]:
        spec = workload["spec"]["template"]["spec"]
        return [*spec.get("initContainers", []), *spec["containers"]]


def run_database_name(stem: str) -> str:
    """A database name of this run's own (concurrent runs on one server set NOXH_TEST_DB_SUFFIX)."""
    suffix = os.environ.get("NOXH_TEST_DB_SUFFIX") or os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"deploy_{stem}_{suffix}"


def kubectl_path() -> str | None:
    return shutil.which("kubectl")


def render(overlay: str) -> Rendered:
    kubectl = kubectl_path()
    assert kubectl is not None
    result = subprocess.run(
        [kubectl, "kustomize", str(K8S / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"kubectl kustomize {overlay} failed:\n{result.stderr}"
    docs = [d for d in yaml.safe_load_all(result.stdout) if d]
    return Rendered(overlay, docs)


# ---------------------------------------------------------------------------------------------- Dockerfiles


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def last(self, keyword: str) -> str:
        found = self.all(keyword)
        assert found, f"no {keyword} in stage {self.name or self.base}"
        return found[-1]


def parse_dockerfile(path: Path) -> tuple[dict[str, str], list[Stage]]:
    """Global ARGs and the stages, each with its (KEYWORD, arguments) in order. Comments are dropped
    and continuation lines joined, as the Docker frontend does."""
    logical: list[str] = []
    current = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line.startswith("#") or (not line and not current):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    assert not current, "a continuation line ends the file"
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "FROM":
            parts = rest.split()
            base = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], parts[0])
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else None
            stages.append(Stage(base, name))
        elif not stages:
            assert keyword == "ARG", f"only ARG may precede the first FROM, not {keyword}"
            key, _, value = rest.partition("=")
            args[key] = value
        else:
            stages[-1].instructions.append((keyword, rest))
    return args, stages


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list), "exec form (a JSON array), so signals reach the process"
    return [str(v) for v in value]


def env_of(stage: Stage) -> dict[str, str]:
    env: dict[str, str] = {}
    for args in stage.all("ENV"):
        for item in shlex.split(args):
            key, _, value = item.partition("=")
            env[key] = value
    return env


def copies(stage: Stage) -> list[tuple[list[str], str]]:
    """(sources, destination) of the COPY instructions that read the build context."""
    result = []
    for args in stage.all("COPY"):
        parts = [p for p in shlex.split(args) if not p.startswith("--")]
        if any(p.startswith("--from=") for p in shlex.split(args)):
            continue
        result.append((parts[:-1], parts[-1]))
    return result


def _ignore_patterns() -> list[tuple[bool, re.Pattern[str]]]:
    patterns = []
    for raw in (REPO / ".dockerignore").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        regex = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex += "(?:.*/)?"
                i += 3
            elif pattern.startswith("**", i):
                regex += ".*"
                i += 2
            elif pattern[i] == "*":
                regex += "[^/]*"
                i += 1
            elif pattern[i] == "?":
                regex += "[^/]"
                i += 1
            else:
                regex += re.escape(pattern[i])
                i += 1
        patterns.append((negated, re.compile(regex + "$")))
    return patterns


def excluded(path: str) -> bool:
    """Would the build context leave out `path` (relative to the repository root)? A path is out when it
    or a folder above it matches; the last matching pattern wins (`!` brings a path back)."""
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    result = False
    for negated, regex in _ignore_patterns():
        if any(regex.match(prefix) for prefix in prefixes):
            result = not negated
    return result
