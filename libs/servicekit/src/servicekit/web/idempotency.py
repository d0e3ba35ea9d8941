"""Routes that honour `Idempotency-Key`: use `APIRouter(route_class=IdempotentRoute)` for creates."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from fastapi.routing import APIRoute

from servicekit.errors import AppError, Unauthorized
from servicekit.idempotency import KEY_HEADER, ClaimOutcome, IdempotencyStore, check_key, fingerprint
from servicekit.web.problems import app_error_response

REPLAYED_HEADER = "Idempotent-Replayed"
_REPLAYED_HEADERS = ("content-type", "location", "etag")


def idempotency_key(*, required: bool) -> Callable[..., Any]:
    """A dependency that documents the header in OpenAPI and enforces it when required (400)."""

    def dependency(
        key: Annotated[
            str | None,
            Header(
                alias=KEY_HEADER, description="A unique key (a UUID) per intended action; a retry reuses it."
            ),
        ] = None,
    ) -> str | None:
        return check_key(key, required=required)

    return dependency


IdempotencyKeyRequired = Annotated[str | None, Depends(idempotency_key(required=True))]
IdempotencyKeyOptional = Annotated[str | None, Depends(idempotency_key(required=False))]


class IdempotentRoute(APIRoute):
    """POSTs carrying an Idempotency-Key run once per key and caller; repeats get the first answer."""

    def seal_answer(self, request: Request, body: str) -> str:
        """What is kept of a 2xx answer for replays; a subclass encrypts answers that carry a secret."""
        return body

    def unseal_answer(self, request: Request, stored: str) -> str:
        """The answer to replay, from what `seal_answer` kept."""
        return stored

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            raw_key = request.headers.get(KEY_HEADER)
            if request.method != "POST" or raw_key is None:
                return await original(request)
            try:
                key = check_key(raw_key, required=True)
                owner = await _owner(request)
            except AppError as exc:
                return app_error_response(request, exc)
            if owner is None or key is None:
                return await original(request)  # the route's own auth answers 401
            store = IdempotencyStore(request.app.state.sessionmaker, request.app.state.idempotency_model)
            body = await request.body()
            try:
                claim = await store.claim(
                    owner=owner,
                    key=key,
                    method=request.method,
                    path=request.url.path,
                    print_=fingerprint(request.method, request.url.path, body),
                )
            except AppError as exc:
                return app_error_response(request, exc)
            if claim.outcome is ClaimOutcome.REPLAY:
                headers = dict(claim.headers or {})
                headers[REPLAYED_HEADER] = "true"
                content = self.unseal_answer(request, claim.body) if claim.body else ""
                return Response(content=content, status_code=claim.status or 200, headers=headers)
            try:
                response = await original(request)
            except BaseException:
                await store.release(claim.record_id)
                raise
            session = getattr(request.state, "db_session", None)
            if 200 <= response.status_code < 300 and session is not None and hasattr(response, "body"):
                headers = {k: v for k, v in response.headers.items() if k.lower() in _REPLAYED_HEADERS}
                await store.complete(
                    session,
                    claim.record_id,
                    status=response.status_code,
                    headers=headers,
                    body=self.seal_answer(request, bytes(response.body).decode()),
                )
            else:
                await store.release(claim.record_id)
            return response

        return handler


async def _owner(request: Request) -> str | None:
    """Keys are scoped per caller: the same key from two clients is two keys."""
    authorization = request.headers.get("Authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        principal = await request.app.state.token_verifier.verify(token)
    except Unauthorized:
        return None
    return f"{principal.client_id}:{principal.subject}"
