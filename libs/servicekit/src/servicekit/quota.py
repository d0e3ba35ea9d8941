"""Per-client request quotas (requests per minute), counted in the service's own PostgreSQL.

The gateway (Caddy) has no rate-limit module, so the services count (decision 3). A client whose access
token carries the `quota_per_minute` claim (the identity provider puts it into partner clients' tokens,
set by an administrator per client) is counted per fixed one-minute window (UTC) in the service's
`client_quota_window` table; each service counts its own calls, so a partner may make its quota's worth
of calls to each service. Tokens without the claim (people, NOXH services, the bank) are not counted.

Each request is counted by one atomic `INSERT ... ON CONFLICT DO UPDATE SET count = count + 1
RETURNING count` in a short transaction of its own, committed before the request's own work starts:
concurrent requests of one client serialise on the row for that instant only, a request whose own
transaction later rolls back still counts, and the request's transaction is never touched. Over the
quota, the answer is 429 with `Retry-After`; every answer to a counted client carries the
`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers of the IETF httpapi draft
(draft-ietf-httpapi-ratelimit-headers, the separate-fields form). The worker purges past windows.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit.db.platform import ClientQuotaWindowMixin
from servicekit.errors import TooManyRequests
from servicekit.principal import Principal

QUOTA_CLAIM = "quota_per_minute"
WINDOW = timedelta(minutes=1)
# Windows are purged once they are this old; only the current one is ever read.
KEEP_WINDOWS_FOR = timedelta(minutes=10)
# What the dev issuer and the administration API allow (identity.py); anything else is ignored.
MAX_QUOTA = 100_000

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class QuotaState:
    """Where a client stands in the current window after this request was counted."""

    limit: int
    used: int
    reset_s: int  # seconds until the window ends (at least 1)

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def headers(self) -> dict[str, str]:
        """The IETF draft's fields: the window's limit, what is left of it, seconds until it resets."""
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_s),
        }


class QuotaExceeded(TooManyRequests):
    code = "quota_exceeded"
    title = "Your client's quota of requests per minute is used up"

    def __init__(self, state: QuotaState) -> None:
        super().__init__(
            f"At most {state.limit} requests a minute to this service; retry after {state.reset_s} s.",
            headers={"Retry-After": str(state.reset_s)},
        )


def quota_of(principal: Principal) -> int | None:
    """The caller's quota from its token, or None when it has none (or a malformed one)."""
    value: Any = principal.claims.get(QUOTA_CLAIM)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_QUOTA:
        return None
    return int(value)


def window_of(now: datetime) -> tuple[datetime, int]:
    """The start of the minute holding `now` (UTC) and the whole seconds left in it (at least 1)."""
    now = now.astimezone(UTC)
    start = now.replace(second=0, microsecond=0)
    left = (start + WINDOW - now).total_seconds()
    return start, max(1, math.ceil(left))


async def count_request(
    sessionmaker: async_sessionmaker[AsyncSession],
    model: type[ClientQuotaWindowMixin],
    principal: Principal,
    *,
    now: datetime | None = None,
) -> QuotaState | None:
    """Count one request of the caller in its own short transaction; None when it has no quota."""
    limit = quota_of(principal)
    if limit is None:
        return None
    start, reset_s = window_of(now or utc_now())
    table: Any = model.__table__  # type: ignore[attr-defined]
    stmt = (
        insert(table)
        .values(client_id=principal.client_id or principal.subject, window_start=start, count=1)
        .on_conflict_do_update(
            index_elements=[table.c.client_id, table.c.window_start],
            set_={"count": table.c.count + 1},
        )
        .returning(table.c.count)
    )
    async with sessionmaker() as session, session.begin():
        used = int((await session.execute(stmt)).scalar_one())
    return QuotaState(limit=limit, used=used, reset_s=reset_s)


async def purge_windows(
    session: AsyncSession, model: type[ClientQuotaWindowMixin], *, now: datetime | None = None
) -> int:
    """Delete the windows that ended more than `KEEP_WINDOWS_FOR` ago."""
    before = (now or utc_now()) - KEEP_WINDOWS_FOR
    result = await session.execute(delete(model).where(model.window_start < before))
    return int(getattr(result, "rowcount", 0) or 0)
