"""A steady write load through the gateway, the faults in turn, and the reconciliation with the databases.

The load: one asyncio task per writer, each making one write after another through the gateway as a
real client would, with a fresh `Idempotency-Key` per intended write and a client-chosen marker that is
unique per write (the household's address, the receipt's reference, the allocation's note, the
finding's note and sync `client_id`, the photo's bytes). A write that fails is sent again, same key,
same body, until it is acknowledged (a 2xx; for a field-sync batch, its mutation `applied` or
`duplicate`). Every acknowledged write is recorded with the id the service answered.

Every answer that is not a 2xx is judged: a 503 or 504 `application/problem+json` with a numeric
`Retry-After` is what a fault may cause (`retryable`); a 409 `idempotency_key_in_flight` problem with
`Retry-After` is the documented "your first attempt still holds this key" (`in_flight`, counted apart);
a connection cut without an answer while the write's own service is being killed is `severed` (the
service died between its answer's head and body; see docs/reliability.md §5); anything else is a
`violation`, and a request the client gave up on after `CLIENT_TIMEOUT_S` is a `hang`.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
import os
import secrets
import signal
import struct
import time
import uuid
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import httpx
from faults_stack import FaultStack

PROBLEM_JSON = "application/problem+json"
CLIENT_TIMEOUT_S = 10.0
RECOVERY_LIMIT_S = 30.0
# How long a probe keeps trying after a fault clears before the fault counts as not recovered.
PROBE_GIVE_UP_S = 90.0
# How long a killed service may take to serve again before the kill counts as not cleared (its
# process imports the whole app: about 3 s of CPU, much longer on a busy 2-core machine).
RESTART_GIVE_UP_S = 180.0
# servicekit.idempotency.LEASE: how long a key whose request died with its process stays claimed.
IDEMPOTENCY_LEASE_S = 60.0
SPA_REDIRECT = "http://127.0.0.1:8000/callback"
DEMO_PASSWORD = "noxh-demo"
# People's tokens live 15 minutes; the load signs in again well before.
TOKEN_MAX_AGE_S = 600.0

PROVINCE = "31"
COMMUNE = "10525"  # Phường Hải Dương, xa.haiduong's commune


# ------------------------------------------------------------------------------------ settings


@dataclass(frozen=True)
class LoadSettings:
    """Bounded (in `make test`) by default; `FAULTS_LONG=1` (`make faults`) for the long run."""

    rounds: int = 1
    hold_s: float = 3.0
    # At least a few of funding-api's 5 s upstream deadlines must pass inside the hole.
    black_hole_s: float = 12.0
    writers: int = 1
    pause_s: float = 0.05
    baseline_s: float = 3.0
    settle_s: float = 2.0

    @classmethod
    def from_env(cls) -> LoadSettings:
        long = os.environ.get("FAULTS_LONG") == "1"
        base = cls(rounds=3, hold_s=10.0, black_hole_s=20.0, writers=2, settle_s=5.0) if long else cls()
        return cls(
            rounds=int(os.environ.get("FAULTS_ROUNDS") or base.rounds),
            hold_s=float(os.environ.get("FAULTS_HOLD_S") or base.hold_s),
            black_hole_s=float(os.environ.get("FAULTS_BLACK_HOLE_S") or base.black_hole_s),
            writers=int(os.environ.get("FAULTS_WRITERS") or base.writers),
            pause_s=base.pause_s,
            baseline_s=base.baseline_s,
            settle_s=base.settle_s,
        )


# ------------------------------------------------------------------------------------ signing in


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return data


async def pkce_login(client: httpx.AsyncClient, username: str) -> str:
    """The SPA's flow through the gateway: authorize, the issuer's login page, the code exchange."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "response_type": "code",
        "client_id": "noxh-spa",
        "redirect_uri": SPA_REDIRECT,
        "scope": "openid profile",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": secrets.token_urlsafe(8),
    }
    login = await client.post(
        "/auth/authorize", data={**params, "username": username, "password": DEMO_PASSWORD}
    )
    if login.status_code not in (302, 303):
        raise RuntimeError(f"login of {username}: {login.status_code} {login.text[:300]}")
    query = parse_qs(urlsplit(login.headers["location"]).query)
    exchanged = await client.post(
        "/auth/token",
        data={
            "grant_type": "authorization_code",
            "client_id": "noxh-spa",
            "code": query["code"][0],
            "redirect_uri": SPA_REDIRECT,
            "code_verifier": verifier,
        },
    )
    if exchanged.status_code != 200:
        raise RuntimeError(f"code exchange for {username}: {exchanged.status_code} {exchanged.text[:300]}")
    token: str = exchanged.json()["access_token"]
    return token


class Logins:
    """One person token per demo account, signed in again before it expires."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._tokens: dict[str, tuple[str, float]] = {}
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def token(self, username: str) -> str:
        async with self._locks[username]:
            held = self._tokens.get(username)
            if held is not None and time.monotonic() - held[1] < TOKEN_MAX_AGE_S:
                return held[0]
            async with httpx.AsyncClient(
                base_url=self.base_url, timeout=CLIENT_TIMEOUT_S, trust_env=False
            ) as c:
                token = await pkce_login(c, username)
            self._tokens[username] = (token, time.monotonic())
            return token

    async def subject(self, username: str) -> str:
        return str(_claims(await self.token(username))["sub"])


# ------------------------------------------------------------------------------------ writes


@dataclass(frozen=True)
class Write:
    kind: str
    marker: str  # unique per intended write; what the reconciliation looks for in the database
    key: str  # the Idempotency-Key, the same on every retry
    method: str
    path: str
    json_body: Any = None
    content: bytes | None = None
    params: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)


class WriteKind(Protocol):
    name: str
    service: str
    username: str

    def new(self, n: int) -> Write: ...

    def acknowledged_id(self, response: httpx.Response) -> str | None: ...


def _id_of(response: httpx.Response) -> str | None:
    body = response.json()
    return str(body["id"]) if isinstance(body, dict) and body.get("id") else None


class CitizenIds:
    """Valid, unused 12-digit citizen IDs of men born 1940-1999 (layout: Circular 07/2016)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def new(self) -> tuple[str, int]:
        while True:
            year = 1940 + secrets.randbelow(60)
            value = f"0310{year % 100:02d}{secrets.randbelow(10**6):06d}"
            if value not in self._used:
                self._used.add(value)
                return value, year


@dataclass
class HouseholdWrites:
    """registry-api: a commune officer records a household (the address carries the marker)."""

    prefix: str
    name: str = "household"
    service: str = "registry-api"
    username: str = "xa.haiduong"
    ids: CitizenIds = field(default_factory=CitizenIds)

    def new(self, n: int) -> Write:
        citizen_id, year = self.ids.new()
        marker = f"{self.prefix} H{n}"
        body = {
            "province_code": PROVINCE,
            "commune_code": COMMUNE,
            "address": marker,
            "residence_area": "urban",
            "head": {
                "full_name": "Nguyễn Văn Thử",
                "date_of_birth": f"{year}-05-17",
                "gender": "male",
                "citizen_id": citizen_id,
            },
        }
        return Write(self.name, marker, str(uuid.uuid4()), "POST", "/api/registry/v1/households", body)

    def acknowledged_id(self, response: httpx.Response) -> str | None:
        return _id_of(response)


@dataclass
class ReceiptWrites:
    """funding-api alone: a finance officer books money received (the reference carries the marker)."""

    prefix: str
    source_id: str
    name: str = "receipt"
    service: str = "funding-api"
    username: str = "taichinh"

    def new(self, n: int) -> Write:
        marker = f"{self.prefix}-R{n}"
        body = {
            "source_id": self.source_id,
            "amount_vnd": 1_000_000,
            "received_on": "2026-11-02",
            "reference": marker,
        }
        return Write(self.name, marker, str(uuid.uuid4()), "POST", "/api/funding/v1/ledger/receipts", body)

    def acknowledged_id(self, response: httpx.Response) -> str | None:
        return _id_of(response)


@dataclass
class AllocationWrites:
    """funding-api asking registry-api: an allocation to a support case, which funding-api checks with
    registry-api before writing (the note carries the marker)."""

    prefix: str
    source_id: str
    support_case_id: str
    name: str = "allocation"
    service: str = "funding-api"
    username: str = "taichinh"

    def new(self, n: int) -> Write:
        marker = f"{self.prefix}-A{n}"
        body = {
            "source_id": self.source_id,
            "target_kind": "support_case",
            "support_case_id": self.support_case_id,
            "amount_vnd": 1_000,
            "decision_number": f"{n}/QĐ-FT",
            "decision_date": "2026-11-03",
            "note": marker,
        }
        return Write(self.name, marker, str(uuid.uuid4()), "POST", "/api/funding/v1/allocations", body)

    def acknowledged_id(self, response: httpx.Response) -> str | None:
        return _id_of(response)


@dataclass
class FindingWrites:
    """inspection-api: the field app pushes a finding made offline (its `client_id` is the key, the
    note carries the marker)."""

    prefix: str
    case_id: str
    name: str = "finding"
    service: str = "inspection-api"
    username: str = "thanhtra"

    def new(self, n: int) -> Write:
        marker = f"{self.prefix}-F{n}"
        client_id = str(uuid.uuid4())
        mutation = {
            "client_id": client_id,
            "action": "finding.create",
            "case_id": self.case_id,
            "data": {"outcome": "observation", "note": marker},
        }
        body = {"device_id": "faults-load", "mutations": [mutation]}
        return Write(self.name, marker, client_id, "POST", "/api/inspection/v1/field-sync/batches", body)

    def acknowledged_id(self, response: httpx.Response) -> str | None:
        result = response.json()["results"][0]
        if result["outcome"] in ("applied", "duplicate") and result.get("entity_id"):
            return str(result["entity_id"])
        return None


def small_png() -> bytes:
    """A real 16 x 16 PNG of random pixels: different bytes, so a different SHA-256, every time."""
    width = height = 16
    raw = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@dataclass
class PhotoWrites:
    """inspection-api's evidence store: an inspector uploads a photo (its SHA-256 is the marker)."""

    case_id: str
    name: str = "photo"
    service: str = "inspection-api"
    username: str = "thanhtra"

    def new(self, n: int) -> Write:
        content = small_png()
        captured = (datetime.now(UTC) - timedelta(minutes=5)).isoformat(timespec="seconds")
        return Write(
            self.name,
            hashlib.sha256(content).hexdigest(),
            str(uuid.uuid4()),
            "POST",
            f"/api/inspection/v1/inspection-cases/{self.case_id}/photos",
            content=content,
            params={"latitude": "20.9386", "longitude": "106.3207", "captured_at": captured},
            headers={"Content-Type": "image/png"},
        )

    def acknowledged_id(self, response: httpx.Response) -> str | None:
        return _id_of(response)


# ------------------------------------------------------------------------------------ the census


@dataclass(frozen=True)
class ErrorRecord:
    kind: str
    marker: str
    phase: str
    at_s: float  # since the load started
    elapsed_s: float
    status: int | None
    code: str | None
    retry_after: str | None
    content_type: str | None
    verdict: str  # retryable | in_flight | severed | violation | hang
    detail: str


def judge(response: httpx.Response) -> tuple[str, str | None]:
    """(verdict, problem code) of an answer that is not a 2xx."""
    content_type = response.headers.get("content-type", "")
    try:
        body = response.json()
    except ValueError:
        body = None
    problem = (
        content_type.startswith(PROBLEM_JSON)
        and isinstance(body, dict)
        and body.get("status") == response.status_code
        and bool(body.get("type"))
        and bool(body.get("title"))
    )
    code = body.get("code") if isinstance(body, dict) else None
    retry_after = response.headers.get("retry-after", "")
    if problem and retry_after.isdigit():
        if response.status_code in (503, 504):
            return "retryable", code
        if response.status_code == 409 and code == "idempotency_key_in_flight":
            return "in_flight", code
    return "violation", code


class Census:
    """Every attempt's outcome, by phase; the acknowledged writes by kind and marker."""

    def __init__(self, progress: Path | None = None) -> None:
        self.t0 = time.monotonic()
        self._phase = "setup"
        self.progress = progress
        self.acked: defaultdict[str, dict[str, str]] = defaultdict(dict)
        self.counts: Counter[tuple[str, str, str]] = Counter()  # (phase, kind, ok | verdict)
        self.errors: list[ErrorRecord] = []
        self.max_ok_latency: defaultdict[str, float] = defaultdict(float)  # by phase

    def now(self) -> float:
        return time.monotonic() - self.t0

    @property
    def phase(self) -> str:
        return self._phase

    @phase.setter
    def phase(self, phase: str) -> None:
        self._phase = phase
        if self.progress is not None:
            with self.progress.open("a") as out:
                out.write(
                    f"{self.now():8.2f} {phase} (ok so far: {sum(len(v) for v in self.acked.values())})\n"
                )

    def ok(self, write: Write, entity_id: str, elapsed: float) -> None:
        self.acked[write.kind][write.marker] = entity_id
        self.counts[(self.phase, write.kind, "ok")] += 1
        self.max_ok_latency[self.phase] = max(self.max_ok_latency[self.phase], elapsed)

    def error(self, record: ErrorRecord) -> None:
        self.errors.append(record)
        self.counts[(record.phase, record.kind, record.verdict)] += 1


# ------------------------------------------------------------------------------------ the load


class Load:
    def __init__(self, base_url: str, kinds: list[WriteKind], logins: Logins, census: Census, writers: int,
                 pause_s: float) -> None:  # fmt: skip
        self.base_url = base_url
        self.kinds = kinds
        self.logins = logins
        self.census = census
        self.writers = writers
        self.pause_s = pause_s
        self._numbers = {kind.name: itertools.count(1) for kind in kinds}
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def client(self) -> httpx.AsyncClient:
        # trust_env=False: loopback only, whatever proxy the environment names.
        return httpx.AsyncClient(base_url=self.base_url, timeout=CLIENT_TIMEOUT_S, trust_env=False)

    def start(self) -> None:
        for kind in self.kinds:
            for _ in range(self.writers):
                self._tasks.append(asyncio.create_task(self._writer(kind)))

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks)

    async def _writer(self, kind: WriteKind) -> None:
        async with self.client() as client:
            while not self._stop.is_set():
                await self.deliver(client, kind, kind.new(next(self._numbers[kind.name])), self._stop.is_set)
                await asyncio.sleep(self.pause_s)

    async def deliver(
        self, client: httpx.AsyncClient, kind: WriteKind, write: Write, give_up: Callable[[], bool]
    ) -> float | None:
        """Send until acknowledged (returns the census time of the acknowledgement), refused for good
        (a 4xx other than an idempotency key in flight: a client would show it, not retry it), or
        `give_up()`."""
        while True:
            acknowledged, delay = await self.attempt(client, kind, write)
            if acknowledged:
                return self.census.now()
            if delay is None or give_up():
                return None
            await asyncio.sleep(delay)

    async def attempt(
        self, client: httpx.AsyncClient, kind: WriteKind, write: Write
    ) -> tuple[bool, float | None]:
        """One try: (acknowledged, how long to wait before the next try; None: do not retry)."""
        token = await self.logins.token(kind.username)
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": write.key, **write.headers}
        started = time.monotonic()
        at = self.census.now()

        def failed(verdict: str, status: int | None, detail: str, response: httpx.Response | None = None,
                   code: str | None = None) -> None:  # fmt: skip
            self.census.error(
                ErrorRecord(
                    kind=kind.name,
                    marker=write.marker,
                    phase=self.census.phase,
                    at_s=round(at, 2),
                    elapsed_s=round(time.monotonic() - started, 3),
                    status=status,
                    code=code,
                    retry_after=response.headers.get("retry-after") if response is not None else None,
                    content_type=response.headers.get("content-type") if response is not None else None,
                    verdict=verdict,
                    detail=detail[:300],
                )
            )

        try:
            response = await client.request(
                write.method,
                write.path,
                json=write.json_body,
                content=write.content,
                params=write.params,
                headers=headers,
            )
        except httpx.TimeoutException as exc:
            failed("hang", None, f"no answer within {CLIENT_TIMEOUT_S:.0f} s ({type(exc).__name__})")
            return False, 0.25
        except httpx.RemoteProtocolError as exc:
            # The one error a gateway cannot turn into a 503: the service was killed after it had sent
            # its answer's head and before its body. Caddy has passed the head on by then and can only
            # cut the connection (any streaming proxy must); the client retries with the same key.
            verdict = "severed" if self.census.phase == f"kill -9 {kind.service}" else "violation"
            failed(verdict, None, f"transport: {type(exc).__name__}: {exc}")
            return False, 0.25
        except httpx.HTTPError as exc:
            failed("violation", None, f"transport: {type(exc).__name__}: {exc}")
            return False, 0.25
        elapsed = time.monotonic() - started
        if 200 <= response.status_code < 300:
            entity_id = kind.acknowledged_id(response)
            if entity_id is not None:
                self.census.ok(write, entity_id, elapsed)
                return True, 0.0
            failed(
                "violation", response.status_code, f"2xx without acknowledgement: {response.text}", response
            )
            return False, 0.25
        verdict, code = judge(response)
        failed(verdict, response.status_code, response.text, response, code)
        if verdict == "violation" and 400 <= response.status_code < 500:
            return False, None
        retry_after = response.headers.get("retry-after", "")
        # A client honours Retry-After; this one caps it at 1 s to press the platform harder.
        return False, min(float(retry_after), 1.0) if retry_after.isdigit() else 0.25

    async def witness(self, kinds: list[WriteKind], stop: asyncio.Event) -> None:
        """While a fault is on: fresh writes of every kind, one try each, so what the fault breaks and
        what it must leave alone are both seen, even when a steady writer is held up elsewhere (its
        key still claimed by a request that died)."""

        async def keep_writing(kind: WriteKind) -> None:
            async with self.client() as client:
                while not stop.is_set():
                    await self.attempt(client, kind, kind.new(next(self._numbers[kind.name])))
                    await asyncio.sleep(0.2)

        await asyncio.gather(*(keep_writing(kind) for kind in kinds))

    async def probe(self, kind: WriteKind, cleared_at: float) -> float | None:
        """Fresh writes of `kind` until one is acknowledged: seconds from `cleared_at` (None: gave up)."""
        deadline = time.monotonic() + PROBE_GIVE_UP_S
        async with self.client() as client:
            while time.monotonic() < deadline:
                write = kind.new(next(self._numbers[kind.name]))
                acked_at = await self.deliver(client, kind, write, lambda: time.monotonic() > deadline)
                if acked_at is not None:
                    return round(acked_at - cleared_at, 2)
        return None


# ------------------------------------------------------------------------------------ the faults


class Fault(Protocol):
    name: str

    def available(self) -> str | None: ...  # None, or why this fault cannot be made here

    async def inject(self) -> None: ...

    async def hold(self) -> None: ...

    async def clear(self) -> None: ...

    def notes(self) -> dict[str, Any]: ...


@dataclass
class KillService:
    """kill -9 a service's process. Nobody helps: the stack's supervisor must start a new one by itself.
    The fault clears when the new process serves again (its own /readyz answers 200): from then on,
    writes through the gateway must succeed within 30 s, those that need it from another service too."""

    stack: FaultStack
    service: str
    name: str = ""
    _before: dict[str, Any] = field(default_factory=dict)
    _restart_s: float | None = None

    def __post_init__(self) -> None:
        self.name = f"kill -9 {self.service}"

    def available(self) -> str | None:
        return None

    async def inject(self) -> None:
        self._before = self.stack.record(self.service)
        self.stack.remember_pids()
        self._killed_at = time.monotonic()
        os.kill(self._before["pid"], signal.SIGKILL)

    async def hold(self) -> None:
        return None

    async def clear(self) -> None:
        """Wait (at most RESTART_GIVE_UP_S) for the supervisor's new process to serve."""
        deadline = self._killed_at + RESTART_GIVE_UP_S
        ready_url = f"http://127.0.0.1:{self.stack.port(self.service)}/readyz"
        async with httpx.AsyncClient(timeout=2.0, trust_env=False) as client:
            while time.monotonic() < deadline:
                record = self.stack.record(self.service)
                if record["pid"] and record["pid"] != self._before["pid"]:
                    try:
                        if (await client.get(ready_url)).status_code == 200:
                            self._restart_s = round(time.monotonic() - self._killed_at, 2)
                            return
                    except httpx.HTTPError:
                        pass
                await asyncio.sleep(0.1)

    def notes(self) -> dict[str, Any]:
        after = self.stack.record(self.service)
        self.stack.remember_pids()
        restarted = after["restarts"] == self._before["restarts"] + 1 and after["pid"] != self._before["pid"]
        return {
            "killed_pid": self._before["pid"],
            "new_pid": after["pid"],
            "restarted_by_supervisor": restarted,
            "kill_to_ready_s": self._restart_s,
        }


@dataclass
class RestartPostgres:
    stack: FaultStack
    hold_s: float
    name: str = "restart PostgreSQL"
    _timings: dict[str, float] = field(default_factory=dict)

    def available(self) -> str | None:
        return None

    async def inject(self) -> None:
        started = time.monotonic()
        await asyncio.to_thread(self.stack.postgres.stop_fast)
        self._timings["stop_s"] = round(time.monotonic() - started, 2)

    async def hold(self) -> None:
        await asyncio.sleep(self.hold_s)

    async def clear(self) -> None:
        started = time.monotonic()
        await asyncio.to_thread(self.stack.postgres.start)
        self._timings["start_s"] = round(time.monotonic() - started, 2)

    def notes(self) -> dict[str, Any]:
        return {
            "pg_ctl_stop_fast_s": self._timings.get("stop_s"),
            "pg_ctl_start_s": self._timings.get("start_s"),
        }


@dataclass
class BlackHoleRegistry:
    """registry-api, as funding-api reaches it, accepts connections and never answers."""

    stack: FaultStack
    hold_s: float
    name: str = "black-hole registry-api (for funding-api)"
    _swallowed_before: int = 0

    def available(self) -> str | None:
        return None

    async def inject(self) -> None:
        self._swallowed_before = self.stack.proxy.swallowed_bytes
        self.stack.proxy.black_hole()

    async def hold(self) -> None:
        await asyncio.sleep(self.hold_s)

    async def clear(self) -> None:
        await asyncio.to_thread(self.stack.proxy.restore)

    def notes(self) -> dict[str, Any]:
        return {"bytes_swallowed_by_the_hole": self.stack.proxy.swallowed_bytes - self._swallowed_before}


@dataclass
class FullEvidenceDisk:
    """The file system under inspection-api's evidence store has no space left."""

    stack: FaultStack
    hold_s: float
    name: str = "evidence store out of space"
    _filled: int = 0
    _full: bool = False

    def available(self) -> str | None:
        disk = self.stack.evidence_disk
        return None if disk.mounted else (disk.unavailable_reason or "no small disk")

    async def inject(self) -> None:
        self._filled = await asyncio.to_thread(self.stack.evidence_disk.fill)
        self._full = self.stack.evidence_disk.is_full()

    async def hold(self) -> None:
        await asyncio.sleep(self.hold_s)

    async def clear(self) -> None:
        self.stack.evidence_disk.free()

    def notes(self) -> dict[str, Any]:
        return {
            "tmpfs_bytes": self.stack.evidence_disk.size_bytes,
            "filler_bytes": self._filled,
            "full_after_filling": self._full,
        }


@dataclass
class FaultResult:
    name: str
    round: int
    skipped: str | None = None
    injected_at_s: float | None = None
    cleared_at_s: float | None = None
    # Seconds from the fault clearing to the first acknowledged fresh write, per kind (None: never).
    recovery_s: dict[str, float | None] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def worst_recovery_s(self) -> float | None:
        values = list(self.recovery_s.values())
        if not values or any(v is None for v in values):
            return None
        return max(v for v in values if v is not None)


# ------------------------------------------------------------------------------------ setup


@dataclass(frozen=True)
class Fixtures:
    """What the load writes against: made through the gateway before the faults start."""

    source_id: str
    support_case_id: str
    case_id: str


def _etag_version(response: httpx.Response) -> str:
    return response.headers["etag"]


async def prepare(base_url: str, logins: Logins) -> Fixtures:
    async with httpx.AsyncClient(base_url=base_url, timeout=30.0, trust_env=False) as client:

        async def auth(username: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {await logins.token(username)}"}

        province = await auth("so.xaydung")
        finance = await auth("taichinh")
        inspector = await auth("thanhtra")
        cases = await client.get(
            "/api/registry/v1/support-cases", params={"status": "approved"}, headers=province
        )
        cases.raise_for_status()
        case = next(c for c in cases.json()["items"] if c["province_code"] == PROVINCE)
        sources = await client.get("/api/funding/v1/funding-sources", headers=finance)
        sources.raise_for_status()
        source = next(
            s for s in sources.json()["items"] if s["province_code"] == PROVINCE and s.get("active", True)
        )
        # Money for every allocation the load will make.
        receipt = await client.post(
            "/api/funding/v1/ledger/receipts",
            json={"source_id": source["id"], "amount_vnd": 10**12, "received_on": "2026-11-01"},
            headers={**finance, "Idempotency-Key": str(uuid.uuid4())},
        )
        assert receipt.status_code == 201, receipt.text
        opened = await client.post(
            "/api/inspection/v1/inspection-cases",
            json={
                "kind": "construction_check",
                "title": "Kiểm tra chịu tải (thử lỗi)",
                "subject": "Công trình thử nghiệm",
                "province_code": PROVINCE,
                "commune_code": COMMUNE,
            },
            headers=province,
        )
        assert opened.status_code == 201, opened.text
        case_id = opened.json()["id"]
        assigned = await client.post(
            f"/api/inspection/v1/inspection-cases/{case_id}/assign",
            json={"inspector_subject": await logins.subject("thanhtra")},
            headers={**province, "If-Match": _etag_version(opened)},
        )
        assert assigned.status_code == 200, assigned.text
        started = await client.post(
            f"/api/inspection/v1/inspection-cases/{case_id}/start",
            json={},
            headers={**inspector, "If-Match": _etag_version(assigned)},
        )
        assert started.status_code == 200, started.text
    return Fixtures(source_id=source["id"], support_case_id=case["id"], case_id=case_id)


def write_kinds(prefix: str, fixtures: Fixtures) -> list[WriteKind]:
    return [
        HouseholdWrites(prefix),
        ReceiptWrites(prefix, fixtures.source_id),
        AllocationWrites(prefix, fixtures.source_id, fixtures.support_case_id),
        FindingWrites(prefix, fixtures.case_id),
        PhotoWrites(fixtures.case_id),
    ]


def faults(stack: FaultStack, settings: LoadSettings) -> list[Fault]:
    return [
        KillService(stack, "registry-api"),
        KillService(stack, "funding-api"),
        KillService(stack, "inspection-api"),
        RestartPostgres(stack, settings.hold_s),
        BlackHoleRegistry(stack, max(settings.black_hole_s, settings.hold_s)),
        FullEvidenceDisk(stack, settings.hold_s),
    ]


# What each fault must visibly break (503/504 answers while it is on): the proof that it was real.
BROKEN_BY = {
    "kill -9 registry-api": {"household", "allocation"},
    "kill -9 funding-api": {"receipt", "allocation"},
    "kill -9 inspection-api": {"finding", "photo"},
    "restart PostgreSQL": {"household", "receipt", "allocation", "finding", "photo"},
    "black-hole registry-api (for funding-api)": {"allocation"},
    "evidence store out of space": {"photo"},
}
FAULT_NAMES = [
    "kill -9 registry-api",
    "kill -9 funding-api",
    "kill -9 inspection-api",
    "restart PostgreSQL",
    "black-hole registry-api (for funding-api)",
    "evidence store out of space",
]


# ------------------------------------------------------------------------------------ the campaign


@dataclass
class KindReconciliation:
    kind: str
    acknowledged: int
    stored: int  # rows carrying this run's markers
    lost: list[str]  # acknowledged markers with no row (or another id)
    duplicated: dict[str, int]  # marker -> rows
    stored_without_acknowledgement: int  # a write whose answer never reached the client: fine
    bytes_missing_or_altered: list[str] = field(default_factory=list)  # photos only


@dataclass
class CampaignResult:
    settings: LoadSettings
    prefix: str
    duration_s: float
    faults: list[FaultResult]
    counts: dict[str, dict[str, dict[str, int]]]  # phase -> kind -> outcome -> n
    errors: list[ErrorRecord]
    max_ok_latency_s: dict[str, float]
    reconciliation: list[KindReconciliation]
    restarts: dict[str, int]
    fault_windows: list[tuple[float, float]]
    teardown_problem: str | None = None

    def verdicts(self) -> Counter[str]:
        return Counter(e.verdict for e in self.errors)

    def in_flight_spans(self) -> dict[str, float]:
        """Per write that met `idempotency_key_in_flight`: seconds from the first such answer to the
        last (its first attempt died holding the key, which stays claimed until the lease runs out)."""
        seen: dict[str, list[float]] = defaultdict(list)
        for e in self.errors:
            if e.verdict == "in_flight":
                seen[e.marker].append(e.at_s)
        return {marker: round(max(ats) - min(ats), 2) for marker, ats in seen.items()}

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False, default=str)

    def summary(self) -> str:
        lines = [f"faults under load: run {self.prefix}, {self.duration_s:.0f} s, settings {self.settings}"]
        for fault in self.faults:
            if fault.skipped:
                lines.append(f"  {fault.name} (round {fault.round}): skipped: {fault.skipped}")
                continue
            recovery = ", ".join(f"{k} {v}" for k, v in fault.recovery_s.items())
            held = (fault.cleared_at_s or 0.0) - (fault.injected_at_s or 0.0)
            lines.append(
                f"  {fault.name} (round {fault.round}): on for {held:.1f} s; "
                f"worst recovery {fault.worst_recovery_s} s ({recovery}); {fault.notes}"
            )
        for rec in self.reconciliation:
            lines.append(
                f"  {rec.kind}: acknowledged {rec.acknowledged}, stored {rec.stored}, lost {len(rec.lost)}, "
                f"duplicated {len(rec.duplicated)}, stored without acknowledgement "
                f"{rec.stored_without_acknowledgement}"
                + (f", bytes missing {len(rec.bytes_missing_or_altered)}" if rec.kind == "photo" else "")
            )
        spans = self.in_flight_spans()
        lines.append(
            f"  error verdicts: {dict(self.verdicts())}; writes held up by a claimed key: {len(spans)}, "
            f"longest {max(spans.values(), default=0)} s; restarts: {self.restarts}"
        )
        return "\n".join(lines)


def _nested_counts(counts: Counter[tuple[str, str, str]]) -> dict[str, dict[str, dict[str, int]]]:
    out: dict[str, dict[str, dict[str, int]]] = {}
    for (phase, kind, outcome), n in sorted(counts.items()):
        out.setdefault(phase, {}).setdefault(kind, {})[outcome] = n
    return out


async def run_campaign(
    stack: FaultStack, settings: LoadSettings
) -> tuple[CampaignResult, list[WriteKind], Fixtures]:
    logins = Logins(stack.base_url)
    fixtures = await prepare(stack.base_url, logins)
    prefix = f"FT{uuid.uuid4().hex[:8]}"
    kinds = write_kinds(prefix, fixtures)
    census = Census(stack.data_dir.parent / "progress.log")
    load = Load(stack.base_url, kinds, logins, census, settings.writers, settings.pause_s)
    load.start()
    results: list[FaultResult] = []
    windows: list[tuple[float, float]] = []
    try:
        census.phase = "baseline"
        await asyncio.sleep(settings.baseline_s)
        for round_no in range(1, settings.rounds + 1):
            for fault in faults(stack, settings):
                result = FaultResult(fault.name, round_no)
                results.append(result)
                why_not = fault.available()
                if why_not is not None:
                    result.skipped = why_not
                    continue
                census.phase = fault.name
                result.injected_at_s = round(census.now(), 2)
                await fault.inject()
                witnessed = asyncio.Event()
                witness = asyncio.create_task(load.witness(kinds, witnessed))
                await fault.hold()
                await fault.clear()
                witnessed.set()
                cleared = census.now()
                result.cleared_at_s = round(cleared, 2)
                census.phase = f"{fault.name} (recovering)"
                recovered = await asyncio.gather(*(load.probe(kind, cleared) for kind in kinds))
                result.recovery_s = {kind.name: value for kind, value in zip(kinds, recovered, strict=True)}
                await witness
                windows.append((result.injected_at_s, census.now()))
                result.notes = fault.notes()
                census.phase = "steady"
                await asyncio.sleep(settings.settle_s)
    finally:
        census.phase = "stopping"
        await load.stop()
    restarts = {p["name"]: p["restarts"] for p in stack.state()["processes"]}
    campaign = CampaignResult(
        settings=settings,
        prefix=prefix,
        duration_s=round(census.now(), 1),
        faults=results,
        counts=_nested_counts(census.counts),
        errors=census.errors,
        max_ok_latency_s={k: round(v, 3) for k, v in census.max_ok_latency.items()},
        reconciliation=[],
        restarts=restarts,
        fault_windows=windows,
    )
    campaign.reconciliation = reconcile(stack, prefix, fixtures, census.acked)
    return campaign, kinds, fixtures


# ------------------------------------------------------------------------------------ reconciliation

_QUERIES = {
    "household": ("registry", "SELECT address, id::text FROM household WHERE address LIKE %s"),
    "receipt": (
        "funding",
        "SELECT reference, id::text FROM journal_entry WHERE kind = 'receipt' AND reference LIKE %s",
    ),
    "allocation": ("funding", "SELECT note, id::text FROM funding_allocation WHERE note LIKE %s"),
    "finding": ("inspection", "SELECT note, id::text FROM inspection_finding WHERE note LIKE %s"),
}


def _group(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    stored: dict[str, list[str]] = defaultdict(list)
    for marker, row_id in rows:
        stored[marker].append(row_id)
    return stored


def _compare(kind: str, acked: dict[str, str], stored: dict[str, list[str]]) -> KindReconciliation:
    return KindReconciliation(
        kind=kind,
        acknowledged=len(acked),
        stored=sum(len(ids) for ids in stored.values()),
        lost=sorted(m for m, row_id in acked.items() if row_id not in stored.get(m, [])),
        duplicated={m: len(ids) for m, ids in stored.items() if len(ids) > 1},
        stored_without_acknowledgement=sum(1 for m in stored if m not in acked),
    )


def reconcile(
    stack: FaultStack, prefix: str, fixtures: Fixtures, acked: dict[str, dict[str, str]]
) -> list[KindReconciliation]:
    """Each acknowledged write must be in its service's database, once (queried directly)."""
    out = []
    for kind, (database, query) in _QUERIES.items():
        with stack.connect(database) as conn:
            rows = conn.execute(query, (f"{prefix}%",)).fetchall()
        out.append(_compare(kind, acked.get(kind, {}), _group((r[0], r[1]) for r in rows)))
    with stack.connect("inspection") as conn:
        rows = conn.execute(
            "SELECT sha256, id::text, storage_key FROM inspection_evidence WHERE case_id = %s",
            (fixtures.case_id,),
        ).fetchall()
    photos = _compare("photo", acked.get("photo", {}), _group((r[0], r[1]) for r in rows))
    keys = {r[0]: r[2] for r in rows}
    for marker in acked.get("photo", {}):
        path = stack.evidence_root / keys.get(marker, "missing")
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != marker:
            photos.bytes_missing_or_altered.append(marker)
    out.append(photos)
    return out
