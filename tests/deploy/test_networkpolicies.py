"""The NetworkPolicies, evaluated: who can open a connection to whom, on which port.

A small evaluator of the Kubernetes semantics (a connection needs an egress rule at the source and an
ingress rule at the destination whenever a policy of that direction selects the pod; peers by pod
labels within the namespace, or by namespace labels across namespaces) is run over the rendered
policies for every pair of workloads, and compared with the call graph the architecture describes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from deploy_helpers import SERVICES, Rendered


@dataclass(frozen=True)
class Endpoint:
    """A pod (its labels) in a namespace (its labels)."""

    labels: dict[str, str]
    namespace: str
    namespace_labels: dict[str, str] = field(default_factory=dict)


def _selects(selector: dict[str, Any] | None, labels: dict[str, str]) -> bool:
    if selector is None:
        return True
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        present = key in labels
        if operator == "In" and not (present and labels[key] in values):
            return False
        if operator == "NotIn" and present and labels[key] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True


def _peer_matches(peer: dict[str, Any], other: Endpoint, policy_namespace: str) -> bool:
    if "ipBlock" in peer:
        return False  # no rule here addresses pods by IP
    if "namespaceSelector" in peer:
        in_namespace = _selects(peer["namespaceSelector"], other.namespace_labels)
    else:
        in_namespace = other.namespace == policy_namespace
    return in_namespace and _selects(peer.get("podSelector"), other.labels)


def _port_matches(rule: dict[str, Any], port: int, protocol: str) -> bool:
    ports = rule.get("ports")
    if not ports:
        return True
    return any(p.get("port") == port and p.get("protocol", "TCP") == protocol for p in ports)


def _allowed(
    policies: list[dict[str, Any]], pod: Endpoint, other: Endpoint, port: int, protocol: str, direction: str
) -> bool:
    """Does `pod` let `other` in (Ingress) / out to `other` (Egress) on this port?"""
    kind, peers_key = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
    selecting = [
        p
        for p in policies
        if p["metadata"]["namespace"] == pod.namespace
        and direction in p["spec"].get("policyTypes", ["Ingress"])
        and _selects(p["spec"]["podSelector"], pod.labels)
    ]
    if not selecting:
        return True
    for policy in selecting:
        for rule in policy["spec"].get(kind) or []:
            peers = rule.get(peers_key)
            peer_ok = not peers or any(
                _peer_matches(p, other, policy["metadata"]["namespace"]) for p in peers
            )
            if peer_ok and _port_matches(rule, port, protocol):
                return True
    return False


def can_connect(
    policies: list[dict[str, Any]], source: Endpoint, target: Endpoint, port: int, protocol: str = "TCP"
) -> bool:
    return _allowed(policies, source, target, port, protocol, "Egress") and _allowed(
        policies, target, source, port, protocol, "Ingress"
    )


def _outside(namespace: str, **labels: str) -> Endpoint:
    return Endpoint(labels, namespace, {"kubernetes.io/metadata.name": namespace})


@pytest.fixture
def network(overlay: Rendered) -> tuple[list[dict[str, Any]], dict[str, Endpoint]]:
    namespace = overlay.namespace
    ns_labels = {"kubernetes.io/metadata.name": namespace}
    pods = {
        d["metadata"]["name"]: Endpoint(d["spec"]["template"]["metadata"]["labels"], namespace, ns_labels)
        for d in overlay.of_kind("Deployment")
    }
    # CloudNativePG labels its instance pods with the cluster's name.
    pods["postgres"] = Endpoint(
        {"cnpg.io/cluster": "noxh-pg", "cnpg.io/podRole": "instance"}, namespace, ns_labels
    )
    pods["stranger"] = Endpoint({"app.kubernetes.io/name": "debug-shell"}, namespace, ns_labels)
    return overlay.of_kind("NetworkPolicy"), pods


# Who calls whom (docs/architecture.md): inspection-api -> registry-api and funding-api,
# funding-api -> registry-api and inspection-api, registry-api -> funding-api; the gateway -> every API.
CALLERS = {name: {other for other, s in SERVICES.items() if name in s.calls} for name in SERVICES}


def test_each_api_is_reachable_only_from_the_gateway_and_its_callers(network: Any) -> None:
    policies, pods = network
    for target in SERVICES:
        allowed = {
            source
            for source, endpoint in pods.items()
            if source != target and can_connect(policies, endpoint, pods[target], 8000)
        }
        expected = {"gateway"} | CALLERS[target] | {f"{caller}-worker" for caller in CALLERS[target]}
        assert allowed == expected, target
    assert {
        "registry-api": {"funding-api", "inspection-api"},
        "funding-api": {"registry-api", "inspection-api"},
        "inspection-api": {"funding-api"},
    } == CALLERS


def test_workers_and_the_database_accept_no_stray_connections(network: Any) -> None:
    policies, pods = network
    for name in SERVICES:
        worker = pods[f"{name}-worker"]
        assert not any(can_connect(policies, pods[s], worker, 8000) for s in pods if s != f"{name}-worker")
    database_clients = {s for s in pods if can_connect(policies, pods[s], pods["postgres"], 5432)}
    assert database_clients == {*SERVICES, *(f"{name}-worker" for name in SERVICES), "postgres"}
    # The operator manages the instances; nobody else outside the namespace gets in.
    assert can_connect(policies, _outside("cnpg-system", app="cloudnative-pg"), pods["postgres"], 8000)
    assert not can_connect(policies, _outside("default", app="x"), pods["postgres"], 5432)


def test_the_gateway_is_reached_from_the_ingress_controller_and_reaches_the_apis_and_the_issuer(
    network: Any,
) -> None:
    policies, pods = network
    controller = _outside("ingress-nginx", **{"app.kubernetes.io/name": "ingress-nginx"})
    assert can_connect(policies, controller, pods["gateway"], 8080)
    assert not can_connect(policies, controller, pods["registry-api"], 8000)
    assert not can_connect(policies, _outside("default", app="x"), pods["gateway"], 8080)
    keycloak = _outside("keycloak", app="keycloak")
    assert can_connect(policies, pods["gateway"], keycloak, 8080)
    assert not can_connect(policies, pods["gateway"], pods["postgres"], 5432)


def test_every_pod_resolves_names_and_the_services_reach_the_issuer(network: Any) -> None:
    policies, pods = network
    dns = _outside("kube-system", **{"k8s-app": "kube-dns"})
    keycloak = _outside("keycloak", app="keycloak")
    for name, endpoint in pods.items():
        assert _allowed(policies, endpoint, dns, 53, "UDP", "Egress"), name
    for name in SERVICES:
        for pod in (name, f"{name}-worker"):
            assert can_connect(policies, pods[pod], keycloak, 8080), pod
    assert not _allowed(policies, pods["stranger"], keycloak, 8080, "TCP", "Egress")


def test_default_deny_covers_everything_else(network: Any) -> None:
    policies, pods = network
    internet = _outside("elsewhere")
    for name, endpoint in pods.items():
        if name == "postgres":
            continue  # its egress (API server, object store) is open on purpose; see networkpolicy.yaml
        assert not _allowed(policies, endpoint, internet, 443, "TCP", "Egress"), name
    assert not any(can_connect(policies, pods["stranger"], pods[t], 8000) for t in SERVICES)


def test_prometheus_scrapes_the_apis_only(network: Any) -> None:
    policies, pods = network
    prometheus = _outside("monitoring", **{"app.kubernetes.io/name": "prometheus"})
    for name in SERVICES:
        assert can_connect(policies, prometheus, pods[name], 8000)
        assert not can_connect(policies, prometheus, pods[f"{name}-worker"], 8000)
    assert can_connect(policies, prometheus, pods["postgres"], 9187)


def test_only_the_workers_may_post_webhooks_to_the_internet_on_https(overlay: Rendered) -> None:
    """The evaluator above ignores ipBlock peers, so the delivery rule is checked as written."""
    policies = {p["metadata"]["name"]: p for p in overlay.of_kind("NetworkPolicy")}
    policy = policies["allow-webhook-delivery-egress"]
    selector = policy["spec"]["podSelector"]
    worker = {"app.kubernetes.io/component": "worker"}
    api = {"app.kubernetes.io/component": "api"}
    for name in SERVICES:
        assert _selects(selector, {"app.kubernetes.io/name": name, **worker}), name
        assert not _selects(selector, {"app.kubernetes.io/name": name, **api}), name
    assert not _selects(selector, {"app.kubernetes.io/name": "gateway"})
    assert policy["spec"]["policyTypes"] == ["Egress"]
    (rule,) = policy["spec"]["egress"]
    assert rule["ports"] == [{"protocol": "TCP", "port": 443}]
    (peer,) = rule["to"]
    # Private ranges and the cloud metadata address stay closed: a receiver URL cannot reach inside.
    assert {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"} <= set(
        peer["ipBlock"]["except"]
    )
