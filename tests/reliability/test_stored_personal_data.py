"""Issue 10 item 7: no plaintext citizen ID or phone number in the databases, the logs or an error body.

Runs last in tests/reliability (by name), after the races and the stateful run have used the same
committed databases and every app has recorded its error answers (`committed.RECORDED`, the matrix's
and the bounded fuzz run's included) and the services' log lines (`committed.LOG_SINK`). It seeds its
own known numbers through the real APIs (households, members, updates, lookups, a household import
run by its job, VBSP loan events) and provokes the errors that carry them (duplicates, refused checks,
conflicts), then scans:

(a) a `pg_dump` of each service's database, text and bytea (decoded from hex) alike;
(b) the services' log output, as the JSON formatter writes it;
(c) every error body: for the known numbers, and for any personal number its own request sent.

Each number is looked for in its usual written forms (plain, grouped with spaces, +84 and 84 for
phones). The scanner proves itself first on values planted where a leak would put them.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import re
import subprocess
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from committed import (
    FUNDING,
    LOG_SINK,
    RECORDED,
    REGISTRY,
    SERVICES,
    Committed,
    ErrorAnswer,
    LogSink,
    committed_app,
    write_figure,
)
from reliability_matrix import COMMUNES, PROVINCE
from sqlalchemy import make_url, text

from servicekit.testing.tokens import TEST_ISSUER, TestIssuer

# The numbers this module seeds (made up, well formed: digit 4 and digits 5-6 agree with the person).
HEAD_ID = "031078512346"  # male, 1978
MEMBER_ID = "031185402917"  # female, 1985
IMPORTED_ID = "031064773018"  # male, 1964, only ever sent inside an uploaded file
BORROWER_ID = "031092765431"  # male, 1992 (a VBSP borrower)
OTHER_BORROWER_ID = "031287310552"  # female, 1987: a conflicting borrower for the same loan
REFUSED_ID = "031090512346"  # refused: its birth-year digits do not match the person
HEAD_PHONE = "0912408736"
MEMBER_PHONE = "0358201947"
NEW_PHONE = "0868215309"
IMPORTED_PHONE = "0977340518"
CITIZEN_IDS = (HEAD_ID, MEMBER_ID, IMPORTED_ID, BORROWER_ID, OTHER_BORROWER_ID, REFUSED_ID)
PHONES = (HEAD_PHONE, MEMBER_PHONE, NEW_PHONE, IMPORTED_PHONE)
CANARY_ID = "031199887766"
CANARY_PHONE = "0399887766"


# ------------------------------------------------------------------------------------ the scanner


def written_forms(number: str) -> set[str]:
    """How a citizen ID or a phone is written: plain, grouped with spaces, and (phones) +84 / 84."""
    forms = {number, " ".join(re.findall(r"\d{1,3}", number)), " ".join(re.findall(r"\d{1,4}", number))}
    if number.startswith("0") and len(number) == 10:
        national = number[1:]
        forms |= {
            "+84" + national,
            "84" + national,
            "+84 " + " ".join([national[:3], national[3:6], national[6:]]),
            " ".join([number[:4], number[4:7], number[7:]]),
        }
    return forms


@dataclass(frozen=True)
class Hit:
    where: str
    number: str
    form: str
    context: str


@functools.cache
def _pattern(numbers: frozenset[str]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regular expression for every written form of every number (one pass over a large dump)."""
    forms = {form: number for number in numbers for form in written_forms(number)}
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    # Not inside a longer run of digits (an amount, a hash): the number itself.
    return re.compile(rf"(?<!\d)(?:{alternatives})(?!\d)"), forms


def scan_text(where: str, content: str, numbers: set[str]) -> list[Hit]:
    if not numbers:
        return []
    pattern, forms = _pattern(frozenset(numbers))
    hits = []
    for match in pattern.finditer(content):
        start = max(0, match.start() - 60)
        context = content[start : match.end() + 60].replace("\n", " ")
        hits.append(Hit(where, forms[match.group(0)], match.group(0), context))
    return hits


BYTEA = re.compile(r"\\\\x([0-9a-f]{2,})")


def scan_dump(where: str, dump: str, numbers: set[str]) -> list[Hit]:
    """The dump's text, and every bytea value in it decoded from hex (an uploaded file, a blob)."""
    hits = scan_text(where, dump, numbers)
    for match in BYTEA.finditer(dump):
        decoded = bytes.fromhex(match.group(1)).decode("utf-8", errors="replace")
        hits += scan_text(f"{where} (bytea)", decoded, numbers)
    return hits


def echoed(answer: ErrorAnswer) -> list[Hit]:
    """A personal number the request sent, quoted back in its error answer."""
    return scan_text(f"{answer.service} {answer.request} -> {answer.status}", answer.body, answer.sent)


def pg_dump(url: str) -> str:
    from devstack.postgres import POSTGRES_BIN_PATH

    parsed = make_url(url)
    argv = [
        str(POSTGRES_BIN_PATH / "pg_dump"),
        "--no-owner",
        "--no-privileges",
        "-h",
        parsed.host or "127.0.0.1",
        "-p",
        str(parsed.port or 5432),
        "-U",
        parsed.username or "postgres",
        parsed.database or "",
    ]
    env = {**os.environ, "PGPASSWORD": parsed.password or ""}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


# ------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
async def apps(pg_admin_url: str, test_issuer: TestIssuer) -> AsyncIterator[dict[str, Committed]]:
    found = {s.name: await committed_app(pg_admin_url, s, test_issuer) for s in SERVICES}
    yield found
    for committed in found.values():
        await committed.engine.dispose()


@pytest.fixture(scope="module")
async def clients(apps: dict[str, Committed]) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    async with contextlib.AsyncExitStack() as stack:
        found = {}
        for name, committed in apps.items():
            transport = httpx.ASGITransport(app=committed.app, raise_app_exceptions=False)  # type: ignore[arg-type]
            found[name] = await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url="http://test", timeout=60)
            )
        yield found


def demo_numbers() -> set[str]:
    """The demo seeds' citizen IDs and phones (they are imported as files too, by the demo imports)."""
    from registry_api.household.demo import demo_households

    found: set[str] = set()
    for household in demo_households():
        for person in [household.body.head, *household.body.members]:
            found |= {re.sub(r"\D", "", v) for v in (person.citizen_id, person.phone) if v}
    return {n if not n.startswith("84") else "0" + n[2:] for n in found}


async def run_registry_jobs(committed: Committed) -> int:
    """Run registry-api's queued jobs once, as its worker would (the household import among them),
    with the settings the tests' apps use (the same personal-data keys)."""
    from registry_api import config
    from registry_api.models.platform import Job
    from registry_api.worker import registry as worker_registry
    from servicekit.jobs import Worker

    values = {
        "REGISTRY_ENV": "test",
        "REGISTRY_DATABASE_URL": committed.url,
        "REGISTRY_OIDC_ISSUER": TEST_ISSUER,
        "REGISTRY_PII_ENCRYPTION_KEY": "test-encryption-key-" + "0" * 24,
        "REGISTRY_PII_BLIND_INDEX_KEY": "test-blind-index-key-" + "0" * 23,
    }
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    config.get_settings.cache_clear()
    try:
        worker = Worker(
            committed.sessionmaker, Job, worker_registry(), worker_id="rel-pii", progress_interval_s=0
        )
        ran = 0
        while ran < 50 and await worker.run_once():
            ran += 1
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old
        config.get_settings.cache_clear()
    return ran


# ------------------------------------------------------------------------------------ seeding


async def seed_personal_data(
    apps: dict[str, Committed], clients: dict[str, httpx.AsyncClient]
) -> dict[str, int]:
    """Known numbers through every path that takes them, and the errors that carry them."""
    registry, funding = clients[REGISTRY.name], clients[FUNDING.name]
    officer = apps[REGISTRY.name].auth(["province_officer", "commune_officer"], [PROVINCE])
    statuses: dict[str, int] = {}

    def keyed(headers: dict[str, str]) -> dict[str, str]:
        return {**headers, "Idempotency-Key": str(uuid.uuid4())}

    head = {
        "full_name": "Trần Văn Riêng",
        "date_of_birth": "1978-04-02",
        "gender": "male",
        "citizen_id": "031 078 512 346",  # spaced, as people type it
        "phone": "0912 408 736",
    }
    member = {
        "full_name": "Lê Thị Kín",
        "date_of_birth": "1985-09-17",
        "gender": "female",
        "citizen_id": MEMBER_ID,
        "phone": "+84358201947",
        "relationship": "spouse",
    }
    household = {
        "province_code": PROVINCE,
        "commune_code": COMMUNES[0],
        "address": "Số 7 ngõ Riêng Tư",
        "residence_area": "urban",
        "head": head,
        "members": [member],
    }
    created = await registry.post("/v1/households", json=household, headers=keyed(officer))
    statuses["household"] = created.status_code
    assert created.status_code == 201, created.text
    # The same head again (a duplicate citizen ID), a refused check, malformed numbers, an unknown field.
    statuses["duplicate"] = (
        await registry.post("/v1/households", json=household, headers=keyed(officer))
    ).status_code
    refused = {**household, "head": {**head, "citizen_id": REFUSED_ID}}
    statuses["refused"] = (
        await registry.post("/v1/households", json=refused, headers=keyed(officer))
    ).status_code
    bad_phone = {**household, "head": {**head, "citizen_id": HEAD_ID, "phone": HEAD_PHONE[:-1]}}
    statuses["bad_phone"] = (
        await registry.post("/v1/households", json=bad_phone, headers=keyed(officer))
    ).status_code
    extra = {**household, "cccd_chu_ho": HEAD_ID}
    statuses["unknown_field"] = (
        await registry.post("/v1/households", json=extra, headers=keyed(officer))
    ).status_code
    # Lookups by number (in a body, never a URL), a name search with a number, a reveal.
    lookup = await registry.post("/v1/persons/lookup", json={"citizen_id": HEAD_ID}, headers=officer)
    statuses["lookup"] = lookup.status_code
    both = {"citizen_id": MEMBER_ID, "legacy_id_number": "031456789"}
    statuses["lookup_both"] = (
        await registry.post("/v1/persons/lookup", json=both, headers=officer)
    ).status_code
    statuses["search"] = (
        await registry.get("/v1/persons", params={"q": HEAD_ID}, headers=officer)
    ).status_code
    person_id = next(p["id"] for p in lookup.json()["items"])
    reveal = {"fields": ["citizen_id", "phone"], "purpose": "Đối chiếu hồ sơ vay vốn VBSP"}
    statuses["reveal"] = (
        await registry.post(f"/v1/persons/{person_id}/reveal", json=reveal, headers=officer)
    ).status_code
    current = await registry.get(f"/v1/persons/{person_id}", headers=officer)
    update = {"phone": NEW_PHONE}
    statuses["update"] = (
        await registry.patch(
            f"/v1/persons/{person_id}", json=update, headers={**officer, "If-Match": current.headers["etag"]}
        )
    ).status_code
    stale = {"phone": HEAD_PHONE}
    statuses["stale_update"] = (
        await registry.patch(
            f"/v1/persons/{person_id}", json=stale, headers={**officer, "If-Match": current.headers["etag"]}
        )
    ).status_code
    # A commune's list uploaded as a file, and imported by the job.
    csv = (
        "STT,Họ và tên,Số CCCD,Ngày sinh,Giới tính,Thôn/Tổ dân phố,Quan hệ với chủ hộ,Diện hộ,"
        "Hiện trạng nhà ở,Diện tích nhà (m²),Số nhân khẩu,Ghi chú\n"
        f"1,Phạm Văn Nhập,{IMPORTED_ID},12/05/1964,Nam,Tổ dân phố số 2,Chủ hộ,Hộ nghèo,Nhà tạm,24,3,"
        f"SĐT {IMPORTED_PHONE}\n"
    ).encode()
    upload = await registry.post(
        "/v1/imports",
        params={"filename": "rel_ra_soat.csv", "commune_code": COMMUNES[0]},
        content=csv,
        headers={**officer, "Content-Type": "text/csv"},
    )
    statuses["import"] = upload.status_code
    statuses["jobs"] = await run_registry_jobs(apps[REGISTRY.name])
    # registry-api's confirmation for a bank (the number in a body, answered with the outcome).
    bank = apps[REGISTRY.name].auth(["bank_integration"], [PROVINCE], client_id="vbsp")
    confirm = {"citizen_id": BORROWER_ID, "purpose": "loan"}
    statuses["confirmation"] = (
        await registry.post("/v1/eligibility-confirmations", json=confirm, headers=keyed(bank))
    ).status_code
    # VBSP loan events: a borrower, the same loan claimed for another borrower, a malformed number.
    vbsp = apps[FUNDING.name].auth(["bank_integration"], [PROVINCE], client_id="vbsp")
    loan_ref = f"REL-PII-{uuid.uuid4().hex[:8]}"
    event = {
        "event_id": f"{loan_ref}-1",
        "loan_ref": loan_ref,
        "sequence": 1,
        "occurred_at": "2025-11-20T10:00:00+07:00",
        "type": "approved",
        "amount_vnd": 400_000_000,
        "borrower_citizen_id": BORROWER_ID,
        "purpose": "buy",
        "province_code": PROVINCE,
        "commune_code": COMMUNES[0],
        "contract_value_vnd": 900_000_000,
    }
    statuses["loan"] = (await funding.post("/v1/loan-events", json=event, headers=keyed(vbsp))).status_code
    conflict = {**event, "event_id": f"{loan_ref}-2", "sequence": 2, "borrower_citizen_id": OTHER_BORROWER_ID}
    statuses["loan_conflict"] = (
        await funding.post("/v1/loan-events", json=conflict, headers=keyed(vbsp))
    ).status_code
    malformed = {**event, "event_id": f"{loan_ref}-3", "borrower_citizen_id": BORROWER_ID + "9"}
    statuses["loan_malformed"] = (
        await funding.post("/v1/loan-events", json=malformed, headers=keyed(vbsp))
    ).status_code
    return statuses


# ------------------------------------------------------------------------------------ the tests


def test_the_scanner_finds_what_it_looks_for() -> None:
    """Every written form, in text and in a hex-encoded bytea; never inside a longer number."""
    for form in written_forms(CANARY_PHONE) | written_forms(CANARY_ID):
        number = CANARY_PHONE if form.replace(" ", "").endswith(CANARY_PHONE[1:]) else CANARY_ID
        assert scan_text("t", f"x {form} y", {number}), form
    assert not scan_text("t", f"amount 9{CANARY_ID}0 VND", {CANARY_ID})
    hex_blob = f"COPY t (b) FROM stdin;\n\\\\x{('name,' + CANARY_ID).encode().hex()}\n"
    assert [h.where for h in scan_dump("d", hex_blob, {CANARY_ID})] == ["d (bytea)"]


async def test_no_plaintext_personal_number_is_stored_logged_or_answered(
    apps: dict[str, Committed], clients: dict[str, httpx.AsyncClient]
) -> None:
    LOG_SINK.attach()
    clock = time.monotonic()
    statuses = await seed_personal_data(apps, clients)
    seeded_s = time.monotonic() - clock
    assert statuses["household"] == 201
    assert statuses["import"] in (200, 202), statuses
    assert (statuses["loan"], statuses["loan_conflict"]) == (201, 409), statuses
    assert (statuses["duplicate"], statuses["refused"], statuses["bad_phone"]) == (409, 422, 422), statuses
    known = set(CITIZEN_IDS) | set(PHONES)
    demo = demo_numbers()

    # The scanner's own proof, on each kind of evidence: a planted plaintext value is found.
    registry = apps[REGISTRY.name]
    async with registry.sessionmaker() as session, session.begin():
        await session.execute(text("CREATE TABLE rel_pii_canary (note text, blob bytea)"))
        await session.execute(
            text("INSERT INTO rel_pii_canary VALUES (:note, :blob)"),
            {"note": f"gọi {CANARY_PHONE}", "blob": f"cccd;{CANARY_ID}".encode()},
        )
    try:
        planted = await asyncio.to_thread(pg_dump, registry.url)
    finally:
        async with registry.sessionmaker() as session, session.begin():
            await session.execute(text("DROP TABLE rel_pii_canary"))
    found = {(h.number, h.where) for h in scan_dump("registry", planted, {CANARY_ID, CANARY_PHONE})}
    assert found == {(CANARY_PHONE, "registry"), (CANARY_ID, "registry (bytea)")}, found
    probe = LogSink()
    logging.getLogger("rel.canary").addHandler(probe)
    try:
        logging.getLogger("rel.canary").warning("citizen %s", " ".join(re.findall(r"\d{3}", CANARY_ID)))
    finally:
        logging.getLogger("rel.canary").removeHandler(probe)
    assert scan_text("log", "\n".join(probe.lines), {CANARY_ID}), probe.lines
    fake = ErrorAnswer("x", "POST /v1/x", 422, f'{{"detail": "bad {CANARY_ID}"}}', {CANARY_ID})
    assert echoed(fake)

    # (a) the databases
    clock = time.monotonic()
    hits: list[Hit] = []
    sizes = {}
    for service in SERVICES:
        dump = await asyncio.to_thread(pg_dump, apps[service.name].url)
        sizes[service.name] = len(dump)
        hits += scan_dump(service.name, dump, known | demo)
    # (b) the logs, as the services print them
    log_text = "\n".join(LOG_SINK.lines)
    hits += scan_text("logs", log_text, known | demo)
    # (c) every error body: the known numbers, and whatever personal number its request sent
    for answer in RECORDED.errors:
        hits += scan_text(
            f"error {answer.service} {answer.request} {answer.status}", answer.body, known | demo
        )
        hits += echoed(answer)
    scanned_s = time.monotonic() - clock
    write_figure(
        f"pii seeded_s={seeded_s:.1f} jobs={statuses['jobs']} scanned_s={scanned_s:.1f} dumps={sizes}"
        f" log_lines={len(LOG_SINK.lines)} answers={RECORDED.answers} error_bodies={len(RECORDED.errors)}"
        f" with_sent_numbers={sum(bool(a.sent) for a in RECORDED.errors)}"
        f" numbers={len(known | demo)} hits={len(hits)}"
    )
    report = "\n".join(f"{h.where}: {h.form!r} in …{h.context}…" for h in hits[:30])
    assert not hits, f"{len(hits)} plaintext personal numbers found:\n{report}"
    assert LOG_SINK.lines, "no log line was captured: the log scan saw nothing"
    assert RECORDED.errors, "no error answer was recorded: the error-body scan saw nothing"
