"""Issue 10 item 1, stateful: Schemathesis follows the OpenAPI links servicekit publishes from each create
to the operations on what it created (`servicekit.web.links`), with the checks `use_after_free` (a
deleted resource is gone) and `ensure_resource_availability` (a created resource can be read and
updated at once), per service, in-process (ASGI) against the committed database.

Bounded in `make test` (REL_STATEFUL_SCENARIOS scenarios of at most REL_STATEFUL_STEPS calls per
service); `make fuzz` runs it longer (REL_FUZZ_LONG).
"""

from __future__ import annotations

import os
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import pytest
import schemathesis
from committed import SERVICES, committed_database, recording, write_figure
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from reliability_matrix import COMMUNES, PROVINCE, Service, base_config, openapi
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import ensure_resource_availability, use_after_free

from servicekit.principal import Role
from servicekit.testing.tokens import TestIssuer
from servicekit.web.links import publish_links

LONG = bool(os.environ.get("REL_FUZZ_LONG"))
SCENARIOS = int(os.environ.get("REL_STATEFUL_SCENARIOS", "500" if LONG else "60"))
STEPS = int(os.environ.get("REL_STATEFUL_STEPS", "12" if LONG else "6"))
CHECKS = [use_after_free, ensure_resource_availability]
LINK_KEYS = frozenset({"operationId", "parameters", "description"})
EXPRESSION = re.compile(r"^\$(request\.path\.[\w-]+|response\.body#/[\w/]+|response\.header\.[\w-]+)$")


def declared_links(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", name, link)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict)
        for answer in op.get("responses", {}).values()
        for name, link in answer.get("links", {}).items()
    ]


@pytest.mark.parametrize("service", SERVICES, ids=[s.name for s in SERVICES])
def test_links_are_valid_openapi(service: Service) -> None:
    """Each link names an existing operationId and only parameters that operation has, in the runtime
    expression syntax of OpenAPI 3.1; every create answering 201 with an `id` and an item path is linked."""
    document = openapi(service)
    operations = {
        op["operationId"]: op
        for item in document["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
    }
    links = declared_links(document)
    assert links, "no links published"
    problems = []
    for source, name, link in links:
        target = operations.get(link.get("operationId"))
        if target is None or set(link) - LINK_KEYS or name != link["operationId"]:
            problems.append(f"{source} {name}: {link}")
            continue
        declared = {(p["in"], p["name"].lower()) for p in target.get("parameters", [])}
        for key, expression in link["parameters"].items():
            location, _, param = key.partition(".")
            if (location, param.lower()) not in declared or not EXPRESSION.match(expression):
                problems.append(f"{source} {name}: {key}={expression}")
    assert not problems, "\n".join(problems)
    write_figure(f"stateful links {service.name} {len(links)}")


def _role(operation: Any) -> str:
    roles = sorted(operation.definition.raw.get("x-roles") or [Role.PROVINCE_OFFICER.value])
    return Role.PROVINCE_OFFICER.value if Role.PROVINCE_OFFICER.value in roles else roles[0]


@dataclass
class StatefulRun:
    calls: list[tuple[str, int]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    scenarios: int = 0
    suites: int = 0
    flaky_suites: int = 0
    seconds: float = 0.0


def run_links(app: Any, headers_for: Any, *, scenarios: int, steps: int) -> StatefulRun:
    """Schemathesis' state machine over the app's declared links, with the two stateful checks."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.generation.update(modes=[GenerationMode.POSITIVE])
    # Only the links the API declares: Schemathesis' own guesses are not the API's contract.
    schema.config.phases.stateful.inference.algorithms = []
    schema = schema.exclude(path_regex="^/(healthz|readyz|metrics)$")
    run = StatefulRun()

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: Any) -> None:
            # Creates name the caller's own area, so they succeed and their links can be followed.
            if isinstance(case.body, dict):
                if "province_code" in case.body:
                    case.body["province_code"] = PROVINCE
                if "commune_code" in case.body:
                    case.body["commune_code"] = COMMUNES[0]

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": "http://testserver", "headers": headers_for(case.operation)}

        def teardown(self) -> None:
            run.scenarios += 1
            super().teardown()

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            run.calls.append((case.operation.label, response.status_code))

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            # Collected, not raised: a replay by Hypothesis would meet another database state (rows the
            # first run created), which it reports as flaky data generation and hides the finding.
            try:
                case.validate_response(
                    response, checks=CHECKS, transport_kwargs=kwargs or None, recorder=self.recorder
                )
            except (Exception, FailureGroup) as exc:  # one or more checks failed
                run.failures.append(f"{case.operation.label} -> {response.status_code}: {exc}"[:1500])

    started = time.monotonic()
    # As Schemathesis' own engine does: a replayed prefix meets rows the first run created, which
    # Hypothesis reports as flaky generation; that suite ends and the next one (another seed) goes on.
    while run.scenarios < scenarios and run.suites < 5:
        run.suites += 1
        machine = hypothesis.seed(run.suites)(Workflow)
        try:
            machine.run(
                settings=hypothesis.settings(
                    max_examples=scenarios - run.scenarios,
                    stateful_step_count=steps,
                    deadline=None,
                    database=None,
                    suppress_health_check=list(hypothesis.HealthCheck),
                    phases=[hypothesis.Phase.generate],
                )
            )
        except hypothesis.errors.Flaky:
            run.flaky_suites += 1
    run.seconds = time.monotonic() - started
    return run


@pytest.mark.parametrize("service", SERVICES, ids=[s.name for s in SERVICES])
async def test_stateful_links(service: Service, pg_admin_url: str, test_issuer: TestIssuer) -> None:
    url = await committed_database(pg_admin_url, service)
    config = base_config(service)
    # No sessionmaker: the app opens its own engine inside the test client's event loop.
    app = recording(config.app_factory(url, None, test_issuer.verifier(service.name)), service.name)  # type: ignore[arg-type]
    tokens: dict[str, str] = {}

    def headers_for(operation: Any) -> dict[str, str]:
        role = _role(operation)
        if role not in tokens:
            tokens[role] = test_issuer.token(audience=service.name, roles=[role], area_codes=[PROVINCE])
        return {"Authorization": f"Bearer {tokens[role]}"}

    run = run_links(app, headers_for, scenarios=SCENARIOS, steps=STEPS)
    targets = {
        f"{method.upper()} {path}"
        for path, item in openapi(service)["paths"].items()
        for method in item
        if path.endswith("}") and method in ("get", "put", "patch", "delete")
    }
    followed = [(label, status) for label, status in run.calls if label in targets]
    created = sum(1 for label, status in run.calls if label.startswith("POST") and status == 201)
    write_figure(
        f"stateful run {service.name} scenarios={run.scenarios} steps<={STEPS} calls={len(run.calls)}"
        f" creates_201={created} item_calls={len(followed)}"
        f" item_2xx={sum(200 <= s < 300 for _, s in followed)}"
        f" operations={len({label for label, _ in run.calls})} failures={len(run.failures)}"
        f" suites={run.suites} flaky_suites={run.flaky_suites} seconds={run.seconds:.1f}"
    )
    assert run.calls, "the state machine made no call"
    assert not run.failures, f"{len(run.failures)} stateful check failures:\n" + "\n\n".join(
        run.failures[:10]
    )


def test_the_stateful_checks_catch_a_lost_and_a_deleted_resource() -> None:
    """The run fails when the property breaks: a created thing that is not found (404 at once), and a
    deleted thing that is still served."""
    app = FastAPI()
    deleted: set[str] = set()

    class Thing(BaseModel):
        id: str

    @app.post("/v1/things", status_code=201, response_model=Thing, operation_id="things-create")
    async def create() -> Thing:
        return Thing(id=str(uuid.uuid4()))

    @app.get(
        "/v1/things/{thing_id}",
        response_model=Thing,
        operation_id="things-get",
        responses={404: {"description": "Not found"}},
    )
    async def read(thing_id: str) -> Any:
        if thing_id in deleted:
            return Thing(id=thing_id)  # served after its deletion: use after free
        return JSONResponse({"detail": "lost"}, status_code=404)  # just created, yet not found

    @app.delete("/v1/things/{thing_id}", status_code=204, operation_id="things-delete")
    async def remove(thing_id: str) -> None:
        deleted.add(thing_id)

    publish_links(app)
    run = run_links(app, lambda operation: {}, scenarios=30, steps=4)
    found = "\n".join(run.failures)
    assert "ensure_resource_availability" in found or "was just created" in found, found[:2000]
    assert "use_after_free" in found or "previously deleted" in found, found[:2000]
