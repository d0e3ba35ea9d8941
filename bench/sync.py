"""The inspectors' offline sync: inspection-api's `POST /v1/field-sync/batches` with 500 queued changes
(goal: p95 at most 3 s), and a pull of `GET /v1/field-sync/changes` from scratch.

inspection-api runs as its own uvicorn process on a migrated and seeded database
(`bench_loans_inspection`). Set-up goes through the API as in life: a province officer opens cases and
assigns them to inspectors, each inspector starts theirs and uploads the photos taken (bytes, GPS,
time). Then every inspector's device pushes its batches, one after the other, the inspectors at the same
time (concurrency = inspectors). A batch is what a day offline leaves queued: mostly `finding.create`
over the inspector's cases (one in eight naming an uploaded photo), and `finding.update` of findings
created earlier in the batch (by `finding_client_id`, on version 1). Each mutation runs in its own
savepoint, checked as online (area, assignment, case in progress), audited, with its event and its
`sync_mutation` record (the idempotency key).

The reference is the same rows written by bare asyncpg in one transaction: the batch's findings
inserted, its updates applied, its photos linked and its `sync_mutation` rows inserted, copied from
what the service stored (new ids), in the same database (so the same indexes and triggers).

    .venv/bin/python -m bench.sync --pg-url postgresql://postgres@127.0.0.1:55436/postgres --batches 4
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import struct
import tempfile
import time
import uuid
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.common import drop_database, out, table, with_database, write_result
from bench.loadgen import percentile
from bench.loans import INSPECTION, PROVINCE, create_service_database, mint, service_process
from bench.procs import SERVER_PIDS, cpu_seconds

INSPECTION_DB = "bench_loans_inspection"
GOAL_P95_S = 3.0
PHOTO_EVERY = 8  # one finding.create in eight names a photo
UPDATE_SHARE = 0.2  # the share of a batch that updates findings created earlier in it
OUTCOMES = ["compliant", "non_compliant", "observation", "not_applicable"]


def photo(number: int) -> bytes:
    """A small valid PNG (1x1, a colour of its own, padded with a text chunk to about 4 KB)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixel = zlib.compress(b"\x00" + number.to_bytes(3, "big"))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    padding = b"Comment\x00" + (f"bench photo {number} ".encode() * 200)[:4000]
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", padding)
        + chunk(b"IDAT", pixel)
        + chunk(b"IEND", b"")
    )


class Inspector:
    def __init__(self, number: int) -> None:
        self.subject = f"bench-inspector-{number}"
        self.device = f"android-bench-{number}"
        self.token = mint(
            INSPECTION.name, subject=self.subject, client_id="noxh-inspector-app", roles=["inspector"]
        )
        self.cases: list[str] = []
        self.photos: list[tuple[str, str]] = []  # (case id, sha256) not yet named by a finding

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def checklist(url: str) -> tuple[str, list[str]]:
    """The newest version of a seeded construction-check checklist template: its id and item keys."""
    conn = await asyncpg.connect(url)
    try:
        row = await conn.fetchrow(
            "SELECT v.id, v.items FROM checklist_template_version v"
            " JOIN checklist_template t ON t.id = v.template_id"
            " WHERE t.kind = 'construction_check' ORDER BY t.code, v.number DESC LIMIT 1"
        )
    finally:
        await conn.close()
    if row is None:
        raise RuntimeError("no construction_check checklist template was seeded")
    items = json.loads(row["items"]) if isinstance(row["items"], str) else row["items"]
    return str(row["id"]), [str(item["key"]) for item in items]


async def prepare(
    client: httpx.AsyncClient,
    inspectors: list[Inspector],
    *,
    checklist_version_id: str,
    cases_each: int,
    photos_each: int,
) -> None:
    """Open, assign and start each inspector's cases (on the checklist version); upload their photos."""
    officer = {
        "Authorization": "Bearer "
        + mint(
            INSPECTION.name,
            subject="bench-province-officer",
            client_id="noxh-spa",
            roles=["province_officer"],
        )
    }
    photo_number = 0
    for inspector in inspectors:
        for n in range(cases_each):
            opened = await client.post(
                "/v1/inspection-cases",
                json={
                    "kind": "construction_check",
                    "title": f"Kiểm tra dự án NOXH số {n + 1} ({inspector.subject})",
                    "subject": f"Chủ đầu tư dự án {n + 1}",
                    "province_code": PROVINCE,
                },
                headers=officer,
            )
            _expect(opened, 201)
            case_id = opened.json()["id"]
            assigned = await client.post(
                f"/v1/inspection-cases/{case_id}/assign",
                json={"inspector_subject": inspector.subject},
                headers={**officer, "If-Match": opened.headers["ETag"]},
            )
            _expect(assigned, 200)
            started = await client.post(
                f"/v1/inspection-cases/{case_id}/start",
                json={"checklist_version_id": checklist_version_id},
                headers={**inspector.headers, "If-Match": assigned.headers["ETag"]},
            )
            _expect(started, 200)
            inspector.cases.append(case_id)
        for n in range(photos_each):
            photo_number += 1
            case_id = inspector.cases[n % len(inspector.cases)]
            uploaded = await client.post(
                f"/v1/inspection-cases/{case_id}/photos",
                params={
                    "latitude": 20.86 + n * 1e-5,
                    "longitude": 106.68,
                    "captured_at": datetime(2026, 3, 2, 9, tzinfo=UTC).isoformat(),
                    "gps_accuracy_m": 8,
                },
                content=photo(photo_number),
                headers={**inspector.headers, "Content-Type": "image/png"},
            )
            _expect(uploaded, 201)
            inspector.photos.append((case_id, uploaded.json()["sha256"]))


def _expect(response: httpx.Response, status: int) -> None:
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:500]}"
        )


def batch(inspector: Inspector, size: int, number: int, keys: list[str]) -> dict[str, Any]:
    """`size` mutations as the app queues them offline (a free finding every fifth, else a checklist
    item's)."""
    creates = size - int(size * UPDATE_SHARE)
    mutations: list[dict[str, Any]] = []
    created: list[tuple[str, str]] = []  # (client id, case id)
    for n in range(creates):
        case_id = inspector.cases[n % len(inspector.cases)]
        client_id = str(uuid.uuid4())
        mutation: dict[str, Any] = {
            "client_id": client_id,
            "action": "finding.create",
            "case_id": case_id,
            "data": {
                "checklist_item_key": keys[n % len(keys)] if n % 5 else None,
                "outcome": OUTCOMES[n % len(OUTCOMES)],
                "note": f"Đợt {number}, mục {n}: hiện trạng ghi nhận tại hiện trường.",
            },
        }
        if n % PHOTO_EVERY == 0:
            named = next((i for i, (c, _) in enumerate(inspector.photos) if c == case_id), None)
            if named is not None:
                mutation["photo_sha256"] = [inspector.photos.pop(named)[1]]
        mutations.append(mutation)
        created.append((client_id, case_id))
    for n in range(size - creates):
        client_id, case_id = created[(n * 7) % len(created)]
        mutations.append(
            {
                "client_id": str(uuid.uuid4()),
                "action": "finding.update",
                "case_id": case_id,
                "finding_client_id": client_id,
                "base_version": 1,
                "data": {"outcome": "non_compliant", "note": f"Đợt {number}: xem lại, sửa kết luận."},
            }
        )
        created.pop((n * 7) % len(created))  # one update per finding: each is made on version 1
    return {"device_id": inspector.device, "mutations": mutations}


async def push_rounds(
    base: str, inspectors: list[Inspector], *, batches: int, size: int, keys: list[str]
) -> tuple[list[float], dict[str, int], float, float, list[list[str]]]:
    """Each inspector pushes `batches` batches one after another, all inspectors at once."""
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    client_ids: list[list[str]] = []
    server_pid = SERVER_PIDS.get(base)
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:

        async def device(inspector: Inspector) -> None:
            for number in range(batches):
                body = batch(inspector, size, number, keys)
                t0 = time.perf_counter()
                response = await client.post("/v1/field-sync/batches", json=body, headers=inspector.headers)
                latencies.append(time.perf_counter() - t0)
                _expect(response, 200)
                for item in response.json()["results"]:
                    key = item["outcome"] + (f":{item['code']}" if item.get("code") else "")
                    outcomes[key] = outcomes.get(key, 0) + 1
                client_ids.append([m["client_id"] for m in body["mutations"]])

        cpu_at = cpu_seconds(server_pid) if server_pid else 0.0
        started = time.perf_counter()
        await asyncio.gather(*(device(i) for i in inspectors))
        seconds = time.perf_counter() - started
        cpu = cpu_seconds(server_pid) - cpu_at if server_pid else 0.0
    return latencies, outcomes, seconds, cpu, client_ids


async def pull_all(base: str, inspector: Inspector, limit: int) -> dict[str, Any]:
    """A device new to the server: pull from no cursor until a page comes back empty."""
    pages: list[float] = []
    items = 0
    cursor: str | None = None
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        started = time.perf_counter()
        while True:
            params: dict[str, Any] = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            t0 = time.perf_counter()
            response = await client.get("/v1/field-sync/changes", params=params, headers=inspector.headers)
            pages.append(time.perf_counter() - t0)
            _expect(response, 200)
            page = response.json()
            items += len(page["items"])
            cursor = page["next_cursor"]
            if not page["items"]:
                break
        seconds = time.perf_counter() - started
    ms = sorted(p * 1000 for p in pages)
    return {
        "limit": limit,
        "pages": len(pages),
        "items": items,
        "seconds": round(seconds, 2),
        "page_p50_ms": round(percentile(ms, 0.5), 1),
        "page_p95_ms": round(percentile(ms, 0.95), 1),
    }


async def bare_batches(url: str, client_id_batches: list[list[str]]) -> list[float]:
    """Each pushed batch's rows written again by bare asyncpg, one transaction per batch: the findings
    inserted (new ids), the updates applied, the photos linked, the mutation records inserted."""
    conn = await asyncpg.connect(url)
    timings: list[float] = []
    try:
        for client_ids in client_id_batches:
            mutations = await conn.fetch(
                "SELECT * FROM sync_mutation WHERE client_id = ANY($1::uuid[]) ORDER BY created_at, id",
                client_ids,
            )
            created_ids = [m["entity_id"] for m in mutations if m["action"] == "finding.create"]
            findings = await conn.fetch(
                "SELECT * FROM inspection_finding WHERE id = ANY($1::uuid[])", created_ids
            )
            photos = await conn.fetch(
                "SELECT id, finding_id FROM inspection_evidence WHERE finding_id = ANY($1::uuid[])",
                created_ids,
            )
            new_id = {f["id"]: uuid.uuid4() for f in findings}
            finding_rows = [
                tuple({**dict(f), "id": new_id[f["id"]], "version": 1}.values()) for f in findings
            ]
            updates = [(new_id[m["entity_id"]],) for m in mutations if m["action"] == "finding.update"]
            mutation_rows = [
                tuple(
                    {
                        **dict(m),
                        "id": uuid.uuid4(),
                        "client_id": uuid.uuid4(),
                        "entity_id": new_id[m["entity_id"]],
                    }.values()
                )
                for m in mutations
            ]
            links = [(new_id[p["finding_id"]], p["id"]) for p in photos]
            f_cols, m_cols = list(findings[0].keys()), list(mutations[0].keys())
            t0 = time.perf_counter()
            async with conn.transaction():
                await conn.executemany(_insert("inspection_finding", f_cols), finding_rows)
                await conn.executemany(
                    "UPDATE inspection_finding SET outcome = 'non_compliant', note = 'xem lại',"
                    " version = version + 1, updated_at = now() WHERE id = $1",
                    updates,
                )
                await conn.executemany("UPDATE inspection_evidence SET finding_id = $1 WHERE id = $2", links)
                await conn.executemany(_insert("sync_mutation", m_cols), mutation_rows)
            timings.append(time.perf_counter() - t0)
            # Give the photos back to the service's findings (the reference only measured the write).
            await conn.executemany(
                "UPDATE inspection_evidence SET finding_id = $2 WHERE id = $1",
                [(p["id"], p["finding_id"]) for p in photos],
            )
    finally:
        await conn.close()
    return timings


def _insert(name: str, columns: list[str]) -> str:
    placeholders = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
    return f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608


def _summary(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    return {
        "count": len(ms),
        "p50_ms": round(percentile(ms, 0.5), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "max_ms": round(ms[-1], 1) if ms else 0.0,
    }


async def run(
    db_url: str,
    *,
    batches: int = 10,
    batch_size: int = 500,
    concurrency: int = 2,
    cases_each: int = 20,
    pull_limit: int = 500,
    pool_size: int = 10,
    keep: bool = False,
) -> dict[str, Any]:
    """`batches` per inspector; `concurrency` inspectors pushing at once. `db_url` only locates the
    cluster (the registry database is not used)."""
    admin_url = with_database(db_url, "postgres")
    out(f"\nsync: creating {INSPECTION_DB} (migrated, reference seed) ...")
    url = await create_service_database(admin_url, INSPECTION_DB, INSPECTION)
    version_id, keys = await checklist(url)
    evidence_dir = Path(tempfile.mkdtemp(prefix="bench-sync-evidence-"))
    inspectors = [Inspector(n) for n in range(concurrency)]
    photos_each = batches * (batch_size - int(batch_size * UPDATE_SHARE)) // PHOTO_EVERY
    try:
        with service_process("inspection", url, pool_size=pool_size, DATA_DIR=str(evidence_dir)) as base:
            t0 = time.perf_counter()
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                await prepare(
                    client,
                    inspectors,
                    checklist_version_id=version_id,
                    cases_each=cases_each,
                    photos_each=photos_each,
                )
            setup_s = time.perf_counter() - t0
            out(
                f"  {concurrency} inspectors x {cases_each} cases started, "
                f"{photos_each * concurrency:,} photos uploaded ({setup_s:.0f} s); "
                f"pushing {batches} batches of {batch_size} each ..."
            )
            latencies, outcomes, push_s, server_cpu, client_ids = await push_rounds(
                base, inspectors, batches=batches, size=batch_size, keys=keys
            )
            out(f"  outcomes {outcomes}")
            pull = await pull_all(base, inspectors[0], pull_limit)
        bare = await bare_batches(url, client_ids)
    finally:
        shutil.rmtree(evidence_dir, ignore_errors=True)
        if not keep:
            await drop_database(admin_url, INSPECTION_DB)
    push = _summary(latencies)
    reference = _summary(bare)
    mutations = len(latencies) * batch_size
    result: dict[str, Any] = {
        "params": {
            "batches_per_inspector": batches,
            "batch_size": batch_size,
            "inspectors_at_once": concurrency,
            "cases_each": cases_each,
            "pool_size": pool_size,
        },
        "push": {
            **push,
            "mutations_per_second": round(mutations / push_s, 1),
            "server_cpu_ms_per_mutation": round(server_cpu * 1000 / mutations, 2),
            "outcomes": outcomes,
        },
        "bare_transaction": reference,
        "ratio_p50_service_vs_bare": round(push["p50_ms"] / reference["p50_ms"], 1)
        if reference["p50_ms"]
        else None,
        "goal_p95_ms": GOAL_P95_S * 1000,
        "goal_met": push["p95_ms"] <= GOAL_P95_S * 1000,
        "pull": pull,
    }
    out(
        table(
            ["batch of " + str(batch_size), "p50 ms", "p95 ms", "max ms", "batches"],
            [
                ["inspection-api push", push["p50_ms"], push["p95_ms"], push["max_ms"], push["count"]],
                [
                    "bare asyncpg, one transaction",
                    reference["p50_ms"],
                    reference["p95_ms"],
                    reference["max_ms"],
                    reference["count"],
                ],
            ],
        )
    )
    out(
        f"  push p95 {push['p95_ms']} ms (goal <= {GOAL_P95_S * 1000:.0f} ms: "
        f"{'met' if result['goal_met'] else 'NOT met'}); "
        f"service / bare p50 {result['ratio_p50_service_vs_bare']}x"
    )
    out(
        f"  pull from scratch: {pull['items']:,} items in {pull['pages']} pages of {pull_limit}, "
        f"{pull['seconds']} s (page p95 {pull['page_p95_ms']} ms)"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:55436/postgres")
    parser.add_argument("--batches", type=int, default=4, help="per inspector")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(
        run(
            args.pg_url,
            batches=args.batches,
            batch_size=args.batch_size,
            concurrency=args.concurrency,
            keep=args.keep,
        )
    )
    out(f"  -> {write_result('sync', result)}")


if __name__ == "__main__":
    main()
