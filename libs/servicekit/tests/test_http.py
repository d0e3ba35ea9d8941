"""The service-to-service client, against upstreams stubbed at the HTTP boundary."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from servicekit.areas import AreaScope
from servicekit.context import current_principal, request_id_var
from servicekit.errors import UpstreamUnavailable
from servicekit.http import CircuitBreaker, ServiceClient, ServiceTokenProvider, UpstreamRequestError
from servicekit.principal import Principal


def client_for(handler: httpx.MockTransport, **kwargs: object) -> ServiceClient:
    http = httpx.AsyncClient(transport=handler, base_url="http://upstream.test")
    return ServiceClient("funding-api", http, **kwargs)  # type: ignore[arg-type]


class TestServiceClient:
    async def test_passes_request_id_and_acting_subject(self) -> None:
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(200, json={"ok": True})

        principal = Principal("officer-7", "noxh-spa", frozenset(), frozenset(), AreaScope.from_codes(["31"]))
        request_token = request_id_var.set("req-42")
        principal_token = current_principal.set(principal)
        try:
            response = await client_for(httpx.MockTransport(handler)).request("GET", "/v1/x")
        finally:
            request_id_var.reset(request_token)
            current_principal.reset(principal_token)
        assert response.json() == {"ok": True}
        assert seen[0].headers["x-request-id"] == "req-42"
        assert seen[0].headers["x-acting-subject"] == "officer-7"

    async def test_retries_idempotent_calls_on_503(self) -> None:
        calls = 0

        def handler(request: httpx.Request) -> httpx.Response:
            nonlocal calls
            calls += 1
            return httpx.Response(503) if calls < 3 else httpx.Response(200, json={})

        response = await client_for(httpx.MockTransport(handler), retries=2).request("GET", "/v1/x")
        assert response.status_code == 200
        assert calls == 3

    async def test_never_retries_a_post_without_idempotency_key(self) -> None:
        calls = 0

        def handler(request: httpx.Request) -> httpx.Response:
            nonlocal calls
            calls += 1
            return httpx.Response(503)

        with pytest.raises(UpstreamUnavailable) as raised:
            await client_for(httpx.MockTransport(handler)).request("POST", "/v1/x", json={})
        assert calls == 1
        assert raised.value.headers["Retry-After"]

    async def test_retries_a_post_that_carries_an_idempotency_key(self) -> None:
        calls = 0

        def handler(request: httpx.Request) -> httpx.Response:
            nonlocal calls
            calls += 1
            return httpx.Response(502) if calls == 1 else httpx.Response(201, json={})

        client = client_for(httpx.MockTransport(handler))
        response = await client.request("POST", "/v1/x", json={}, headers={"Idempotency-Key": "k1"})
        assert response.status_code == 201
        assert calls == 2

    async def test_a_slow_upstream_hits_the_total_deadline(self) -> None:
        async def handler(request: httpx.Request) -> httpx.Response:
            await asyncio.sleep(5)
            return httpx.Response(200)

        client = client_for(httpx.MockTransport(handler), deadline_s=0.2)
        with pytest.raises(UpstreamUnavailable):
            await client.request("GET", "/v1/slow")

    async def test_connection_errors_become_503(self) -> None:
        def handler(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("refused", request=request)

        with pytest.raises(UpstreamUnavailable):
            await client_for(httpx.MockTransport(handler), retries=0).request("GET", "/v1/x")

    async def test_the_breaker_opens_and_stops_calling(self) -> None:
        calls = 0

        def handler(request: httpx.Request) -> httpx.Response:
            nonlocal calls
            calls += 1
            return httpx.Response(500)

        breaker = CircuitBreaker(threshold=2, reset_after_s=60)
        client = client_for(httpx.MockTransport(handler), retries=0, breaker=breaker)
        for _ in range(2):
            with pytest.raises(UpstreamUnavailable):
                await client.request("GET", "/v1/x")
        with pytest.raises(UpstreamUnavailable) as raised:
            await client.request("GET", "/v1/x")
        assert calls == 2
        assert int(raised.value.headers["Retry-After"]) > 1

    async def test_the_breaker_half_opens_after_the_cool_down(self) -> None:
        breaker = CircuitBreaker(threshold=1, reset_after_s=0.0)
        breaker.record_failure()
        assert breaker.allow()
        breaker.record_success()
        assert breaker.opened_at is None

    async def test_a_4xx_is_a_request_error_with_the_upstream_problem(self) -> None:
        def handler(request: httpx.Request) -> httpx.Response:
            return httpx.Response(422, json={"code": "validation_failed"})

        with pytest.raises(UpstreamRequestError) as raised:
            await client_for(httpx.MockTransport(handler)).request("GET", "/v1/x")
        assert raised.value.upstream_status == 422
        assert raised.value.problem == {"code": "validation_failed"}

    async def test_a_404_is_returned_for_the_caller_to_interpret(self) -> None:
        response = await client_for(httpx.MockTransport(lambda r: httpx.Response(404))).request(
            "GET", "/v1/x"
        )
        assert response.status_code == 404


class TestServiceTokenProvider:
    async def test_fetches_once_and_caches(self) -> None:
        requests: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            requests.append(request)
            return httpx.Response(200, json={"access_token": "t1", "expires_in": 300})

        tokens = ServiceTokenProvider(
            token_url="http://issuer.test/token",
            client_id="registry-api",
            client_secret="s",
            audience="funding-api",
            client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        )
        assert await tokens.token() == "t1"
        assert await tokens.token() == "t1"
        assert len(requests) == 1
        assert b"audience=funding-api" in requests[0].content
        assert requests[0].headers["authorization"].startswith("Basic ")

    async def test_the_client_sends_the_service_token(self) -> None:
        seen: list[httpx.Request] = []

        def issuer(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json={"access_token": "svc-token", "expires_in": 300})

        def upstream(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(200, json={})

        tokens = ServiceTokenProvider(
            token_url="http://issuer.test/token",
            client_id="registry-api",
            client_secret="s",
            audience="funding-api",
            client=httpx.AsyncClient(transport=httpx.MockTransport(issuer)),
        )
        await client_for(httpx.MockTransport(upstream), tokens=tokens).request("GET", "/v1/x")
        assert seen[0].headers["authorization"] == "Bearer svc-token"
