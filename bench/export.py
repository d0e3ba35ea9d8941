"""Exports: `GET /v1/exports/households.csv` (every open household of the province with its head) and
`households.xlsx`, streamed from the real registry-api process, vs PostgreSQL's own
`COPY (SELECT the same columns) TO STDOUT` by asyncpg in the same run.

    .venv/bin/python -m bench.export postgresql://postgres@127.0.0.1:55436/bench_registry

For each download: rows (counted in what arrived, checked against the open households), seconds,
rows/s, the time to the first byte, and the server's RSS sampled every 50 ms (before the request, its
peak, after it). The csv covers the whole province (a province officer's export); the xlsx, which the
service writes whole to a temporary file before sending a byte, is measured for the province's
largest commune (a commune officer's export) unless `xlsx_whole_province` asks for all of it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx

from bench.common import describe_machine, out, table, write_result
from bench.procs import SERVER_PIDS, app_process, cpu_seconds, rss_mb
from bench.province import PROVINCE
from bench.serve import mint_token

# The service's columns (registry_api.household_import.service.EXPORT_HEADINGS), in SQL: the reference.
REFERENCE_SQL = """
    SELECT row_number() OVER (ORDER BY h.id), h.id, p.full_name, coalesce(p.citizen_id_masked, ''),
           coalesce(to_char(p.date_of_birth, 'DD/MM/YYYY'), ''), p.birth_year,
           CASE p.gender WHEN 'male' THEN 'Nam' WHEN 'female' THEN 'Nữ' ELSE p.gender END,
           coalesce(h.hamlet, ''), h.address,
           CASE h.residence_area WHEN 'urban' THEN 'Thành thị' WHEN 'rural' THEN 'Nông thôn'
                ELSE h.residence_area END,
           h.province_code, coalesce(h.commune_code, ''),
           (SELECT count(*) FROM person m WHERE m.household_id = h.id)
    FROM household h JOIN person p ON p.id = h.head_person_id
    WHERE h.province_code = '{province}' AND h.closed_on IS NULL {commune_filter}
    ORDER BY h.id
"""
EXCEL_MAX_ROWS = 1_048_576  # rows in one worksheet, the heading row included


@dataclass
class Download:
    """What arrived, and when."""

    label: str
    rows: int = 0
    bytes: int = 0
    seconds: float = 0.0
    first_byte_s: float = 0.0
    rss_mb: dict[str, float] = field(default_factory=dict)
    server_cpu_s: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "rows": self.rows,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "rows_per_s": round(self.rows / self.seconds) if self.seconds else 0,
            "first_byte_s": round(self.first_byte_s, 3),
            "rss_mb": self.rss_mb,
            "server_cpu_s": round(self.server_cpu_s, 2),
        }


async def _sample_rss(pid: int, peak: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], rss_mb(pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.05)


def _xlsx_rows(path: str) -> int:
    """Data rows of the workbook's first sheet, from its <dimension> (the file is not loaded)."""
    with zipfile.ZipFile(path) as book, book.open("xl/worksheets/sheet1.xml") as sheet:
        head = sheet.read(4096).decode("utf-8", "replace")
    match = re.search(r'<dimension ref="A1(?::[A-Z]+(\d+))?"', head)
    return int(match.group(1)) - 1 if match and match.group(1) else 0


async def download(base: str, pid: int, path: str, headers: dict[str, str], label: str) -> Download:
    """Stream one export to a temporary file, sampling the server's RSS while it runs."""
    result = Download(label)
    peak = [rss_mb(pid)]
    result.rss_mb["start"] = peak[0]
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample_rss(pid, peak, stop))
    cpu0 = cpu_seconds(pid)
    newlines = 0
    previous = b""
    with tempfile.NamedTemporaryFile(suffix="-" + path.rsplit("/", 1)[-1]) as sink:
        try:
            async with httpx.AsyncClient(base_url=base, headers=headers, timeout=600) as client:
                started = time.perf_counter()
                async with client.stream("GET", path) as response:
                    if response.status_code != 200:
                        await response.aread()
                        raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
                    async for chunk in response.aiter_raw(256 * 1024):
                        if not result.bytes:
                            result.first_byte_s = time.perf_counter() - started
                        result.bytes += len(chunk)
                        # A line end split across two chunks is counted with the chunk it ends in.
                        newlines += (previous + chunk[:1] == b"\r\n") + chunk.count(b"\r\n")
                        previous = chunk[-1:]
                        sink.write(chunk)
                result.seconds = time.perf_counter() - started
        finally:
            stop.set()
            await sampler
        sink.flush()
        result.server_cpu_s = cpu_seconds(pid) - cpu0
        result.rss_mb["peak"] = peak[0]
        result.rss_mb["end"] = rss_mb(pid)
        result.rows = _xlsx_rows(sink.name) if ".xlsx" in path else newlines - 1  # minus the heading
    return result


async def reference_copy(db_url: str, commune_code: str | None) -> Download:
    """PostgreSQL writing the same columns as csv, read by asyncpg (no service in between)."""
    result = Download("COPY (SELECT same columns) TO STDOUT, asyncpg")
    newlines = 0
    started = time.perf_counter()

    async def sink(chunk: bytes) -> None:
        nonlocal newlines
        if not result.bytes:
            result.first_byte_s = time.perf_counter() - started
        result.bytes += len(chunk)
        newlines += chunk.count(b"\n")

    conn = await asyncpg.connect(db_url)
    try:
        started = time.perf_counter()
        commune_filter = f"AND h.commune_code = '{commune_code}'" if commune_code else ""
        await conn.copy_from_query(
            REFERENCE_SQL.format(province=PROVINCE, commune_filter=commune_filter),
            output=sink,
            format="csv",
            delimiter=";",
            header=True,
        )
        result.seconds = time.perf_counter() - started
    finally:
        await conn.close()
    result.rows = newlines - 1
    return result


async def run(
    db_url: str, *, formats: tuple[str, ...] = ("csv", "xlsx"), xlsx_whole_province: bool = False
) -> dict[str, Any]:
    conn = await asyncpg.connect(db_url)
    try:
        expected = await conn.fetchval(
            "SELECT count(*) FROM household WHERE province_code = $1 AND closed_on IS NULL", PROVINCE
        )
        largest = await conn.fetchrow(
            "SELECT commune_code, count(*) AS n FROM household WHERE province_code = $1 "
            "AND closed_on IS NULL GROUP BY commune_code ORDER BY n DESC LIMIT 1",
            PROVINCE,
        )
    finally:
        await conn.close()
    token = mint_token(roles=["province_officer"], area_codes=[PROVINCE])
    headers = {"Authorization": f"Bearer {token}"}
    xlsx_commune = None if xlsx_whole_province else largest["commune_code"]
    xlsx_expected = expected if xlsx_commune is None else largest["n"]
    rows: list[dict[str, Any]] = []
    with app_process("registry", db_url, pool_size=4) as base:
        pid = SERVER_PIDS[base]
        if "csv" in formats:
            csv_ref = await reference_copy(db_url, None)
            csv = await download(
                base, pid, "/v1/exports/households.csv", headers, "households.csv (province)"
            )
            rows.append(
                {
                    "format": "csv",
                    "scope": "province",
                    "expected_rows": expected,
                    "service": csv,
                    "reference": csv_ref,
                }
            )
        if "xlsx" in formats:
            path = "/v1/exports/households.xlsx" + (f"?commune_code={xlsx_commune}" if xlsx_commune else "")
            scope = f"commune {xlsx_commune}" if xlsx_commune else "province"
            xlsx_ref = await reference_copy(db_url, xlsx_commune)
            xlsx = await download(base, pid, path, headers, f"households.xlsx ({scope})")
            rows.append(
                {
                    "format": "xlsx",
                    "scope": scope,
                    "expected_rows": xlsx_expected,
                    "service": xlsx,
                    "reference": xlsx_ref,
                }
            )
    result: dict[str, Any] = {
        "parameters": {"formats": list(formats), "xlsx_whole_province": xlsx_whole_province},
        "exports": [],
    }
    printed = []
    for item in rows:
        service, reference = item["service"], item["reference"]
        ratio = (
            (service.rows / service.seconds) / (reference.rows / reference.seconds)
            if service.seconds and reference.rows
            else 0.0
        )
        complete = service.rows == item["expected_rows"] == reference.rows
        result["exports"].append(
            {
                "format": item["format"],
                "scope": item["scope"],
                "expected_rows": item["expected_rows"],
                "complete": complete,
                "ratio_vs_copy": round(ratio, 3),
                "rss_growth_mb": round(service.rss_mb["peak"] - service.rss_mb["start"], 1),
                "service": service.as_dict(),
                "reference": reference.as_dict(),
            }
        )
        for d in (service, reference):
            printed.append(
                [
                    d.label,
                    d.rows,
                    round(d.seconds, 2),
                    round(d.rows / d.seconds) if d.seconds else 0,
                    round(d.first_byte_s, 3),
                    f"{d.rss_mb['start']:.0f} / {d.rss_mb['peak']:.0f} / {d.rss_mb['end']:.0f}"
                    if d.rss_mb
                    else "-",
                    round(ratio, 3) if d is service else 1.0,
                ]
            )
    out(f"\nExports of {expected:,} open households (xlsx: {xlsx_expected:,})")
    out(
        table(
            ["export", "rows", "seconds", "rows/s", "first byte s", "server RSS MB start/peak/end", "x COPY"],
            printed,
        )
    )
    for e in result["exports"]:
        if not e["complete"]:
            out(
                f"FINDING: {e['format']} export holds {e['service']['rows']:,} rows of {e['expected_rows']:,}"
            )
    result["excel_row_limit"] = {
        "data_rows_per_sheet": EXCEL_MAX_ROWS - 1,
        "households_now": expected,
        "province_export_fits": expected <= EXCEL_MAX_ROWS - 1,
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="Streamed exports vs COPY TO STDOUT")
    parser.add_argument(
        "db_url", help="the province database, e.g. postgresql://postgres@127.0.0.1:55436/bench_registry"
    )
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--xlsx-whole-province", action="store_true")
    args = parser.parse_args()

    async def go() -> None:
        result = await run(
            args.db_url, formats=tuple(args.formats.split(",")), xlsx_whole_province=args.xlsx_whole_province
        )
        result["machine"] = await describe_machine(args.db_url)
        out(f"-> {write_result('export', result)}")

    asyncio.run(go())


if __name__ == "__main__":
    main()
