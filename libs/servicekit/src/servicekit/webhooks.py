"""Webhooks (Standard Webhooks): subscriptions, signatures, the receivers' allow-list, the retry policy.

A subscriber (a partner client for itself, or an administrator) names a URL and the event types it
wants; the service's worker fans new outbox events out into deliveries and POSTs them, signed
(`servicekit.webhook_delivery`). This module is framework-free: the routes are in
`servicekit.web.webhooks`.

Signatures follow https://www.standardwebhooks.com: headers `webhook-id` (the event id),
`webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256>` of
`"{id}.{timestamp}.{body}"`, keyed with the base64-decoded part of the `whsec_...` secret. During a
secret rotation's grace period both secrets sign: the header then holds two space-separated
signatures.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import os
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from sqlalchemy import ColumnElement, Select, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.audit import record_access
from servicekit.concurrency import check_version
from servicekit.db.platform import PlatformModels
from servicekit.db.webhooks import (
    DUE_STATUSES,
    DeliveryStatus,
    WebhookDeliveryMixin,
    WebhookSubscriptionMixin,
)
from servicekit.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from servicekit.outbox import EventCatalogue, events_scope
from servicekit.pagination import InvalidCursor, PageParams, decode_cursor, encode_cursor
from servicekit.pii import PiiCipher
from servicekit.principal import Principal, Role
from servicekit.schemas import ReadModel, WriteModel
from servicekit.settings import BaseServiceSettings

SECRET_PREFIX = "whsec_"  # noqa: S105  (the format's prefix, not a secret)
SECRET_BYTES = 32
# Bound to the ciphertext: a secret's ciphertext cannot be moved to another column and decrypted there.
SECRET_CONTEXT = "webhook_subscription.secret"  # noqa: S105
SIGNATURE_VERSION = "v1"
# Receivers should refuse a message whose timestamp is further than this from their clock.
TIMESTAMP_TOLERANCE_S = 300
# The outbox position below which every transaction has finished (as `servicekit.outbox.read_feed`).
HORIZON = text("(pg_snapshot_xmin(pg_current_snapshot())::text)::bigint")
MANAGER_ROLES = (Role.PARTNER, Role.ADMINISTRATOR)


# ---------------------------------------------------------------------------------------- signing


def new_secret() -> str:
    """`whsec_` and the base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(os.urandom(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_...` secret: its base64 part, decoded."""
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)


def sign(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    """`v1,<base64(HMAC-SHA256(key, "{msg_id}.{timestamp}.{body}"))>`."""
    digest = hmac.new(secret_key(secret), f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def webhook_headers(secrets: Sequence[str], msg_id: str, timestamp: int, body: str) -> dict[str, str]:
    """The Standard Webhooks headers for one attempt; one signature per secret, space-separated."""
    if not secrets:
        raise ValueError("a webhook needs at least one secret to be signed")
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(sign(s, msg_id, timestamp, body) for s in secrets),
    }


def verify_signature(
    secret: str,
    headers: Mapping[str, str],
    body: str,
    *,
    now: float | None = None,
    tolerance_s: int = TIMESTAMP_TOLERANCE_S,
) -> bool:
    """What a receiver does: the timestamp is recent and one `v1` signature matches (constant time)."""
    lower = {k.lower(): v for k, v in headers.items()}
    msg_id, stamp, signatures = (
        lower.get("webhook-id"),
        lower.get("webhook-timestamp"),
        lower.get("webhook-signature"),
    )
    if not msg_id or not stamp or not signatures or not stamp.isdigit():
        return False
    if abs((time.time() if now is None else now) - int(stamp)) > tolerance_s:
        return False
    expected = sign(secret, msg_id, int(stamp), body).encode()
    return any(hmac.compare_digest(expected, candidate.encode()) for candidate in signatures.split())


# ---------------------------------------------------------------------------------------- errors


class WebhookSubscriptionNotFound(NotFound):
    code = "webhook_subscription_not_found"
    title = "No such webhook subscription"


class WebhookDeliveryNotFound(NotFound):
    code = "webhook_delivery_not_found"
    title = "No such webhook delivery"


class WebhookUrlRefused(Unprocessable):
    code = "webhook_url_refused"
    title = "The webhook URL is not allowed"


class EventTypeNotAvailable(Unprocessable):
    code = "event_type_not_available"
    title = "An event type is unknown or not available to you"


class WebhookDeliveryInProgress(Conflict):
    code = "webhook_delivery_in_progress"
    title = "This delivery is still being attempted"


class EventsScopeMissing(Forbidden):
    code = "events_scope_missing"
    title = "This needs the service's events scope"


# ---------------------------------------------------------------------------------------- policies

_HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_HOST_LABEL}(?:\.{_HOST_LABEL})*$")


def host_matches(host: str, pattern: str) -> bool:
    """`hooks.example.vn` matches itself; `*.example.vn` matches any name under example.vn (not the
    apex). IP addresses match only themselves."""
    pattern = pattern.strip().lower().rstrip(".")
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


@dataclass(frozen=True)
class TargetPolicy:
    """Where receivers may be: https to the allowed hosts, plain http only to `http_hosts`."""

    https_hosts: tuple[str, ...] = ()
    http_hosts: tuple[str, ...] = ()

    def check(self, url: str, *, pointer: str = "/body/url") -> str:
        """The URL, if a receiver may be there; else a 422 pointing at `pointer`. Parses only: no DNS."""

        def refuse(code: str, message: str) -> WebhookUrlRefused:
            return WebhookUrlRefused(
                message, errors=[FieldError(pointer=pointer, code=code, message=message)]
            )

        if not url or any(ord(ch) <= 0x20 or ord(ch) >= 0x7F for ch in url):
            raise refuse(
                "url_invalid", "An absolute URL of visible ASCII characters (IDN hosts in punycode)."
            )
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise refuse("url_invalid", "Not a valid URL.") from None
        scheme = parts.scheme.lower()
        if scheme not in ("https", "http"):
            raise refuse("url_scheme", "Only https URLs (or http to an explicitly allowed host).")
        if "@" in parts.netloc:
            raise refuse("url_credentials", "A URL may not carry a user name or password.")
        if "#" in url:
            raise refuse("url_fragment", "A URL may not carry a fragment (#...).")
        host = (parts.hostname or "").rstrip(".")
        if not host or not _valid_host(host) or port == 0:
            raise refuse("url_invalid", "The URL names no valid host.")
        if scheme == "http" and not any(host_matches(host, p) for p in self.http_hosts):
            raise refuse("url_https_required", "Use https: plain http is allowed only to a few local hosts.")
        allowed = (*self.https_hosts, *self.http_hosts)
        if not any(host_matches(host, p) for p in allowed):
            raise refuse("url_host_not_allowed", f"Receivers on {host} are not on this service's allow-list.")
        return url


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return _HOST_NAME.match(host) is not None
    return True


@dataclass(frozen=True)
class DeliveryPolicy:
    """How deliveries are attempted: time per attempt, attempts at once, the retry schedule."""

    timeout_s: float = 5.0
    concurrency: int = 8
    retry_schedule_s: tuple[float, ...] = (5, 30, 120, 600, 3600, 21600, 43200)
    every_s: float = 5.0
    secret_grace_s: float = 86400.0
    # Due deliveries taken per run, and at most this many of one subscription, so a dead receiver's
    # backlog never fills a run.
    batch_size: int = 50
    per_subscription: int = 4

    def __post_init__(self) -> None:
        if self.timeout_s <= 0 or self.concurrency < 1 or any(d <= 0 for d in self.retry_schedule_s):
            raise ValueError("webhook timeout, concurrency and retry delays must be positive")

    @property
    def max_attempts(self) -> int:
        return len(self.retry_schedule_s) + 1

    def retry_delay_s(self, attempts_made: int) -> float | None:
        """The wait before the next attempt after `attempts_made` failed ones; None: give up (dead)."""
        if attempts_made < 1:
            raise ValueError("at least one attempt was made before a retry")
        if attempts_made > len(self.retry_schedule_s):
            return None
        return self.retry_schedule_s[attempts_made - 1]


def target_policy(settings: BaseServiceSettings) -> TargetPolicy:
    return TargetPolicy(https_hosts=settings.WEBHOOK_ALLOWED_HOSTS, http_hosts=settings.webhook_http_hosts)


def delivery_policy(settings: BaseServiceSettings) -> DeliveryPolicy:
    return DeliveryPolicy(
        timeout_s=settings.WEBHOOK_TIMEOUT_S,
        concurrency=settings.WEBHOOK_CONCURRENCY,
        retry_schedule_s=settings.WEBHOOK_RETRY_SCHEDULE_S,
        every_s=settings.WEBHOOK_EVERY_S,
        secret_grace_s=settings.WEBHOOK_SECRET_GRACE_S,
    )


def secret_cipher(settings: BaseServiceSettings) -> PiiCipher:
    """Secrets are encrypted with the service's personal-data key (they must be readable to sign)."""
    return PiiCipher(
        encryption_secret=settings.PII_ENCRYPTION_KEY.get_secret_value(),
        blind_index_secret=settings.PII_BLIND_INDEX_KEY.get_secret_value(),
    )


# ---------------------------------------------------------------------------------------- schemas

EventType = Annotated[str, Field(min_length=1, max_length=80, examples=["housing_project.created"])]


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may be left out, but not null")
    return value


class WebhookSubscriptionCreate(WriteModel):
    url: str = Field(
        min_length=1, max_length=2000, examples=["https://hooks.example.vn/noxh"], description="Receiver."
    )
    event_types: list[EventType] = Field(
        min_length=1, max_length=100, description="Types to receive: see `GET /v1/webhooks/event-types`."
    )
    description: str | None = Field(default=None, max_length=500)


class WebhookSubscriptionUpdate(WriteModel):
    """Fields left out stay as they are. Reactivating starts from new events (none are backfilled)."""

    url: str | None = Field(default=None, min_length=1, max_length=2000)
    event_types: list[EventType] | None = Field(default=None, min_length=1, max_length=100)
    active: bool | None = None
    description: str | None = Field(default=None, max_length=500)

    _present = field_validator("url", "event_types", "active")(_not_null)


class WebhookSubscriptionRead(ReadModel):
    id: uuid.UUID
    url: str
    event_types: list[str]
    description: str | None
    active: bool
    owner_subject: str
    owner_client: str | None
    partner_safe_only: bool = Field(description="Owned by a partner: only partner-safe types are delivered.")
    area_codes: list[str] = Field(description="Only events of these areas are delivered.")
    secret_rotated_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


class WebhookSubscriptionCreated(WebhookSubscriptionRead):
    secret: str = Field(
        description="The signing secret (`whsec_...`), shown this once: keep it in your secret store.",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )


class WebhookSecretRotated(ReadModel):
    subscription_id: uuid.UUID
    secret: str = Field(description="The new signing secret, shown this once.")
    previous_secret_expires_at: datetime = Field(
        description="Until then deliveries carry a signature with the old secret too."
    )
    version: int


class WebhookDeliveryRead(ReadModel):
    id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None = Field(description="Short, never a response body or a secret.")
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    replay_of_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class EventTypesRead(ReadModel):
    event_types: list[str] = Field(description="The types you may subscribe to and read in the feed.")


# ---------------------------------------------------------------------------------------- service


@dataclass(frozen=True)
class WebhookSetup:
    """What the webhook operations of one service need: its tables, event catalogue and policies."""

    subscription: type[WebhookSubscriptionMixin]
    delivery: type[WebhookDeliveryMixin]
    audit: Any  # the service's AuditRecordMixin model
    catalogue: EventCatalogue
    events_scope: str
    target: TargetPolicy
    policy: DeliveryPolicy

    @classmethod
    def of(
        cls,
        models: PlatformModels,
        catalogue: EventCatalogue,
        *,
        events_scope: str,
        target: TargetPolicy,
        policy: DeliveryPolicy,
    ) -> WebhookSetup:
        if models.webhook_subscription is None or models.webhook_delivery is None:
            raise ValueError("the service declares no webhook tables")
        return cls(
            models.webhook_subscription,
            models.webhook_delivery,
            models.audit,
            catalogue,
            events_scope,
            target,
            policy,
        )


def webhook_setup(
    models: PlatformModels, catalogue: EventCatalogue, settings: BaseServiceSettings
) -> WebhookSetup:
    """A service's webhook configuration, from its tables, event catalogue and settings."""
    return WebhookSetup.of(
        models,
        catalogue,
        events_scope=events_scope(settings.SERVICE_NAME),
        target=target_policy(settings),
        policy=delivery_policy(settings),
    )


SUBSCRIPTION_KEYS = ["webhook_subscription.id"]
DELIVERY_KEYS = ["webhook_delivery.id.desc"]


def is_partner(principal: Principal) -> bool:
    return Role.PARTNER in principal.roles


def is_administrator(principal: Principal) -> bool:
    return Role.ADMINISTRATOR in principal.roles and not is_partner(principal)


def check_events_scope(principal: Principal, scope: str) -> None:
    """Partners need the service's events scope for its feed and its webhooks."""
    if is_partner(principal) and scope not in principal.scopes:
        raise EventsScopeMissing(f"Partners need the {scope} scope.")


def visible_types(catalogue: EventCatalogue, *, partner: bool) -> frozenset[str]:
    return catalogue.partner_safe if partner else catalogue.types


def _check_types(types: Sequence[str], allowed: frozenset[str]) -> list[str]:
    errors = [
        FieldError(pointer=f"/body/event_types/{i}", code="event_type_not_available", message="not available")
        for i, t in enumerate(types)
        if t not in allowed
    ]
    if errors:
        raise EventTypeNotAvailable(
            "Subscribe only to the types `GET /v1/webhooks/event-types` lists for you.", errors=errors
        )
    return sorted(set(types))


def _uuid_cursor(keys: list[str], cursor: str) -> uuid.UUID:
    (value,) = decode_cursor(keys, cursor)
    if not isinstance(value, uuid.UUID):
        raise InvalidCursor("Start again from the first page.")
    return value


class WebhookService:
    """Subscriptions and the delivery log. A partner manages its own, an administrator all of them."""

    def __init__(self, setup: WebhookSetup, cipher: PiiCipher) -> None:
        self.setup = setup
        self._cipher = cipher

    def event_types(self, principal: Principal) -> list[str]:
        check_events_scope(principal, self.setup.events_scope)
        return sorted(visible_types(self.setup.catalogue, partner=is_partner(principal)))

    def _owned(self, principal: Principal) -> ColumnElement[bool] | None:
        """None for administrators (every subscription); else the caller's own."""
        if is_administrator(principal):
            return None
        return self.setup.subscription.owner_subject == principal.subject

    async def create(
        self, session: AsyncSession, principal: Principal, data: WebhookSubscriptionCreate
    ) -> tuple[WebhookSubscriptionMixin, str]:
        check_events_scope(principal, self.setup.events_scope)
        url = self.setup.target.check(data.url)
        partner = is_partner(principal)
        types = _check_types(data.event_types, visible_types(self.setup.catalogue, partner=partner))
        secret = new_secret()
        position = await session.scalar(select(HORIZON))
        subscription = self.setup.subscription(  # type: ignore[call-arg]
            owner_subject=principal.subject,
            owner_client=principal.client_id or None,
            partner_safe_only=partner,
            area_codes=sorted(principal.area.provinces | principal.area.communes),
            url=url,
            event_types=types,
            description=data.description,
            active=True,
            secret_ciphertext=self._cipher.encrypt(secret, context=SECRET_CONTEXT),
            # From events of transactions still running now on: nothing older is backfilled.
            cursor_tx_id=int(position or 0),
            cursor_seq=0,
        )
        session.add(subscription)
        await session.flush()
        return subscription, secret

    async def list_subscriptions(
        self, session: AsyncSession, principal: Principal, page: PageParams
    ) -> tuple[list[WebhookSubscriptionMixin], str | None]:
        check_events_scope(principal, self.setup.events_scope)
        model = self.setup.subscription
        stmt = select(model)
        owned = self._owned(principal)
        if owned is not None:
            stmt = stmt.where(owned)
        if page.cursor:
            stmt = stmt.where(model.id > _uuid_cursor(SUBSCRIPTION_KEYS, page.cursor))
        rows = list((await session.execute(stmt.order_by(model.id).limit(page.limit + 1))).scalars())
        if len(rows) <= page.limit:
            return rows, None
        rows = rows[: page.limit]
        return rows, encode_cursor(SUBSCRIPTION_KEYS, (rows[-1].id,))

    async def get(
        self,
        session: AsyncSession,
        principal: Principal,
        subscription_id: uuid.UUID,
        *,
        for_update: bool = False,
    ) -> WebhookSubscriptionMixin:
        """Another subscriber's subscription is a 404, as one that does not exist."""
        check_events_scope(principal, self.setup.events_scope)
        model = self.setup.subscription
        stmt: Select[Any] = select(model).where(model.id == subscription_id)
        owned = self._owned(principal)
        if owned is not None:
            stmt = stmt.where(owned)
        if for_update:
            stmt = stmt.with_for_update()
        row: WebhookSubscriptionMixin | None = (await session.execute(stmt)).scalar_one_or_none()
        if row is None:
            raise WebhookSubscriptionNotFound(f"No webhook subscription {subscription_id} of yours.")
        return row

    async def update(
        self,
        session: AsyncSession,
        principal: Principal,
        subscription_id: uuid.UUID,
        expected_version: int,
        data: WebhookSubscriptionUpdate,
    ) -> WebhookSubscriptionMixin:
        row = await self.get(session, principal, subscription_id, for_update=True)
        check_version(row.version, expected_version)
        changes = data.model_dump(exclude_unset=True)
        if "url" in changes:
            row.url = self.setup.target.check(changes["url"])
        if "event_types" in changes:
            allowed = visible_types(self.setup.catalogue, partner=row.partner_safe_only)
            row.event_types = _check_types(changes["event_types"], allowed)
        if "description" in changes:
            row.description = changes["description"]
        if "active" in changes and changes["active"] != row.active:
            row.active = changes["active"]
            if row.active:
                # Paused subscriptions collect nothing: start again from events of now on.
                row.cursor_tx_id, row.cursor_seq = int(await session.scalar(select(HORIZON)) or 0), 0
        if principal.subject == row.owner_subject:
            # The owner's areas may have changed since it subscribed: its current token decides.
            row.area_codes = sorted(principal.area.provinces | principal.area.communes)
        await session.flush()
        await session.refresh(row)  # updated_at is set by the database
        return row

    async def delete(
        self, session: AsyncSession, principal: Principal, subscription_id: uuid.UUID, expected_version: int
    ) -> None:
        row = await self.get(session, principal, subscription_id, for_update=True)
        check_version(row.version, expected_version)
        # The delivery log goes with it (ON DELETE CASCADE); the audit trail keeps the subscription.
        await session.delete(row)
        await session.flush()

    async def rotate_secret(
        self, session: AsyncSession, principal: Principal, subscription_id: uuid.UUID, expected_version: int
    ) -> tuple[WebhookSubscriptionMixin, str]:
        row = await self.get(session, principal, subscription_id, for_update=True)
        check_version(row.version, expected_version)
        secret = new_secret()
        now = await session.scalar(select(func.now()))
        assert now is not None
        row.previous_secret_ciphertext = row.secret_ciphertext
        row.previous_secret_expires_at = now + timedelta(seconds=self.setup.policy.secret_grace_s)
        row.secret_ciphertext = self._cipher.encrypt(secret, context=SECRET_CONTEXT)
        row.secret_rotated_at = now
        # The update bumps the version (the ETag); the secret columns stay out of the audit rows, so
        # the rotation is audited by name.
        await session.flush()
        await session.refresh(row)
        await record_access(
            session,
            self.setup.audit,
            action="rotate_secret",
            resource_type=self.setup.subscription.__tablename__,  # type: ignore[attr-defined]
            resource_id=str(row.id),
            detail={"previous_secret_expires_at": row.previous_secret_expires_at},
        )
        return row, secret

    async def list_deliveries(
        self,
        session: AsyncSession,
        principal: Principal,
        subscription_id: uuid.UUID,
        page: PageParams,
        *,
        status: DeliveryStatus | None = None,
    ) -> tuple[list[WebhookDeliveryMixin], str | None]:
        """Newest first."""
        await self.get(session, principal, subscription_id)
        model = self.setup.delivery
        stmt = select(model).where(model.subscription_id == subscription_id)
        if status is not None:
            stmt = stmt.where(model.status == status.value)
        if page.cursor:
            stmt = stmt.where(model.id < _uuid_cursor(DELIVERY_KEYS, page.cursor))
        rows = list((await session.execute(stmt.order_by(model.id.desc()).limit(page.limit + 1))).scalars())
        if len(rows) <= page.limit:
            return rows, None
        rows = rows[: page.limit]
        return rows, encode_cursor(DELIVERY_KEYS, (rows[-1].id,))

    async def replay(
        self, session: AsyncSession, principal: Principal, delivery_id: uuid.UUID
    ) -> WebhookDeliveryMixin:
        """A fresh delivery of the same event, attempted at once; the original stays in the log."""
        check_events_scope(principal, self.setup.events_scope)
        model = self.setup.delivery
        original = await session.get(model, delivery_id)
        if original is None:
            raise WebhookDeliveryNotFound(f"No webhook delivery {delivery_id} of yours.")
        try:
            subscription = await self.get(session, principal, original.subscription_id)
        except WebhookSubscriptionNotFound:
            raise WebhookDeliveryNotFound(f"No webhook delivery {delivery_id} of yours.") from None
        if original.status in DUE_STATUSES:
            raise WebhookDeliveryInProgress(
                "This delivery is still being attempted; replay it once it has succeeded or is dead."
            )
        now = await session.scalar(select(func.now()))
        replay = model(  # type: ignore[call-arg]
            subscription_id=subscription.id,
            event_id=original.event_id,
            event_type=original.event_type,
            body=original.body,
            status=DeliveryStatus.PENDING.value,
            attempts=0,
            next_attempt_at=now,
            replay_of_id=original.id,
        )
        session.add(replay)
        await session.flush()
        await record_access(
            session,
            self.setup.audit,
            action="replay",
            resource_type=model.__tablename__,  # type: ignore[attr-defined]
            resource_id=str(replay.id),
            detail={
                "replay_of_id": original.id,
                "subscription_id": subscription.id,
                "event_id": original.event_id,
                "event_type": original.event_type,
            },
        )
        await session.refresh(replay)
        return replay


def subscription_secrets(cipher: PiiCipher, row: WebhookSubscriptionMixin, now: datetime) -> list[str]:
    """The secrets that sign now: the current one, and the previous one during its grace period."""
    secrets = [cipher.decrypt(row.secret_ciphertext, context=SECRET_CONTEXT)]
    expires = row.previous_secret_expires_at
    if row.previous_secret_ciphertext is not None and expires is not None and now < expires:
        secrets.append(cipher.decrypt(row.previous_secret_ciphertext, context=SECRET_CONTEXT))
    return secrets
