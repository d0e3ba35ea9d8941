"""The webhook routes every service with webhook tables gets, under `/v1/webhooks` (tag `webhooks`).

No `from __future__ import annotations` here: the routes' annotations name the router's own
dependency (a closure), which FastAPI could not resolve from a string.
"""

import base64
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from servicekit.db.webhooks import DeliveryStatus
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.idempotency import IdempotencyKeyInvalid, IdempotencyKeyReused
from servicekit.pagination import InvalidCursor, Page
from servicekit.pii import PiiCipher
from servicekit.principal import Principal
from servicekit.web.auth import require_roles
from servicekit.web.idempotency import IdempotencyKeyOptional, IdempotentRoute
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep
from servicekit.webhooks import (
    MANAGER_ROLES,
    EventsScopeMissing,
    EventTypeNotAvailable,
    EventTypesRead,
    WebhookDeliveryInProgress,
    WebhookDeliveryNotFound,
    WebhookDeliveryRead,
    WebhookSecretRotated,
    WebhookService,
    WebhookSetup,
    WebhookSubscriptionCreate,
    WebhookSubscriptionCreated,
    WebhookSubscriptionNotFound,
    WebhookSubscriptionRead,
    WebhookSubscriptionUpdate,
    WebhookUrlRefused,
    secret_cipher,
)

WebhookManager = Annotated[Principal, Depends(require_roles(*MANAGER_ROLES))]
# Answers carrying a signing secret are kept for Idempotency-Key replays only in encrypted form.
SEALED_PREFIX = "sealed:v1:"
SEALED_CONTEXT = "webhooks.idempotent_answer"


def cipher_of(request: Request) -> PiiCipher:
    """One cipher per app, from its settings' personal-data keys."""
    cipher: PiiCipher | None = getattr(request.app.state, "webhook_cipher", None)
    if cipher is None:
        cipher = request.app.state.webhook_cipher = secret_cipher(request.app.state.settings)
    return cipher


class SealedIdempotentRoute(IdempotentRoute):
    """An idempotent route whose stored answers are encrypted: they may hold a signing secret."""

    def seal_answer(self, request: Request, body: str) -> str:
        sealed = cipher_of(request).encrypt(body, context=SEALED_CONTEXT)
        return SEALED_PREFIX + base64.b64encode(sealed).decode()

    def unseal_answer(self, request: Request, stored: str) -> str:
        if not stored.startswith(SEALED_PREFIX):
            return stored
        blob = base64.b64decode(stored.removeprefix(SEALED_PREFIX))
        return cipher_of(request).decrypt(blob, context=SEALED_CONTEXT)


def webhooks_router(setup: WebhookSetup) -> APIRouter:
    """Subscriptions (a partner's own, or all for an administrator), their secrets and delivery logs."""
    router = APIRouter(prefix="/webhooks", tags=["webhooks"], route_class=SealedIdempotentRoute)

    def service(request: Request) -> WebhookService:
        return WebhookService(setup, cipher_of(request))

    Service = Annotated[WebhookService, Depends(service)]  # noqa: N806  (a type alias)

    @router.get("/event-types", response_model=EventTypesRead, responses=error_responses(EventsScopeMissing))
    async def list_webhook_event_types(caller: WebhookManager, webhooks: Service) -> EventTypesRead:
        """The event types you may subscribe to: for partners, this service's partner-safe types only
        (no personal or household-level data); for administrators, every type."""
        return EventTypesRead(event_types=webhooks.event_types(caller))

    @router.post(
        "/subscriptions",
        status_code=201,
        response_model=WebhookSubscriptionCreated,
        responses=error_responses(
            EventsScopeMissing,
            WebhookUrlRefused,
            EventTypeNotAvailable,
            IdempotencyKeyInvalid,
            IdempotencyKeyReused,
        ),
    )
    async def create_webhook_subscription(
        body: WebhookSubscriptionCreate,
        session: SessionDep,
        caller: WebhookManager,
        webhooks: Service,
        response: Response,
        _key: IdempotencyKeyOptional,
    ) -> WebhookSubscriptionCreated:
        """Subscribe a receiver to event types. The answer carries the signing secret (`whsec_...`)
        this once; a retry with the same `Idempotency-Key` replays it. The URL must be https on a host
        of this service's allow-list (plain http only to the allowed local hosts), with no user
        information and no fragment. Partners (scope `<service>:events:read`) subscribe for
        themselves, to partner-safe types only; events are those of the areas your token covers."""
        row, secret = await webhooks.create(session, caller, body)
        set_etag(response, row.version)
        read = WebhookSubscriptionRead.model_validate(row)
        return WebhookSubscriptionCreated(**read.model_dump(), secret=secret)

    @router.get(
        "/subscriptions",
        response_model=Page[WebhookSubscriptionRead],
        responses=error_responses(EventsScopeMissing, InvalidCursor),
    )
    async def list_webhook_subscriptions(
        session: SessionDep, caller: WebhookManager, webhooks: Service, page: Pagination
    ) -> Page[WebhookSubscriptionRead]:
        """Your subscriptions (an administrator's: everyone's), oldest first. Secrets are never shown."""
        rows, next_cursor = await webhooks.list_subscriptions(session, caller, page)
        return Page(items=[WebhookSubscriptionRead.model_validate(r) for r in rows], next_cursor=next_cursor)

    @router.get(
        "/subscriptions/{subscription_id}",
        response_model=WebhookSubscriptionRead,
        responses=error_responses(EventsScopeMissing, WebhookSubscriptionNotFound),
    )
    async def get_webhook_subscription(
        subscription_id: uuid.UUID,
        session: SessionDep,
        caller: WebhookManager,
        webhooks: Service,
        response: Response,
    ) -> WebhookSubscriptionRead:
        """One subscription, with its `ETag`. Another subscriber's is a 404."""
        row = await webhooks.get(session, caller, subscription_id)
        set_etag(response, row.version)
        return WebhookSubscriptionRead.model_validate(row)

    @router.patch(
        "/subscriptions/{subscription_id}",
        response_model=WebhookSubscriptionRead,
        responses=error_responses(
            EventsScopeMissing,
            WebhookSubscriptionNotFound,
            WebhookUrlRefused,
            EventTypeNotAvailable,
            PreconditionFailed,
            PreconditionRequired,
        ),
    )
    async def update_webhook_subscription(
        subscription_id: uuid.UUID,
        body: WebhookSubscriptionUpdate,
        session: SessionDep,
        caller: WebhookManager,
        webhooks: Service,
        expected_version: IfMatchVersion,
        response: Response,
    ) -> WebhookSubscriptionRead:
        """Change the URL, the event types or the description, or pause (`active: false`) and resume.
        A paused subscription collects nothing: on resuming, delivery starts from new events (read the
        feed to catch up). Send the `ETag` you read as `If-Match`."""
        row = await webhooks.update(session, caller, subscription_id, expected_version, body)
        set_etag(response, row.version)
        return WebhookSubscriptionRead.model_validate(row)

    @router.delete(
        "/subscriptions/{subscription_id}",
        status_code=204,
        response_class=Response,
        responses=error_responses(
            EventsScopeMissing, WebhookSubscriptionNotFound, PreconditionFailed, PreconditionRequired
        ),
    )
    async def delete_webhook_subscription(
        subscription_id: uuid.UUID,
        session: SessionDep,
        caller: WebhookManager,
        webhooks: Service,
        expected_version: IfMatchVersion,
    ) -> Response:
        """Delete the subscription and its delivery log; nothing more is sent. Needs `If-Match`."""
        await webhooks.delete(session, caller, subscription_id, expected_version)
        return Response(status_code=204)

    @router.post(
        "/subscriptions/{subscription_id}/secret",
        response_model=WebhookSecretRotated,
        responses=error_responses(
            EventsScopeMissing,
            WebhookSubscriptionNotFound,
            PreconditionFailed,
            PreconditionRequired,
            IdempotencyKeyInvalid,
            IdempotencyKeyReused,
        ),
    )
    async def rotate_webhook_secret(
        subscription_id: uuid.UUID,
        session: SessionDep,
        caller: WebhookManager,
        webhooks: Service,
        expected_version: IfMatchVersion,
        response: Response,
        _key: IdempotencyKeyOptional,
    ) -> WebhookSecretRotated:
        """A new signing secret, shown this once. For `previous_secret_expires_at` (24 hours by
        default) deliveries carry two signatures, one per secret, so you can switch without losing
        any. Needs `If-Match`."""
        row, secret = await webhooks.rotate_secret(session, caller, subscription_id, expected_version)
        set_etag(response, row.version)
        assert row.previous_secret_expires_at is not None
        return WebhookSecretRotated(
            subscription_id=row.id,
            secret=secret,
            previous_secret_expires_at=row.previous_secret_expires_at,
            version=row.version,
        )

    @router.get(
        "/subscriptions/{subscription_id}/deliveries",
        response_model=Page[WebhookDeliveryRead],
        responses=error_responses(EventsScopeMissing, WebhookSubscriptionNotFound, InvalidCursor),
    )
    async def list_webhook_deliveries(
        subscription_id: uuid.UUID,
        session: SessionDep,
        caller: WebhookManager,
        webhooks: Service,
        page: Pagination,
        status: Annotated[DeliveryStatus | None, Query(description="Only deliveries in this state.")] = None,
    ) -> Page[WebhookDeliveryRead]:
        """The delivery log, newest first: each event's status (`pending`, `failed` with a retry
        scheduled at `next_attempt_at`, `succeeded`, `dead` after the last retry), attempts, the last
        HTTP status and a short error."""
        rows, next_cursor = await webhooks.list_deliveries(
            session, caller, subscription_id, page, status=status
        )
        return Page(items=[WebhookDeliveryRead.model_validate(r) for r in rows], next_cursor=next_cursor)

    @router.post(
        "/deliveries/{delivery_id}/replay",
        status_code=202,
        response_model=WebhookDeliveryRead,
        responses=error_responses(
            EventsScopeMissing,
            WebhookDeliveryNotFound,
            WebhookDeliveryInProgress,
            IdempotencyKeyInvalid,
            IdempotencyKeyReused,
        ),
    )
    async def replay_webhook_delivery(
        delivery_id: uuid.UUID,
        session: SessionDep,
        caller: WebhookManager,
        webhooks: Service,
        _key: IdempotencyKeyOptional,
    ) -> WebhookDeliveryRead:
        """Send a delivered or dead event again: a new delivery (`replay_of_id` names this one), tried
        within seconds with the full retry schedule. A delivery still being retried is a 409."""
        row = await webhooks.replay(session, caller, delivery_id)
        return WebhookDeliveryRead.model_validate(row)

    return router
