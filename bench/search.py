"""Name search through the service: latency at 20 concurrent searches, and recall on up to 1,000
sampled persons' names in seven spellings each.

Spellings of `Nguyễn Văn Đức`: as stored (NFC), NFD, accents stripped (`Nguyen Van Duc`), upper case
(`NGUYỄN VĂN ĐỨC`), stripped and lower case (`nguyen van duc`), spaced (`  Nguyễn   Văn  Đức `), and
đ written d with the other marks kept (`Nguyễn Văn Dức`).

- Person recall: the search of a commune officer's usual question (the name, the commune and the
  birth year) finds that very person among the `exact` matches (following `next_cursor` while pages
  still hold exact matches). Goal: 100 %.
- Name recall, province-wide without narrowing: the first hit is an exact match whose name folds to
  the sampled name's fold. Goal: 100 %.
- Latency: the province-wide searches (p95 goal <= 150 ms at 20 concurrent) and the narrowed ones.
"""

from __future__ import annotations

import asyncio
import time
import unicodedata
from typing import Any
from urllib.parse import quote

import asyncpg
import httpx

from bench.common import out, table
from bench.loadgen import Stats, percentile, run_load
from bench.procs import app_process
from bench.serve import mint_token
from registry_api.person.identifiers import fold_name

VARIANTS = ["nfc", "nfd", "no_accents", "upper", "lower_no_accents", "spaced", "d_for_dj"]
MAX_PAGES = 10


def strip_accents(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def spelling(name: str, variant: str) -> str:
    if variant == "nfc":
        return unicodedata.normalize("NFC", name)
    if variant == "nfd":
        return unicodedata.normalize("NFD", name)
    if variant == "no_accents":
        return strip_accents(name)
    if variant == "upper":
        return name.upper()
    if variant == "lower_no_accents":
        return strip_accents(name).lower()
    if variant == "spaced":
        return "  " + "   ".join(name.split()) + " "
    if variant == "d_for_dj":
        return name.replace("đ", "d").replace("Đ", "D")
    raise ValueError(variant)


async def sample(db_url: str, count: int) -> list[tuple[str, str, str, int]]:
    conn = await asyncpg.connect(db_url)
    try:
        rows = await conn.fetch(
            "SELECT person_id, full_name, commune_code, birth_year FROM bench_name_sample "
            "ORDER BY md5(person_id::text) LIMIT $1",
            count,
        )
    finally:
        await conn.close()
    return [(str(r["person_id"]), r["full_name"], r["commune_code"], r["birth_year"]) for r in rows]


async def recall(
    base: str, headers: dict[str, str], names: list[tuple[str, str, str, int]], concurrency: int
) -> dict[str, Any]:
    """Person recall (narrowed) and name recall (province-wide), `concurrency` searches at a time."""
    semaphore = asyncio.Semaphore(concurrency)
    person_found: dict[str, int] = dict.fromkeys(VARIANTS, 0)
    name_found: dict[str, int] = dict.fromkeys(VARIANTS, 0)
    narrowed_ms: list[float] = []
    misses: list[dict[str, Any]] = []
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60, limits=limits) as client:

        async def one(person_id: str, name: str, commune: str, year: int, variant: str) -> None:
            q = quote(spelling(name, variant))
            async with semaphore:
                # Narrowed: the person among the exact matches of their commune and birth year.
                cursor = ""
                found = False
                for page in range(MAX_PAGES):
                    t0 = time.perf_counter()
                    r = await client.get(
                        f"/v1/persons/search?q={q}&commune_code={commune}&birth_year={year}&limit=20{cursor}"
                    )
                    if page == 0:
                        narrowed_ms.append((time.perf_counter() - t0) * 1000)
                    r.raise_for_status()
                    body = r.json()
                    exact = [h for h in body["items"] if h["match"] == "exact"]
                    if any(h["id"] == person_id for h in exact):
                        found = True
                        break
                    if len(exact) < len(body["items"]) or not body.get("next_cursor"):
                        break
                    cursor = "&cursor=" + body["next_cursor"]
                # Province-wide: the first hit is an exact match of the name.
                r = await client.get(f"/v1/persons/search?q={q}&limit=20")
                r.raise_for_status()
                items = r.json()["items"]
                name_ok = bool(items) and items[0]["match"] == "exact"
                name_ok = name_ok and fold_name(items[0]["full_name"]) == fold_name(name)
            person_found[variant] += found
            name_found[variant] += name_ok
            if not (found and name_ok) and len(misses) < 20:
                misses.append({"name": name, "variant": variant, "person": found, "name_first": name_ok})

        await asyncio.gather(*(one(*n, v) for n in names for v in VARIANTS))
    narrowed_ms.sort()
    total = len(names)
    return {
        "names": total,
        "person_recall": {v: round(person_found[v] / total, 4) for v in VARIANTS} if total else {},
        "name_recall_province_wide": {v: round(name_found[v] / total, 4) for v in VARIANTS} if total else {},
        "narrowed_first_page_p50_ms": round(percentile(narrowed_ms, 0.5), 1),
        "narrowed_first_page_p95_ms": round(percentile(narrowed_ms, 0.95), 1),
        "misses": misses,
    }


async def run(db_url: str, *, names: int, requests: int, warmup: int, concurrency: int) -> dict[str, Any]:
    token = mint_token(roles=["province_officer"], area_codes=["31"])
    headers = {"Authorization": f"Bearer {token}"}
    picked = await sample(db_url, names)
    if not picked:
        raise RuntimeError("no sampled names: generate the province first")
    queries = [quote(spelling(n[1], v)) for n in picked for v in VARIANTS]
    prefixes = [quote(" ".join([*n[1].split()[:-1], n[1].split()[-1][:2]])) for n in picked]
    results: dict[str, Any] = {}
    with app_process("registry", db_url) as base:
        stats: list[Stats] = []
        for name, qs in (("full names, province-wide", queries), ("last word a 2-letter prefix", prefixes)):
            stats.append(
                await run_load(
                    name,
                    base,
                    lambda i, qs=qs: (f"/v1/persons/search?q={qs[i % len(qs)]}&limit=20", headers),
                    requests=requests,
                    warmup=warmup,
                    concurrency=concurrency,
                )
            )
        recall_result = await recall(base, headers, picked, concurrency)
    for s in stats:
        if s.errors:
            raise RuntimeError(f"{s.name}: {s.errors} errors {s.statuses}")
    results["latency"] = [s.as_dict() for s in stats]
    results["recall"] = recall_result
    results["parameters"] = {"names": len(picked), "variants": VARIANTS, "requests": requests,
                             "concurrency": concurrency}  # fmt: skip
    out(f"\nName search, {concurrency} concurrent (goal p95 <= 150 ms)")
    out(table(["searches", "rps", "p50 ms", "p95 ms", "p99 ms"],
              [[s.name, s.throughput_rps, s.p50_ms, s.p95_ms, s.p99_ms] for s in stats]))  # fmt: skip
    p50, p95 = recall_result["narrowed_first_page_p50_ms"], recall_result["narrowed_first_page_p95_ms"]
    narrowed = f"narrowed (name + commune + birth year), first page: p50 {p50} ms, p95 {p95} ms"
    out(narrowed)
    out(f"\nRecall on {len(picked)} names (goal 100 %)")
    person, name = recall_result["person_recall"], recall_result["name_recall_province_wide"]
    out(
        table(
            ["spelling", "person (narrowed)", "name (province-wide)"],
            [[v, f"{person[v]:.2%}", f"{name[v]:.2%}"] for v in VARIANTS],
        )
    )
    return results
