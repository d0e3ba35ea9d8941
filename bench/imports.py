"""Bulk import: commune lists of households (with their members) through registry-api's import job,
end to end, vs a bare COPY of the same rows into the same tables with the same indexes.

    .venv/bin/python -m bench.imports --households 2000 --pg-url postgresql://postgres@127.0.0.1:55436/postgres

What is measured, from the first upload to the last import finished:

- one csv per commune, laid out as commune officers keep their lists (title block, heading row with a
  relationship column, a household row then its members, total row, signature block; UTF-8 with BOM,
  semicolons: `shared/samples/`), generated from a seed with the province's name model
  (`bench/names.py`); some names in NFD and some citizen IDs written with dots or spaces, which the
  importer cleans up; no wrong rows (every row must land, so both sides write the same rows);
- uploaded over HTTP (`POST /v1/imports`, the real registry-api process, a province officer's RS256
  token) and imported by the real job worker (`python -m registry_api.worker`, one job at a time as
  `make run` starts it), in `accept_valid_rows` mode, the officers' default;
- the reference: the household, person and household_membership rows the job wrote, read back and
  loaded by `asyncpg.copy_records_to_table` (binary COPY, one transaction) into a second database
  created from the same migrated template, so the same indexes, constraints and dashboard triggers.

A file is at most `MAX_IMPORT_BYTES` (10 MiB) and names one commune, so the households are spread
over the province's communes, one file each (split further if one would pass the limit).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import os
import random
import signal
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import asyncpg
import httpx

from bench.common import (
    ROOT,
    describe_machine,
    drop_database,
    migrated_database,
    out,
    registry_env,
    table,
    with_database,
    write_result,
)
from bench.procs import SERVER_PIDS, app_process, cpu_seconds, rss_mb
from bench.province import BIRTH_CODE, FAMILY, GIVEN, MIDDLE, PROVINCE, SIZE
from bench.serve import mint_token
from devstack.paths import data_dir
from registry_api.household_import.service import MAX_IMPORT_BYTES
from registry_api.person.identifiers import Gender, century_gender_digit

# The rows a household import writes, in COPY order (household <-> person keys are checked at commit).
COPIED_TABLES = ("household", "person", "household_membership")
FINISHED = ("completed", "rejected", "failed")
HEADINGS = [
    "STT",
    "Họ và tên",
    "Số CCCD",
    "Ngày sinh",
    "Giới tính",
    "Thôn/Tổ dân phố",
    "Quan hệ với chủ hộ",
    "Diện hộ",
    "Hiện trạng nhà ở",
    "Ghi chú",
]
RELATION_WORDS = {
    ("spouse", Gender.MALE): "Chồng",
    ("spouse", Gender.FEMALE): "Vợ",
    ("child", Gender.MALE): "Con",
    ("child", Gender.FEMALE): "Con",
    ("parent", Gender.MALE): "Bố",
    ("parent", Gender.FEMALE): "Mẹ",
    ("grandchild", Gender.MALE): "Cháu",
    ("grandchild", Gender.FEMALE): "Cháu",
}
CATEGORY_WORDS = [("Hộ nghèo", 4.0), ("Hộ cận nghèo", 5.0), ("Người có công", 2.0), ("", 89.0)]
HOUSING_WORDS = ["Nhà tạm", "Nhà dột nát", "Nhà xuống cấp"]


# ------------------------------------------------------------------------------------ the lists


@dataclass
class CommuneList:
    """One file as a commune officer uploads it."""

    commune_code: str
    filename: str
    content: bytes
    households: int
    persons: int


@dataclass
class ListWriter:
    """Households and members as rows of a commune list, deterministic from the seed."""

    rng: random.Random
    today: date
    id_counters: dict[tuple[str, int, int], int] = field(default_factory=dict)

    def name(self, gender: Gender, family: str) -> str:
        parts = [family, MIDDLE[gender](self.rng), GIVEN[gender](self.rng)]
        text = " ".join(parts)
        # Names typed on phones and Macs arrive decomposed; the importer stores them in NFC.
        return unicodedata.normalize("NFD", text) if self.rng.random() < 0.05 else text

    def citizen_id(self, year: int, gender: Gender) -> str:
        """Well-formed (digit 4 and digits 5-6 agree with birth and gender) and unique in the run."""
        code = BIRTH_CODE(self.rng)
        digit = century_gender_digit(year, gender)
        key = (code, digit, year)
        n = self.id_counters.get(key, 0)
        self.id_counters[key] = n + 1
        serial = (n * 7919 + (int(code) * 211 + digit * 97 + year) * 104729) % 1_000_000
        number = f"{code}{digit}{year % 100:02d}{serial:06d}"
        roll = self.rng.random()
        if roll < 0.02:  # written as people write it; cleaned up by the importer
            return f"{number[:3]}.{number[3:6]}.{number[6:9]}.{number[9:]}"
        if roll < 0.04:
            return f"{number[:3]} {number[3:6]} {number[6:9]} {number[9:]}"
        return number

    def birth(self, year: int) -> str:
        if self.rng.random() < 0.15:
            return str(year)  # only the year is known
        born = min(self.today, date(year, 1, 1) + timedelta(days=self.rng.randrange(365)))
        return born.strftime("%d/%m/%Y")

    def household(self, number: int, hamlet: str) -> list[list[str]]:
        """The household row, then one row per member (the relationship column says which is which)."""
        rng = self.rng
        size: int = SIZE(rng)
        head_gender = Gender.MALE if rng.random() < 0.74 else Gender.FEMALE
        head_year = min(2000, max(1935, int(rng.gauss(1972, 14))))
        family: str = FAMILY(rng)
        members: list[tuple[str, Gender, int, str]] = []
        father_family = family
        if size >= 2 and rng.random() < 0.82:
            gender = Gender.FEMALE if head_gender is Gender.MALE else Gender.MALE
            spouse_family: str = FAMILY(rng)
            if gender is Gender.MALE:
                father_family = spouse_family
            members.append(
                ("spouse", gender, min(2003, max(1935, head_year + rng.randint(-3, 6))), spouse_family)
            )
        if size >= 5 and head_year > 1960 and rng.random() < 0.5:
            gender = Gender.FEMALE if rng.random() < 0.65 else Gender.MALE
            members.append(("parent", gender, max(1925, head_year - rng.randint(22, 34)), FAMILY(rng)))
        while len(members) + 1 < size:
            year = head_year + rng.randint(20, 38)
            relation = "child"
            if year > self.today.year:
                relation, year = "grandchild", min(self.today.year, head_year + rng.randint(40, 60))
            gender = Gender.MALE if rng.random() < 0.51 else Gender.FEMALE
            members.append((relation, gender, year, father_family))
        category = CATEGORY_WORDS[0][0]
        roll = rng.random() * 100
        for word, share in CATEGORY_WORDS:
            category = word
            if roll < share:
                break
            roll -= share
        housing = rng.choice(HOUSING_WORDS) if category else ""
        rows = [
            [
                str(number),
                self.name(head_gender, family),
                self.citizen_id(head_year, head_gender),
                self.birth(head_year),
                "Nam" if head_gender is Gender.MALE else "Nữ",
                hamlet,
                "Chủ hộ",
                category,
                housing,
                "",
            ]
        ]
        for relation, gender, year, fam in members:
            age = self.today.year - year
            has_id = rng.random() < (0.97 if age >= 14 else 0.55)
            if has_id:
                identifier = self.citizen_id(year, gender)
            elif year < 2000 and rng.random() < 0.3:  # an old identity card number, kept as such
                identifier = f"{rng.choice(('031', '030', '142'))}{rng.randrange(10**6):06d}"
            else:
                identifier = ""
            rows.append(
                [
                    "",
                    self.name(gender, fam),
                    identifier,
                    self.birth(year),
                    "Nam" if gender is Gender.MALE else "Nữ",
                    "",
                    RELATION_WORDS[(relation, gender)],
                    "",
                    "",
                    "",
                ]
            )
        return rows


def _csv(commune_name: str, rows: list[list[str]]) -> bytes:
    """The list as Excel in a Vietnamese locale saves it: title block, headings, rows, total, signature."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    blank = [""] * len(HEADINGS)
    writer.writerow(["ỦY BAN NHÂN DÂN", "", "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", "", "", ""])
    writer.writerow([commune_name.upper(), "", "", "", "", "Độc lập - Tự do - Hạnh phúc", "", "", "", ""])
    writer.writerow(blank)
    writer.writerow(["DANH SÁCH HỘ GIA ĐÌNH VÀ NHÂN KHẨU", *blank[1:]])
    writer.writerow([f"{commune_name}, thành phố Hải Phòng", *blank[1:]])
    writer.writerow(blank)
    writer.writerow(HEADINGS)
    writer.writerow([f"({i})" for i in range(1, len(HEADINGS) + 1)])
    writer.writerows(rows)
    households = sum(1 for r in rows if r[0])
    writer.writerow(["Tổng cộng", f"{households} hộ, {len(rows)} nhân khẩu", *blank[2:]])
    writer.writerow(blank)
    writer.writerow(["", "NGƯỜI LẬP BIỂU", "", "", "", "", "", "CHỦ TỊCH UBND", "", ""])
    return ("\ufeff" + buffer.getvalue()).encode()


def commune_lists(
    communes: list[tuple[str, str, str]], households: int, seed: int, today: date
) -> list[CommuneList]:
    """`households` spread evenly over `communes` (code, name, division type), one csv each, split
    where a file would pass the upload limit."""
    writer = ListWriter(random.Random(seed), today)  # noqa: S311  (synthetic data, not secrets)
    files: list[CommuneList] = []
    per_commune, extra = divmod(households, len(communes))
    for index, (code, name, division) in enumerate(communes):
        count = per_commune + (1 if index < extra else 0)
        if count == 0:
            continue
        groups = []
        for number in range(1, count + 1):
            n = writer.rng.randint(1, 15)
            hamlet = f"Tổ dân phố số {n}" if division == "phường" else f"Thôn {n}"
            groups.append(writer.household(number, hamlet))
        parts = 1
        while True:  # as an officer would: cut the list in parts until each fits the limit
            size = -(-len(groups) // parts)
            chunks = [groups[i : i + size] for i in range(0, len(groups), size)]
            contents = [_csv(name, [r for g in chunk for r in g]) for chunk in chunks]
            if max(len(c) for c in contents) <= MAX_IMPORT_BYTES:
                break
            parts += 1
        for part, (chunk, content) in enumerate(zip(chunks, contents, strict=True), start=1):
            suffix = f"_phan_{part}" if parts > 1 else ""
            files.append(
                CommuneList(
                    code,
                    f"danh_sach_ho_{code}{suffix}.csv",
                    content,
                    households=len(chunk),
                    persons=sum(len(g) for g in chunk),
                )
            )
    return files


# ------------------------------------------------------------------------------------ processes


@contextlib.contextmanager
def worker_process(db_url: str, *, profile_to: str | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """registry-api's job worker (`python -m registry_api.worker`) on the database."""
    env = {**os.environ, **registry_env(db_url), "PYTHONPATH": str(ROOT)}
    log = data_dir() / "bench-logs" / "imports-worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "registry_api.worker"]
    if profile_to:  # cProfile of the whole worker (py-spy is not installed here)
        command = [sys.executable, "-m", "cProfile", "-o", profile_to, "-m", "registry_api.worker"]
    with log.open("wb") as sink:
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=sink)
        try:
            yield proc
        finally:
            proc.send_signal(signal.SIGINT)  # finishes the current job, lets cProfile write its stats
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# ------------------------------------------------------------------------------------ the run


async def table_counts(conn: asyncpg.Connection) -> dict[str, int]:
    names = [
        r["tablename"]
        for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    ]
    # Names from the catalogue, quoted.
    return {n: int(await conn.fetchval(f'SELECT count(*) FROM "{n}"')) for n in names}  # noqa: S608


async def _counts(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        return await table_counts(conn)
    finally:
        await conn.close()


async def stored_columns(conn: asyncpg.Connection, name: str) -> list[str]:
    """The columns COPY can write (not the generated ones, which PostgreSQL computes again)."""
    rows = await conn.fetch(
        "SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 "
        "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
        name,
    )
    return [r["attname"] for r in rows]


async def import_through_job(
    job_url: str, files: list[CommuneList], *, max_seconds: float, profile_to: str | None
) -> dict[str, Any]:
    """Upload every file to a registry-api process, let the worker import them; time it all."""
    token = mint_token(roles=["province_officer"], area_codes=[PROVINCE])
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
    conn = await asyncpg.connect(job_url)
    try:
        with (
            # The worker first: it imports its modules while the API process starts.
            worker_process(job_url, profile_to=profile_to) as worker,
            app_process("registry", job_url, pool_size=4) as base,
        ):
            api_pid, worker_pid = SERVER_PIDS[base], worker.pid
            # Ready once it has queued its periodic jobs (its start, imports included, is not timed).
            deadline = time.perf_counter() + 120
            while not await conn.fetchval("SELECT count(*) FROM job WHERE kind LIKE 'platform.%'"):
                if time.perf_counter() > deadline or worker.poll() is not None:
                    log = data_dir() / "bench-logs" / "imports-worker.log"
                    raise RuntimeError(f"registry_api.worker did not start: {log.read_text()[-2000:]}")
                await asyncio.sleep(0.2)
            api_cpu0, worker_cpu0 = cpu_seconds(api_pid), cpu_seconds(worker_pid)
            ids: list[str] = []
            started_wall = time.time()
            started = time.perf_counter()
            async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
                for f in files:
                    response = await client.post(
                        "/v1/imports",
                        params={"filename": f.filename, "commune_code": f.commune_code},
                        content=f.content,
                    )
                    if response.status_code != 202:
                        raise RuntimeError(
                            f"upload {f.filename}: {response.status_code} {response.text[:300]}"
                        )
                    ids.append(response.json()["id"])
                uploaded_s = time.perf_counter() - started
                worker_rss_peak = 0.0
                while True:
                    worker_rss_peak = max(worker_rss_peak, rss_mb(worker_pid))
                    pending = await conn.fetchval(
                        "SELECT count(*) FROM household_import WHERE NOT status = ANY($1::text[])",
                        list(FINISHED),
                    )
                    if pending == 0:
                        break
                    if time.perf_counter() - started > max_seconds:
                        break
                    await asyncio.sleep(0.5)
                timed_out = pending > 0
                last_finished = await conn.fetchval(
                    "SELECT extract(epoch FROM max(finished_at)) FROM household_import"
                )
                seconds = (
                    (float(last_finished) - started_wall) if not timed_out else time.perf_counter() - started
                )
                api_cpu, worker_cpu = cpu_seconds(api_pid) - api_cpu0, cpu_seconds(worker_pid) - worker_cpu0
                worker_rss_end = rss_mb(worker_pid)
                imports = []
                for import_id in ids:  # the API's own account of each import
                    response = await client.get(f"/v1/imports/{import_id}")
                    response.raise_for_status()
                    imports.append(response.json())
    finally:
        await conn.close()
    done = [i for i in imports if i["status"] == "completed"]
    return {
        "seconds": round(seconds, 2),
        "upload_seconds": round(uploaded_s, 2),
        "timed_out": timed_out,
        "imports": len(imports),
        "completed": len(done),
        "statuses": sorted({i["status"] for i in imports}),
        "rows": sum(i["processed_rows"] for i in imports),
        "error_rows": sum(i["error_rows"] for i in imports),
        "households_created": sum(i["households_created"] for i in imports),
        "persons_created": sum(i["persons_created"] for i in imports),
        "api_cpu_seconds": round(api_cpu, 1),
        "worker_cpu_seconds": round(worker_cpu, 1),
        "worker_rss_mb": {"peak": worker_rss_peak, "end": worker_rss_end},
    }


async def copy_same_rows(job_url: str, copy_url: str) -> dict[str, Any]:
    """The job's household, person and membership rows, by binary COPY in one transaction."""
    source = await asyncpg.connect(job_url)
    target = await asyncpg.connect(copy_url)
    try:
        loaded: dict[str, tuple[list[str], list[asyncpg.Record]]] = {}
        for name in COPIED_TABLES:
            columns = await stored_columns(source, name)
            quoted = ", ".join(f'"{c}"' for c in columns)
            query = f'SELECT {quoted} FROM "{name}" ORDER BY id'  # noqa: S608 (catalogue names)
            loaded[name] = (columns, await source.fetch(query))
        started = time.perf_counter()
        async with target.transaction():
            for name, (columns, records) in loaded.items():
                await target.copy_records_to_table(name, records=records, columns=columns)
        seconds = time.perf_counter() - started
    finally:
        await source.close()
        await target.close()
    return {"seconds": round(seconds, 3), "rows": {name: len(r) for name, (_, r) in loaded.items()}}


# A commune's list at full scale: 100,000 households over the province's 114 communes.
FULL_SCALE_PER_FILE = 877


async def _prepare(admin: str, job_db: str, copy_db: str) -> tuple[str, list[tuple[str, str, str]], date]:
    """The job's database (migrated, reference-seeded) and the reference one created from it as a
    template (so the same schema, indexes, triggers and seed rows); the communes and today's date."""
    job_url = await migrated_database(admin, job_db)
    conn = await asyncpg.connect(job_url)
    try:
        rows = await conn.fetch(
            "SELECT code, name, division_type FROM admin_unit WHERE scheme = '2025' AND level = 'commune' "
            "AND parent_code = $1 AND valid_to IS NULL ORDER BY code",
            PROVINCE,
        )
        today: date = await conn.fetchval("SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date")
    finally:
        await conn.close()
    await migrated_database(admin, copy_db)
    return job_url, [(r["code"], r["name"], r["division_type"]) for r in rows], today


async def run(
    db_url: str,
    *,
    households: int,
    households_per_file: int = FULL_SCALE_PER_FILE,
    seed: int = 20251128,
    max_seconds: float = 240.0,
    keep: bool = False,
    profile_to: str | None = None,
) -> dict[str, Any]:
    """`db_url` names the cluster and the province; the benchmark builds its own two databases, named
    after the province's (two runs on one cluster never drop each other's). The households go to as
    many communes as lists of `households_per_file` need (one file each)."""
    admin = with_database(db_url, "postgres")
    province = db_url.rsplit("/", 1)[1]
    job_db, copy_db = f"{province}_imports_job", f"{province}_imports_copy"
    t0 = time.perf_counter()
    job_url, units, today = await _prepare(admin, job_db, copy_db)
    setup_s = time.perf_counter() - t0
    copy_url = with_database(admin, copy_db)
    try:
        units = units[: max(1, -(-households // households_per_file))]
        files = commune_lists(units, households, seed, today)
        persons = sum(f.persons for f in files)
        size = sum(len(f.content) for f in files)
        out(
            f"\nImport: {households:,} households, {persons:,} persons in {len(files)} commune csv files "
            f"({size / 1e6:.1f} MB, largest {max(len(f.content) for f in files) / 1e3:.0f} kB)"
        )
        job = await import_through_job(job_url, files, max_seconds=max_seconds, profile_to=profile_to)
        if job["timed_out"]:
            raise RuntimeError(
                f"the import job did not finish {households:,} households in {max_seconds:.0f} s "
                f"({job['rows']:,} rows done): measure a smaller --households"
            )
        if job["error_rows"] or job["persons_created"] != persons or job["households_created"] != households:
            raise RuntimeError(f"the job did not take every row: {job}")
        written = await _counts(job_url)
        before = await _counts(copy_url)  # the schema as it was before the import
        job_written = {t: n - before.get(t, 0) for t, n in written.items() if n != before.get(t, 0)}
        copy = await copy_same_rows(job_url, copy_url)
    finally:
        if not keep:
            await drop_database(admin, job_db)
            await drop_database(admin, copy_db)
    ratio = copy["seconds"] / job["seconds"]
    result: dict[str, Any] = {
        "parameters": {
            "households": households,
            "households_per_file": households_per_file,
            "seed": seed,
            "max_seconds": max_seconds,
        },
        "files": {
            "count": len(files),
            "communes": len(units),
            "bytes": size,
            "largest_bytes": max(len(f.content) for f in files),
            "limit_bytes": MAX_IMPORT_BYTES,
            "households": households,
            "persons": persons,
        },
        "setup_seconds": round(setup_s, 1),
        "job": job,
        "copy": copy,
        "rows_written_by_job": job_written,
        "job_persons_per_s": round(persons / job["seconds"]),
        "job_households_per_s": round(households / job["seconds"], 1),
        "worker_cpu_ms_per_household": round(job["worker_cpu_seconds"] * 1000 / households, 1),
        "copy_persons_per_s": round(persons / copy["seconds"]),
        "ratio_job_vs_copy": round(ratio, 4),
    }
    _print(result)
    return result


def _print(result: dict[str, Any]) -> None:
    job, copy, files = result["job"], result["copy"], result["files"]
    out(
        table(
            ["path", "households", "persons (file rows)", "seconds", "persons/s", "x COPY"],
            [
                [
                    f"upload + import job ({files['count']} files, HTTP, worker)",
                    files["households"],
                    files["persons"],
                    job["seconds"],
                    result["job_persons_per_s"],
                    round(result["ratio_job_vs_copy"], 4),
                ],
                [
                    "bare COPY of the same rows (3 tables)",
                    files["households"],
                    files["persons"],
                    copy["seconds"],
                    result["copy_persons_per_s"],
                    1.0,
                ],
            ],
        )
    )
    extra = {t: n for t, n in result["rows_written_by_job"].items() if t not in COPIED_TABLES}
    out(f"the job also wrote: {extra}")
    out(
        f"CPU seconds: worker {job['worker_cpu_seconds']} ({result['worker_cpu_ms_per_household']} ms per "
        f"household), API {job['api_cpu_seconds']} (uploads {job['upload_seconds']} s); "
        f"worker RSS peak {job['worker_rss_mb']['peak']} MB"
    )
    out(f"import job / bare COPY: {result['ratio_job_vs_copy']:.4f}x (goal >= 0.25x)")


def main() -> None:
    parser = argparse.ArgumentParser(description="Bulk import through the job vs a bare COPY")
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--households-per-file", type=int, default=FULL_SCALE_PER_FILE)
    parser.add_argument("--seed", type=int, default=20251128)
    parser.add_argument("--max-seconds", type=float, default=240.0)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:55436/postgres")
    parser.add_argument("--keep", action="store_true", help="keep the two databases")
    parser.add_argument("--profile", default=None, help="write the worker's cProfile stats here")
    args = parser.parse_args()

    async def go() -> None:
        result = await run(
            args.pg_url,
            households=args.households,
            households_per_file=args.households_per_file,
            seed=args.seed,
            max_seconds=args.max_seconds,
            keep=args.keep,
            profile_to=args.profile,
        )
        result["machine"] = await describe_machine(args.pg_url)
        out(f"-> {write_result('imports', result)}")

    asyncio.run(go())


if __name__ == "__main__":
    main()
