"""The apps the stack benchmark compares, all answering the same two requests with the same JSON:

- `GET .../households/{id}`: one household of the caller's area with its current members (head
  first), as registry-api's `GET /v1/households/{id}` answers it;
- `GET .../households?limit=20`: the first 20 open households of the area, keyset (`next_cursor`).

The SQL is the SQL registry-api's repositories send (every mapped column, since the ORM loads whole
objects), so the apps differ only in the layers above the driver:

- `raw_app`: a bare ASGI callable on an asyncpg pool, orjson, no framework (the reference);
  with `BENCH_RAW_AUTH=1` it also verifies the bearer token with servicekit's `TokenVerifier`;
- `bench_router()`: routes added to the real registry-api app (its middleware, error handlers and
  token check), one per layer: FastAPI + asyncpg; FastAPI + SQLAlchemy session + `text()` (Core);
  the real repositories (ORM objects) serialised by hand with orjson; and the real route itself.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

import asyncpg
import orjson
from fastapi import APIRouter, Request, Response
from sqlalchemy import text

from registry_api.household.permissions import HouseholdsRead
from registry_api.household.service import household_service
from registry_api.models import Household, Person
from servicekit.errors import Unauthorized
from servicekit.pagination import PageParams, decode_cursor, encode_cursor
from servicekit.tokens import TokenVerifier
from servicekit.web.session import SessionDep

HOUSEHOLD_COLUMNS = (
    "id, province_code, commune_code, legacy_area_code, address, hamlet, residence_area, head_person_id, "
    "closed_on, version, created_at, updated_at"
)
# Every mapped column but the deferred `name_words` and `name_terms`: what the ORM loads for a Person.
PERSON_COLUMNS = (
    "id, household_id, relationship, full_name, name_folded, date_of_birth, birth_year, gender, "
    "citizen_id_ciphertext, citizen_id_bidx, citizen_id_masked, legacy_id_ciphertext, legacy_id_bidx, "
    "legacy_id_masked, phone_ciphertext, phone_bidx, phone_masked, province_code, commune_code, "
    "legacy_area_code, version, created_at, updated_at"
)
SQL_HOUSEHOLD = f"SELECT {HOUSEHOLD_COLUMNS} FROM household WHERE id = $1 AND province_code = ANY($2::text[])"  # noqa: S608
SQL_MEMBERS = (
    f"SELECT {PERSON_COLUMNS} FROM person WHERE household_id = $1 "  # noqa: S608
    "ORDER BY relationship <> 'head', birth_year, id"
)
SQL_LIST_FIRST = (
    f"SELECT {HOUSEHOLD_COLUMNS} FROM household WHERE province_code = ANY($1::text[]) "  # noqa: S608
    "AND closed_on IS NULL ORDER BY id LIMIT $2"
)
SQL_LIST_AFTER = (
    f"SELECT {HOUSEHOLD_COLUMNS} FROM household WHERE province_code = ANY($1::text[]) "  # noqa: S608
    "AND closed_on IS NULL AND id > $3 ORDER BY id LIMIT $2"
)
HOUSEHOLD_FIELDS = [c.strip() for c in HOUSEHOLD_COLUMNS.split(",")]
PERSON_READ_FIELDS = [
    "id", "household_id", "relationship", "full_name", "date_of_birth", "birth_year", "gender",
    "citizen_id_masked", "legacy_id_masked", "phone_masked", "province_code", "commune_code",
    "legacy_area_code", "version", "created_at", "updated_at",
]  # fmt: skip
CURSOR_KEYS = [str(Household.__table__.c.id)]  # the fingerprint servicekit's paginate uses
DEFAULT_LIMIT = 20


def dumps(body: Any) -> bytes:
    # asyncpg's UUID type is not uuid.UUID: orjson asks `default` for it.
    return orjson.dumps(body, default=str)


def household_json(row: Any, members: list[Any] | None) -> dict[str, Any]:
    body = {f: row[f] for f in HOUSEHOLD_FIELDS}
    if members is not None:
        body["members"] = [{f: m[f] for f in PERSON_READ_FIELDS} for m in members]
    return body


def page_json(rows: list[Any], limit: int) -> dict[str, Any]:
    cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        cursor = encode_cursor(CURSOR_KEYS, (rows[-1]["id"],))
    return {"items": [household_json(r, None) for r in rows], "next_cursor": cursor}


def _asyncpg_sql(sql: str) -> str:
    return sql


def _named_sql(sql: str) -> str:
    """$1, $2, $3 -> :p1, :p2, :p3 for SQLAlchemy `text()`."""
    for n in (3, 2, 1):
        sql = sql.replace(f"${n}", f":p{n}")
    return sql.replace("::text[]", "")


# ------------------------------------------------------------------------------------ raw ASGI

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
JSON_HEADERS = [(b"content-type", b"application/json")]
AREA = ["31"]


class RawApp:
    """The reference: an ASGI callable, an asyncpg pool, orjson."""

    def __init__(self) -> None:
        self.pool: asyncpg.Pool | None = None
        self.verifier: TokenVerifier | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            return
        path: str = scope["path"]
        if path == "/healthz":
            await self.respond(send, 200, b'{"status":"ok"}')
            return
        if self.verifier is not None:
            auth = dict(scope["headers"]).get(b"authorization", b"").decode()
            try:
                await self.verifier.verify(auth.removeprefix("Bearer "))
            except Unauthorized:
                await self.respond(send, 401, b'{"code":"unauthorized"}')
                return
        assert self.pool is not None
        if path.startswith("/v1/households/"):
            try:
                household_id = uuid.UUID(path.rsplit("/", 1)[1])
            except ValueError:
                await self.respond(send, 404, b"{}")
                return
            async with self.pool.acquire() as conn:
                row = await conn.fetchrow(SQL_HOUSEHOLD, household_id, AREA)
                if row is None:
                    await self.respond(send, 404, b"{}")
                    return
                members = await conn.fetch(SQL_MEMBERS, household_id)
            etag = f'"{row["version"]}"'.encode()
            await self.respond(send, 200, dumps(household_json(row, members)), [(b"etag", etag)])
        elif path == "/v1/households":
            query = parse_qs(scope["query_string"].decode())
            limit = int(query.get("limit", [DEFAULT_LIMIT])[0])
            cursor = query.get("cursor", [None])[0]
            async with self.pool.acquire() as conn:
                if cursor:
                    after = decode_cursor(CURSOR_KEYS, cursor)[0]
                    rows = await conn.fetch(SQL_LIST_AFTER, AREA, limit + 1, after)
                else:
                    rows = await conn.fetch(SQL_LIST_FIRST, AREA, limit + 1)
            await self.respond(send, 200, dumps(page_json(list(rows), limit)))
        else:
            await self.respond(send, 404, b"{}")

    async def respond(
        self, send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None
    ) -> None:
        await send(
            {"type": "http.response.start", "status": status, "headers": JSON_HEADERS + (headers or [])}
        )
        await send({"type": "http.response.body", "body": body})

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                size = int(os.environ.get("BENCH_POOL_SIZE", "10"))
                self.pool = await asyncpg.create_pool(os.environ["BENCH_DSN"], min_size=size, max_size=size)
                if os.environ.get("BENCH_RAW_AUTH") == "1":
                    from bench.serve import bench_verifier

                    self.verifier = bench_verifier()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.pool is not None:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


raw_app = RawApp()


# --------------------------------------------------------------------- layers inside the service


def _json(body: Any, etag: int | None = None) -> Response:
    headers = {"ETag": f'"{etag}"'} if etag is not None else None
    return Response(dumps(body), media_type="application/json", headers=headers)


_pool_lock = asyncio.Lock()


async def _pool(request: Request) -> asyncpg.Pool:
    """The asyncpg pool of the FastAPI + asyncpg layer, opened on first use (warm-up absorbs it)."""
    pool: asyncpg.Pool | None = getattr(request.app.state, "bench_pool", None)
    if pool is None:
        async with _pool_lock:
            pool = getattr(request.app.state, "bench_pool", None)
            if pool is None:
                size = int(os.environ.get("BENCH_POOL_SIZE", "10"))
                pool = await asyncpg.create_pool(os.environ["BENCH_DSN"], min_size=size, max_size=size)
                request.app.state.bench_pool = pool
    assert pool is not None
    return pool


def _area(caller: Any) -> list[str]:
    return sorted(caller.area.provinces)


def bare_fastapi_app() -> Any:
    """A plain FastAPI app (no servicekit middleware, error handlers or access log) with the same
    token check (a dependency calling servicekit's TokenVerifier) and the asyncpg routes."""
    from fastapi import Depends, FastAPI, HTTPException
    from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

    from bench.serve import bench_verifier

    verifier = bench_verifier()
    bearer = HTTPBearer(auto_error=False)

    async def caller(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Any:
        try:
            return await verifier.verify(credentials.credentials if credentials else "")
        except Unauthorized as exc:
            raise HTTPException(401) from exc

    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/bench/asyncpg/households/{household_id}")
    async def get(household_id: uuid.UUID, request: Request, principal: Any = Depends(caller)) -> Response:
        async with (await _pool(request)).acquire() as conn:
            row = await conn.fetchrow(SQL_HOUSEHOLD, household_id, _area(principal))
            if row is None:
                return Response(status_code=404)
            members = await conn.fetch(SQL_MEMBERS, household_id)
        return _json(household_json(row, members), row["version"])

    @app.get("/bench/asyncpg/households")
    async def page(
        request: Request, limit: int = DEFAULT_LIMIT, principal: Any = Depends(caller)
    ) -> Response:
        async with (await _pool(request)).acquire() as conn:
            rows = await conn.fetch(SQL_LIST_FIRST, _area(principal), limit + 1)
        return _json(page_json(list(rows), limit))

    return app


def bench_router() -> APIRouter:
    """Routes added to registry-api in the benchmark process only (never in the service)."""
    router = APIRouter(prefix="/bench")

    # FastAPI + token check + raw asyncpg (the pool is opened by serve.py with the app).
    @router.get("/asyncpg/households/{household_id}")
    async def asyncpg_get(household_id: uuid.UUID, caller: HouseholdsRead, request: Request) -> Response:
        async with (await _pool(request)).acquire() as conn:
            row = await conn.fetchrow(SQL_HOUSEHOLD, household_id, _area(caller))
            if row is None:
                return Response(status_code=404)
            members = await conn.fetch(SQL_MEMBERS, household_id)
        return _json(household_json(row, members), row["version"])

    @router.get("/asyncpg/households")
    async def asyncpg_list(caller: HouseholdsRead, request: Request, limit: int = DEFAULT_LIMIT) -> Response:
        async with (await _pool(request)).acquire() as conn:
            rows = await conn.fetch(SQL_LIST_FIRST, _area(caller), limit + 1)
        return _json(page_json(list(rows), limit))

    # FastAPI + token check + the request's SQLAlchemy session (transaction) + Core text() + orjson.
    @router.get("/core/households/{household_id}")
    async def core_get(household_id: uuid.UUID, caller: HouseholdsRead, session: SessionDep) -> Response:
        params = {"p1": household_id, "p2": _area(caller)}
        row = (await session.execute(text(_named_sql(SQL_HOUSEHOLD)), params)).mappings().first()
        if row is None:
            return Response(status_code=404)
        members = (
            (await session.execute(text(_named_sql(SQL_MEMBERS)), {"p1": household_id})).mappings().all()
        )
        return _json(household_json(row, list(members)), row["version"])

    @router.get("/core/households")
    async def core_list(caller: HouseholdsRead, session: SessionDep, limit: int = DEFAULT_LIMIT) -> Response:
        params = {"p1": _area(caller), "p2": limit + 1}
        rows = (await session.execute(text(_named_sql(SQL_LIST_FIRST)), params)).mappings().all()
        return _json(page_json(list(rows), limit))

    # The service's own repositories (ORM objects), serialised by hand with orjson (no Pydantic).
    @router.get("/orm/households/{household_id}")
    async def orm_get(household_id: uuid.UUID, caller: HouseholdsRead, session: SessionDep) -> Response:
        household = await household_service.get(session, caller, household_id)
        members: list[Person] = await household_service.members(session, household)
        body = {f: getattr(household, f) for f in HOUSEHOLD_FIELDS}
        body["members"] = [{f: getattr(m, f) for f in PERSON_READ_FIELDS} for m in members]
        return _json(body, household.version)

    @router.get("/orm/households")
    async def orm_list(caller: HouseholdsRead, session: SessionDep, limit: int = DEFAULT_LIMIT) -> Response:
        rows, cursor = await household_service.list_households(
            session,
            caller,
            PageParams(limit=limit),
            commune_code=None,
            residence_area=None,
            include_closed=False,
        )
        return _json(
            {"items": [{f: getattr(h, f) for f in HOUSEHOLD_FIELDS} for h in rows], "next_cursor": cursor}
        )

    return router
