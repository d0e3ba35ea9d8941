"""Idempotency keys (IETF draft semantics): a repeat replays the first answer, never runs twice.

- 400 when a route requires the key and it is missing or malformed;
- 422 when a key is reused with another payload;
- 409 while the first request with the key is still in flight;
- the first 2xx answer is stored in the same transaction as the change and replayed for 7 days.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit.db.platform import IdempotencyRecordMixin
from servicekit.errors import BadRequest, Conflict, FieldError, Unprocessable

KEY_HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
KEEP_FOR = timedelta(days=7)
LEASE = timedelta(seconds=60)


class IdempotencyKeyMissing(BadRequest):
    code = "idempotency_key_missing"
    title = "This operation needs an Idempotency-Key header"


class IdempotencyKeyInvalid(BadRequest):
    code = "idempotency_key_invalid"
    title = "The Idempotency-Key header is not valid"


class IdempotencyKeyReused(Unprocessable):
    code = "idempotency_key_reused"
    title = "This Idempotency-Key was already used with another request"


class IdempotencyKeyInFlight(Conflict):
    code = "idempotency_key_in_flight"
    title = "A request with this Idempotency-Key is still being processed"


def check_key(key: str | None, *, required: bool) -> str | None:
    if key is None:
        if required:
            raise IdempotencyKeyMissing("Send a unique Idempotency-Key (a UUID) so a retry cannot act twice.")
        return None
    if not KEY_PATTERN.match(key):
        raise IdempotencyKeyInvalid(
            errors=[
                FieldError(
                    pointer="/header/Idempotency-Key",
                    code="invalid",
                    message="1-255 visible ASCII characters",
                )
            ]
        )
    return key


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b"\n" + path.encode() + b"\n" + body).hexdigest()


class ClaimOutcome(StrEnum):
    CLAIMED = "claimed"
    REPLAY = "replay"


@dataclass(frozen=True)
class Claim:
    outcome: ClaimOutcome
    record_id: uuid.UUID
    status: int | None = None
    headers: dict[str, str] | None = None
    body: str | None = None


class IdempotencyStore:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], model: type[IdempotencyRecordMixin]
    ) -> None:
        self.sessionmaker = sessionmaker
        self.model = model

    async def claim(self, *, owner: str, key: str, method: str, path: str, print_: str) -> Claim:
        """Claim the key in a short transaction of its own, so concurrent repeats see the claim at once."""
        model = self.model
        async with self.sessionmaker() as session:
            # The database's clock, not ours: leases and expiry compare against one clock.
            now: datetime = (await session.execute(select(func.now()))).scalar_one()
            inserted = (
                await session.execute(
                    insert(model)
                    .values(
                        id=uuid.uuid4(),
                        owner=owner,
                        key=key,
                        method=method,
                        path=path,
                        fingerprint=print_,
                        status="in_flight",
                        locked_until=now + LEASE,
                        expires_at=now + KEEP_FOR,
                    )
                    .on_conflict_do_nothing(index_elements=["owner", "key"])
                    .returning(model.id)
                )
            ).scalar_one_or_none()
            if inserted is not None:
                await session.commit()
                return Claim(ClaimOutcome.CLAIMED, inserted)
            existing = (
                await session.execute(
                    select(model).where(model.owner == owner, model.key == key).with_for_update()
                )
            ).scalar_one()
            if existing.fingerprint != print_:
                raise IdempotencyKeyReused("Use a new Idempotency-Key for a different request.")
            if existing.status == "completed":
                return Claim(
                    ClaimOutcome.REPLAY,
                    existing.id,
                    existing.response_status,
                    existing.response_headers,
                    existing.response_body,
                )
            if existing.locked_until > now:
                raise IdempotencyKeyInFlight("Retry in a few seconds.", headers={"Retry-After": "2"})
            # The first attempt died without finishing: this repeat takes over.
            existing.locked_until = now + LEASE
            await session.commit()
            return Claim(ClaimOutcome.CLAIMED, existing.id)

    async def complete(
        self, session: AsyncSession, record_id: uuid.UUID, *, status: int, headers: dict[str, str], body: str
    ) -> None:
        """Store the answer in the request's own transaction: it commits exactly with the change."""
        await session.execute(
            update(self.model)
            .where(self.model.id == record_id)
            .values(status="completed", response_status=status, response_headers=headers, response_body=body)
        )

    async def release(self, record_id: uuid.UUID) -> None:
        """The request failed: forget the claim so the client may retry with the same key."""
        async with self.sessionmaker() as session:
            await session.execute(
                delete(self.model).where(self.model.id == record_id, self.model.status == "in_flight")
            )
            await session.commit()


async def purge_expired(session: AsyncSession, model: type[IdempotencyRecordMixin]) -> int:
    result = await session.execute(delete(model).where(model.expires_at < func.now()))
    return int(getattr(result, "rowcount", 0) or 0)
