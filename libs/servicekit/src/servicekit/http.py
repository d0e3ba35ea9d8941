"""Typed service-to-service calls: a total deadline, retries only when safe, a circuit breaker."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx

from servicekit.context import current_principal, request_id_var
from servicekit.errors import AppError, UpstreamUnavailable
from servicekit.observability import REQUEST_ID_HEADER
from servicekit.principal import ACTING_SUBJECT_HEADER
from servicekit.settings import BaseServiceSettings

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({502, 503, 504})
C = TypeVar("C", bound="ServiceClient")


class UpstreamRequestError(AppError):
    """The upstream refused our request (a 4xx): a bug or a rule on its side, not an outage."""

    status_code = 502
    code = "upstream_rejected"
    title = "A service this request needs refused it"

    def __init__(self, upstream: str, status: int, problem: Mapping[str, Any] | None) -> None:
        super().__init__(f"{upstream} answered {status}")
        self.upstream = upstream
        self.upstream_status = status
        self.problem = dict(problem or {})


class CircuitBreaker:
    """Closed -> open after `threshold` consecutive failures; half-open after `reset_after_s`."""

    def __init__(self, *, threshold: int = 5, reset_after_s: float = 15.0) -> None:
        self.threshold = threshold
        self.reset_after_s = reset_after_s
        self.failures = 0
        self.opened_at: float | None = None

    def allow(self) -> bool:
        if self.opened_at is None:
            return True
        # Half-open: let a probe through once the cool-down has passed.
        return time.monotonic() - self.opened_at >= self.reset_after_s

    def retry_after_s(self) -> int:
        if self.opened_at is None:
            return 1
        return max(1, int(self.reset_after_s - (time.monotonic() - self.opened_at)) + 1)

    def record_success(self) -> None:
        self.failures = 0
        self.opened_at = None

    def record_failure(self) -> None:
        self.failures += 1
        if self.failures >= self.threshold:
            self.opened_at = time.monotonic()


class ServiceTokenProvider:
    """This service's own client-credentials token for one audience, fetched and cached until near expiry."""

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: str,
        audience: str,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.audience = audience
        self._client = client
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        async with self._lock:
            if self._token is None or time.monotonic() > self._expires_at - 30:
                client = self._client or httpx.AsyncClient(timeout=5.0)
                try:
                    response = await client.post(
                        self.token_url,
                        data={"grant_type": "client_credentials", "audience": self.audience},
                        auth=(self.client_id, self.client_secret),
                    )
                    response.raise_for_status()
                finally:
                    if self._client is None:
                        await client.aclose()
                body = response.json()
                self._token = str(body["access_token"])
                self._expires_at = time.monotonic() + float(body.get("expires_in", 60))
            return self._token


class ServiceClient:
    """Base of the typed clients in `<service>/clients/`. Subclasses add methods returning models."""

    def __init__(
        self,
        name: str,
        http: httpx.AsyncClient,
        *,
        tokens: ServiceTokenProvider | None = None,
        deadline_s: float = 5.0,
        retries: int = 2,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.name = name
        self.http = http
        self.tokens = tokens
        self.deadline_s = deadline_s
        self.retries = retries
        self.breaker = breaker or CircuitBreaker()

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = dict(extra or {})
        request_id = request_id_var.get()
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        principal = current_principal.get()
        if principal is not None:
            headers[ACTING_SUBJECT_HEADER] = principal.acting_subject or principal.subject
        if self.tokens is not None:
            headers["Authorization"] = f"Bearer {await self.tokens.token()}"
        return headers

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send within one total deadline; 5xx and transport failures become a 503 problem."""
        method = method.upper()
        if not self.breaker.allow():
            raise UpstreamUnavailable(
                f"{self.name} is unavailable.", retry_after_s=self.breaker.retry_after_s()
            )
        safe_to_retry = method in IDEMPOTENT_METHODS or "Idempotency-Key" in (headers or {})
        attempts = 1 + (self.retries if safe_to_retry else 0)
        try:
            async with asyncio.timeout(self.deadline_s):
                response = await self._send_with_retries(method, path, attempts, json, params, headers)
        except (TimeoutError, httpx.TransportError) as exc:
            self.breaker.record_failure()
            raise UpstreamUnavailable(
                f"{self.name} did not answer in time.", retry_after_s=self.breaker.retry_after_s()
            ) from exc
        if response.status_code >= 500:
            self.breaker.record_failure()
            raise UpstreamUnavailable(f"{self.name} failed.", retry_after_s=self.breaker.retry_after_s())
        self.breaker.record_success()
        if response.status_code >= 400 and response.status_code != 404:
            try:
                problem = response.json()
            except ValueError:
                problem = None
            raise UpstreamRequestError(self.name, response.status_code, problem)
        return response

    async def _send_with_retries(
        self,
        method: str,
        path: str,
        attempts: int,
        json: Any,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
    ) -> httpx.Response:
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = await self.http.request(
                    method, path, json=json, params=params, headers=await self._headers(headers)
                )
            except httpx.TransportError:
                if last:
                    raise
            else:
                if response.status_code not in RETRYABLE_STATUSES or last:
                    return response
            # Full jitter: repeated callers do not retry in lock-step.
            await asyncio.sleep(random.uniform(0, 0.1 * 2**attempt))  # noqa: S311
        raise AssertionError("unreachable")  # pragma: no cover


def build_service_client(
    client_class: type[C],
    settings: BaseServiceSettings,
    *,
    name: str,
    base_url: str,
    transport: httpx.AsyncBaseTransport | None = None,
    token_transport: httpx.AsyncBaseTransport | None = None,
) -> C:
    """A typed client for the service `name`, calling with this service's own token (audience `name`)."""
    tokens = None
    if settings.SERVICE_CLIENT_ID and settings.SERVICE_CLIENT_SECRET:
        tokens = ServiceTokenProvider(
            token_url=settings.token_url,
            client_id=settings.SERVICE_CLIENT_ID,
            client_secret=settings.SERVICE_CLIENT_SECRET.get_secret_value(),
            audience=name,
            client=httpx.AsyncClient(transport=token_transport, timeout=settings.UPSTREAM_TIMEOUT_S),
        )
    http = httpx.AsyncClient(
        base_url=base_url.rstrip("/"), transport=transport, timeout=settings.UPSTREAM_TIMEOUT_S
    )
    return client_class(name, http, tokens=tokens, deadline_s=settings.UPSTREAM_TIMEOUT_S)
