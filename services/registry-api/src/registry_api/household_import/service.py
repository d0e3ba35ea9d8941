"""Bulk import of households (with their persons) from commune lists, and streamed exports.

An upload stores the file (bytes and SHA-256) and queues a job; the job parses and checks every row,
then writes through the household and person services, so validation, encryption, audit and events
are the same as for a household recorded by hand. Households are matched by the head's citizen ID
(the person service's blind-index lookup, nothing decrypted) and members by citizen ID or by name and
birth, so a second import of the same list adds nothing. Rules: docs/rules/import-export.md.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.household.errors import AreaNotCovered
from registry_api.household.schemas import HouseholdCreate
from registry_api.household.service import NewHousehold, household_service
from registry_api.household_import.errors import (
    ImportCommuneUnknown,
    ImportFileEmpty,
    ImportFormatUnsupported,
    ImportNotFound,
)
from registry_api.household_import.parsing import DISPLAY, CellError, FileUnreadable, ParsedRow, parse
from registry_api.household_import.repository import ExportRepository, ExportRow, ImportRepository
from registry_api.models import (
    AdminUnit,
    AdminUnitLevel,
    AdminUnitScheme,
    AuditRecord,
    Household,
    HouseholdImport,
    HouseholdImportError,
    ImportKind,
    ImportMode,
    ImportStatus,
    Job,
    OutboxEvent,
    Person,
    Relationship,
    ResidenceArea,
)
from registry_api.person.errors import CitizenIdIsLegacyNumber, CitizenIdTaken
from registry_api.person.identifiers import Gender, fold_name
from registry_api.person.pii import CITIZEN_ID_PURPOSE
from registry_api.person.schemas import HeadCreate, LookupRequest, MemberCreate, PersonCreate
from registry_api.person.service import checked_citizen_id, local_today, person_service, resolve_birth_year
from registry_api.reviewimport.service import ResultCounts, ResultsTarget, review_import_service
from registry_api.spreadsheet import DATA_ROWS_PER_SHEET, SheetRowsWriter
from servicekit.areas import AreaScope
from servicekit.audit import record_access
from servicekit.context import current_principal
from servicekit.db.base import new_id
from servicekit.errors import AppError
from servicekit.jobs import enqueue
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.pii import KEY_VERSION, PiiCipher
from servicekit.principal import Principal

IMPORT_JOB = "registry.household_import"
MAX_IMPORT_BYTES = 10 * 1024 * 1024  # a commune list is well under 1 MiB; this bounds memory per upload
FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".xls": "xls", ".ods": "ods"}
BATCH_ROWS = 50  # rows committed together (accepting valid rows): progress, and what a crash re-does
EXPORT_BATCH = 500
EXPORT_SHEET = "Danh sách hộ"
EXPORT_HEADINGS = [
    "STT",
    "Mã hộ",
    "Họ và tên chủ hộ",
    "Số CCCD",
    "Ngày sinh",
    "Năm sinh",
    "Giới tính",
    "Thôn/Tổ dân phố",
    "Địa chỉ",
    "Khu vực",
    "Mã tỉnh",
    "Mã xã",
    "Số nhân khẩu",
]
GENDER_WORDS = {"male": "Nam", "female": "Nữ"}
AREA_WORDS = {"urban": "Thành thị", "rural": "Nông thôn"}
ProgressFn = Callable[[int, int], Awaitable[None]]


def file_format(filename: str) -> str:
    _, ext = os.path.splitext(filename.lower())
    fmt = FORMATS.get(ext)
    if fmt is None:
        raise ImportFormatUnsupported(f"Cannot import a {ext or 'nameless'} file.")
    return fmt


def caller_principal(row: HouseholdImport) -> Principal:
    """The uploader's rights as they were at upload: the job acts with them, and audits as them."""
    return Principal(
        subject=row.created_by,
        client_id="registry-api:import",
        roles=frozenset(row.caller_roles),
        scopes=frozenset(),
        area=AreaScope.from_codes(list(row.caller_area_codes)),
    )


async def _emit(session: AsyncSession, type_: str, row: HouseholdImport, **data: object) -> None:
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("registry", "household-import", row.id),
        area_codes=[row.province_code, row.commune_code],
        data={"import_id": row.id, "status": row.status, **data},
    )


# ------------------------------------------------------------------------------------ rows -> households


@dataclass(frozen=True)
class Target:
    """Where the file's households go."""

    province_code: str
    commune_code: str
    commune_name: str
    residence_area: ResidenceArea
    results: ResultsTarget | None = None  # kind review_results: also each row's review results


@dataclass
class Group:
    """A household row and the member rows under it."""

    head: ParsedRow
    members: list[ParsedRow] = field(default_factory=list)

    @property
    def rows(self) -> list[ParsedRow]:
        return [self.head, *self.members]


@dataclass
class Counts(ResultCounts):
    households_created: int = 0
    households_matched: int = 0
    persons_created: int = 0
    persons_matched: int = 0

    def add(self, other: ResultCounts) -> None:
        for f in fields(other):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def _column_of(pointer: str) -> str | None:
    last = pointer.rsplit("/", 1)[-1]
    name = {"legacy_id_number": "citizen_id", "birth_year": "date_of_birth"}.get(last, last)
    return DISPLAY.get(name)


def _row_of(group: Group, pointer: str) -> ParsedRow:
    parts = pointer.split("/")
    if "members" in parts:
        index = parts.index("members") + 1
        if index < len(parts) and parts[index].isdigit() and int(parts[index]) < len(group.members):
            return group.members[int(parts[index])]
    return group.head


def _record_app_error(group: Group, exc: AppError, *, default_row: ParsedRow | None = None) -> None:
    if exc.errors:
        for err in exc.errors:
            row = default_row or _row_of(group, err.pointer)
            row.errors.append(_cell(_column_of(err.pointer), err.code, err.message))
    else:
        (default_row or group.head).errors.append(_cell(None, exc.code, exc.title))


def _cell(column: str | None, code: str, message: str) -> CellError:
    return CellError(column, code, message)


def check_identifiers(row: ParsedRow) -> None:
    """The person service's own checks (layout, century/gender digit, birth year), per row."""
    v = row.values
    if v.get("gender") is None or (v.get("birth_year") is None and v.get("date_of_birth") is None):
        return
    try:
        resolve_birth_year(v.get("date_of_birth"), v.get("birth_year"), pointer="")
    except AppError as exc:
        row.errors.extend(_cell(DISPLAY["date_of_birth"], e.code, e.message) for e in exc.errors or [])
        return
    raw = v.get("citizen_id")
    if raw is None:
        return
    try:
        v["citizen_id"] = checked_citizen_id(
            raw, birth_year=v["birth_year"], gender=Gender(v["gender"]), pointer="/citizen_id"
        )
    except CitizenIdIsLegacyNumber as exc:
        if row.is_member:
            v["legacy_id_number"], v["citizen_id"] = raw, None  # a member may keep the old number
            return
        row.errors.extend(_cell(DISPLAY["citizen_id"], e.code, e.message) for e in exc.errors or [])
    except AppError as exc:
        row.errors.extend(_cell(DISPLAY["citizen_id"], e.code, e.message) for e in exc.errors or [])


def group_rows(rows: list[ParsedRow]) -> list[Group]:
    """Member rows belong to the household row above them; a head's ID twice in the file is an error."""
    groups: list[Group] = []
    seen: dict[str, int] = {}
    for row in rows:
        check_identifiers(row)
        if row.is_member:
            if not groups:
                row.error("relationship", "member_without_household", "no household row above this member")
            else:
                groups[-1].members.append(row)
            continue
        cid = row.values.get("citizen_id")
        if cid and not row.errors:
            if cid in seen:
                row.error("citizen_id", "duplicate_in_file", f"the same head's citizen ID as row {seen[cid]}")
            else:
                seen[cid] = row.row_number
        groups.append(Group(row))
    for group in groups:
        if group.head.errors:
            for member in group.members:
                member.error(
                    None, "household_row_invalid", f"the household row {group.head.row_number} has errors"
                )
        elif any(m.errors for m in group.members):
            group.head.error(None, "member_row_invalid", "a member row of this household has errors")
    return groups


def _citizen_bidxs(group: Group, cipher: PiiCipher) -> set[str]:
    return {
        cipher.blind_index(r.values["citizen_id"], purpose=CITIZEN_ID_PURPOSE)
        for r in group.rows
        if r.values.get("citizen_id")
    }


def _person_fields(row: ParsedRow) -> dict[str, Any]:
    v = row.values
    fields: dict[str, Any] = {
        "full_name": v["full_name"],
        "date_of_birth": v.get("date_of_birth"),
        "birth_year": v.get("birth_year"),
        "gender": v["gender"],
        "citizen_id": v.get("citizen_id"),
    }
    if v.get("legacy_id_number"):
        fields["legacy_id_number"] = v["legacy_id_number"]
    return fields


# Bound to the ciphertext: an uploaded file's ciphertext cannot be decrypted as another column's.
UPLOAD_CONTEXT = "household_import.content"


def stored_file(cipher: PiiCipher, blob: bytes) -> bytes:
    """The uploaded file's bytes. Files stored before uploads were encrypted are read as they are (a
    ciphertext starts with the key-version byte, 0x01; no csv or spreadsheet does)."""
    if blob[:1] != bytes([KEY_VERSION]):
        return blob
    return cipher.decrypt_bytes(blob, context=UPLOAD_CONTEXT)


class ImportService:
    # ------------------------------------------------------------------------------ upload and reads

    async def upload(
        self,
        session: AsyncSession,
        caller: Principal,
        *,
        filename: str,
        content: bytes,
        commune_code: str,
        mode: ImportMode,
        residence_area: ResidenceArea | None,
        kind: ImportKind = ImportKind.HOUSEHOLDS,
        campaign_id: uuid.UUID | None = None,
        meeting_held_on: date | None = None,
        meeting_agreement_pct: Decimal | None = None,
        cipher: PiiCipher,
    ) -> tuple[HouseholdImport, bool]:
        """Store the file (encrypted: a commune's list is citizen IDs and phones) and queue its import;
        the same file again (same SHA-256, commune, mode, kind and campaign) answers with the earlier
        import, `False` saying nothing new was queued."""
        fmt = file_format(filename)
        if not content:
            raise ImportFileEmpty("The file is empty.")
        unit = await session.scalar(
            select(AdminUnit).where(
                AdminUnit.scheme == AdminUnitScheme.CURRENT.value,
                AdminUnit.level == AdminUnitLevel.COMMUNE.value,
                AdminUnit.code == commune_code,
                AdminUnit.valid_to.is_(None),
            )
        )
        if unit is None or unit.parent_code is None:
            raise ImportCommuneUnknown(f"{commune_code} is not a current commune.")
        if not caller.covers(unit.parent_code, commune_code):
            raise AreaNotCovered(f"You do not cover commune {commune_code}.")
        await review_import_service.check_upload(
            session,
            caller,
            kind=kind,
            province_code=unit.parent_code,
            campaign_id=campaign_id,
            meeting_held_on=meeting_held_on,
            meeting_agreement_pct=meeting_agreement_pct,
            today=local_today(),
        )
        sha256 = hashlib.sha256(content).hexdigest()
        repo = ImportRepository(session)
        earlier = await repo.same_file(commune_code, sha256, mode.value, kind.value, campaign_id)
        if earlier is not None:
            return earlier, False
        area = residence_area or (ResidenceArea.RURAL if unit.division_type == "xã" else ResidenceArea.URBAN)
        row = HouseholdImport(
            id=new_id(),
            province_code=unit.parent_code,
            commune_code=commune_code,
            filename=filename[:255],
            file_format=fmt,
            size_bytes=len(content),
            sha256=sha256,
            content=cipher.encrypt_bytes(content, context=UPLOAD_CONTEXT),
            mode=mode.value,
            kind=kind.value,
            campaign_id=campaign_id,
            meeting_held_on=meeting_held_on,
            meeting_agreement_pct=meeting_agreement_pct,
            status=ImportStatus.QUEUED.value,
            residence_area=area.value,
            created_by=caller.subject,
            caller_roles=sorted(caller.roles),
            caller_area_codes=sorted(caller.area.provinces | caller.area.communes),
        )
        await repo.save(row)
        job = await enqueue(
            session,
            Job,
            IMPORT_JOB,
            {"import_id": str(row.id)},
            dedupe_key=f"{IMPORT_JOB}:{row.id}",
            created_by=caller.subject,
        )
        row.job_id = job.id
        await repo.save(row)
        await _emit(session, "household_import.queued", row)
        return row, True

    async def get(self, session: AsyncSession, caller: Principal, import_id: uuid.UUID) -> HouseholdImport:
        row = await ImportRepository(session).get_in_area(import_id, caller.area)
        if row is None:
            raise ImportNotFound(f"No import {import_id} in your area.")
        return row

    async def list_imports(
        self, session: AsyncSession, caller: Principal, params: PageParams
    ) -> tuple[list[HouseholdImport], str | None]:
        return await ImportRepository(session).list_imports(params, caller.area)

    async def errors(
        self, session: AsyncSession, caller: Principal, import_id: uuid.UUID
    ) -> list[HouseholdImportError]:
        row = await self.get(session, caller, import_id)
        return await ImportRepository(session).errors(row.id)

    # ------------------------------------------------------------------------------ the job

    async def run(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        cipher: PiiCipher,
        import_id: uuid.UUID,
        *,
        progress: ProgressFn | None = None,
    ) -> dict[str, Any]:
        """Import the stored file. Safe to run again after a crash: finished imports return their
        result, committed batches are skipped, and every household is matched before it is created."""
        async with sessionmaker() as session, session.begin():
            row = await ImportRepository(session).with_content(import_id)
            if row is None:
                return {"missing": True}
            if row.status in (ImportStatus.COMPLETED, ImportStatus.REJECTED, ImportStatus.FAILED):
                return self.summary(row)
            content, fmt, mode = stored_file(cipher, row.content), row.file_format, ImportMode(row.mode)
            caller, resume_after = caller_principal(row), row.processed_rows
            commune_name = await session.scalar(
                select(AdminUnit.name).where(
                    AdminUnit.scheme == AdminUnitScheme.CURRENT.value, AdminUnit.code == row.commune_code
                )
            )
            assert row.commune_code is not None
            results = None
            if row.kind == ImportKind.REVIEW_RESULTS:
                assert row.campaign_id
                assert row.meeting_held_on
                assert row.meeting_agreement_pct is not None
                results = ResultsTarget(
                    campaign_id=row.campaign_id,
                    meeting_held_on=row.meeting_held_on,
                    meeting_agreement_pct=row.meeting_agreement_pct,
                    assessor=f"Danh sách rà soát {commune_name or row.commune_code}"[:200],
                )
            target = Target(
                row.province_code,
                row.commune_code,
                commune_name or "",
                ResidenceArea(row.residence_area),
                results,
            )
            row.status = ImportStatus.RUNNING.value
        token = current_principal.set(caller)
        try:
            try:
                parsed = parse(content, fmt, today=local_today())
            except FileUnreadable as exc:
                return await self._finish_unreadable(sessionmaker, import_id, exc)
            groups = group_rows(parsed.rows)
            total = len(parsed.rows)
            if mode is ImportMode.ALL_OR_NOTHING:
                return await self._all_or_nothing(
                    sessionmaker, cipher, import_id, caller, target, groups, total
                )
            return await self._accept_valid(
                sessionmaker, cipher, import_id, caller, target, groups, total, resume_after, progress
            )
        finally:
            current_principal.reset(token)

    async def _finish_unreadable(
        self, sessionmaker: async_sessionmaker[AsyncSession], import_id: uuid.UUID, exc: FileUnreadable
    ) -> dict[str, Any]:
        async with sessionmaker() as session, session.begin():
            repo = ImportRepository(session)
            row = await repo.get(import_id)
            assert row is not None
            await repo.replace_errors(
                row.id,
                [HouseholdImportError(id=new_id(), import_id=row.id, code=exc.code, message=exc.message)],
            )
            row.status, row.finished_at = ImportStatus.FAILED.value, func.now()
            await repo.save(row)
            await _emit(session, "household_import.finished", row)
            return self.summary(row)

    async def _all_or_nothing(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        cipher: PiiCipher,
        import_id: uuid.UUID,
        caller: Principal,
        target: Target,
        groups: list[Group],
        total: int,
    ) -> dict[str, Any]:
        counts = Counts()
        valid = all(not r.errors for g in groups for r in g.rows)
        async with sessionmaker() as session:
            if valid:
                async with session.begin():
                    for group in groups:
                        counts.add(await self._apply(session, caller, cipher, target, group))
                    if any(r.errors for g in groups for r in g.rows):
                        await session.rollback()  # one row failed while writing: nothing is kept
                        counts = Counts()
                    else:
                        await self._finish(session, import_id, groups, total, counts, replace=True)
                        return self.summary(await self._reload(session, import_id))
            async with session.begin():
                await self._finish(session, import_id, groups, total, Counts(), replace=True, rejected=True)
                return self.summary(await self._reload(session, import_id))

    async def _accept_valid(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        cipher: PiiCipher,
        import_id: uuid.UUID,
        caller: Principal,
        target: Target,
        groups: list[Group],
        total: int,
        resume_after: int,
        progress: ProgressFn | None,
    ) -> dict[str, Any]:
        done = 0
        batch: list[Group] = []
        for group in groups:
            done_after = done + len(group.rows)
            if done_after <= resume_after:
                done = done_after  # committed by an earlier attempt
                continue
            batch.append(group)
            if sum(len(g.rows) for g in batch) >= BATCH_ROWS:
                done = await self._commit_batch(
                    sessionmaker, cipher, import_id, caller, target, batch, total, done
                )
                batch = []
                if progress is not None:
                    await progress(done, total)
        done = await self._commit_batch(sessionmaker, cipher, import_id, caller, target, batch, total, done)
        async with sessionmaker() as session, session.begin():
            await self._finish(session, import_id, [], total, Counts(), replace=False)
            row = await self._reload(session, import_id)
        if progress is not None:
            await progress(total, total)
        return self.summary(row)

    async def _commit_batch(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        cipher: PiiCipher,
        import_id: uuid.UUID,
        caller: Principal,
        target: Target,
        batch: list[Group],
        total: int,
        done: int,
    ) -> int:
        """The batch's households, errors and counters in one transaction: a crash re-does the whole
        batch or none of it."""
        async with sessionmaker() as session, session.begin():
            if target.results is None:
                counts = await self._write_set_wise(session, caller, cipher, target, batch)
            else:
                counts = await self._write_one_by_one(session, caller, cipher, target, batch)
            repo = ImportRepository(session)
            row = await repo.get(import_id, for_update=True)
            assert row is not None
            rows = [r for g in batch for r in g.rows]
            await repo.add_errors(self._error_rows(import_id, rows))
            row.total_rows = total
            row.processed_rows = done + len(rows)
            row.error_rows += sum(1 for r in rows if r.errors)
            self._add_counts(row, counts)
            await repo.save(row)
            return row.processed_rows

    async def _write_one_by_one(
        self, session: AsyncSession, caller: Principal, cipher: PiiCipher, target: Target, batch: list[Group]
    ) -> Counts:
        """Each household through `_apply` in its own savepoint: a refused row leaves nothing behind."""
        counts = Counts()
        for group in batch:
            if not any(r.errors for r in group.rows):
                counts.add(await self._apply_alone(session, caller, cipher, target, group))
        return counts

    async def _apply_alone(
        self, session: AsyncSession, caller: Principal, cipher: PiiCipher, target: Target, group: Group
    ) -> Counts:
        async with session.begin_nested() as savepoint:
            counts = await self._apply(session, caller, cipher, target, group)
            if any(r.errors for r in group.rows):
                await savepoint.rollback()
                return Counts()
            return counts

    async def _write_set_wise(
        self, session: AsyncSession, caller: Principal, cipher: PiiCipher, target: Target, batch: list[Group]
    ) -> Counts:
        """`_write_one_by_one`'s result in a few statements. A row failing at insert time (another
        writer recorded one of its citizen IDs meanwhile) re-does the batch one by one, so that the
        error lands on its row."""
        errors_before = {id(r): list(r.errors) for g in batch for r in g.rows}
        try:
            async with session.begin_nested():
                return await self._write_new_households_together(session, caller, cipher, target, batch)
        except (IntegrityError, CitizenIdTaken):
            for group in batch:
                for r in group.rows:
                    r.errors[:] = errors_before[id(r)]
            return await self._write_one_by_one(session, caller, cipher, target, batch)

    async def _write_new_households_together(
        self, session: AsyncSession, caller: Principal, cipher: PiiCipher, target: Target, batch: list[Group]
    ) -> Counts:
        """Households whose citizen IDs nobody has (checked with one query for the batch) are created
        together: one statement each for the heads' lookup audit rows, the households, the persons,
        the memberships, the change audit of each of those three, and the events. Any other
        household (its head recorded: matched or refused; an ID recorded, twice in it, or in an
        earlier household of the batch; particulars the household service refuses) goes through
        `_apply` at its place in the file, after the households before it are written, so it meets
        exactly what it met one by one."""
        counts = Counts()
        valid = [g for g in batch if not any(r.errors for r in g.rows)]
        built: dict[int, NewHousehold] = {}
        if valid and await household_service.accepts_new_in(
            session, caller, target.province_code, target.commune_code
        ):
            for i, group in enumerate(valid):
                with contextlib.suppress(AppError, ValidationError):  # `_apply` records why, on its row
                    built[i] = household_service.build(cipher, self._household(target, group))
        taken = await person_service.citizen_bidxs_taken(
            session, [p.citizen_id_bidx for n in built.values() for p in n.persons if p.citizen_id_bidx]
        )
        claimed: set[str] = set()  # the IDs of this batch's households before this one
        together: list[NewHousehold] = []
        for i, group in enumerate(valid):
            new = built.get(i)
            ids = [p.citizen_id_bidx for p in new.persons if p.citizen_id_bidx] if new else []
            if new is not None and len(set(ids)) == len(ids) and not set(ids) & (taken | claimed):
                together.append(new)
                claimed.update(ids)
                continue
            counts.add(await self._create_together(session, together))
            together = []
            claimed.update(_citizen_bidxs(group, cipher))
            counts.add(await self._apply_alone(session, caller, cipher, target, group))
        counts.add(await self._create_together(session, together))
        return counts

    @staticmethod
    async def _create_together(session: AsyncSession, new: list[NewHousehold]) -> Counts:
        """New households as `_apply` creates them: each head looked up (and audited) first."""
        if not new:
            return Counts()
        await person_service.audit_lookups_not_found(session, len(new))
        await household_service.insert_many(session, new)
        return Counts(households_created=len(new), persons_created=sum(len(n.persons) for n in new))

    async def _apply(
        self, session: AsyncSession, caller: Principal, cipher: PiiCipher, target: Target, group: Group
    ) -> Counts:
        """Match the household by its head's citizen ID, else create it; then its members. Errors from
        the services become the rows' errors (the caller rolls back what this group wrote)."""
        counts = Counts()
        head = group.head
        try:
            found = await person_service.lookup(
                session, caller, cipher, LookupRequest(citizen_id=head.values["citizen_id"])
            )
            if not found:
                data = self._household(target, group)
                household, _ = await household_service.create(session, caller, cipher, data)
                counts.households_created += 1
                counts.persons_created += 1 + len(group.members)
                await self._results(session, caller, target, group, household, counts)
                return counts
            person = found[0]
            if person.relationship != Relationship.HEAD.value:
                head.error("citizen_id", "recorded_as_member", "recorded as a member of another household")
                return counts
            counts.households_matched += 1
            counts.persons_matched += 1
            household = await household_service.get(session, caller, person.household_id)
            existing = await household_service.members(session, household)
            for member in group.members:
                if self._matches(member, existing, cipher):
                    counts.persons_matched += 1
                    continue
                try:
                    body = PersonCreate(
                        **_person_fields(member),
                        relationship=Relationship(member.values["relationship"]),
                        household_id=household.id,
                    )
                    existing.append(await person_service.create(session, caller, cipher, body))
                    counts.persons_created += 1
                except AppError as exc:
                    _record_app_error(group, exc, default_row=member)
                except ValidationError:
                    member.error(None, "invalid", "the row's values are not accepted")
            await self._results(session, caller, target, group, household, counts)
        except AppError as exc:
            _record_app_error(group, exc)
        except ValidationError:
            head.error(None, "invalid", "the row's values are not accepted")
        return counts

    @staticmethod
    async def _results(
        session: AsyncSession,
        caller: Principal,
        target: Target,
        group: Group,
        household: Household,
        counts: Counts,
    ) -> None:
        """The row's review record and dwelling assessment (kind review_results), once the household
        and its members stand."""
        if target.results is None or any(r.errors for r in group.rows):
            return
        counts.add(await review_import_service.apply(session, caller, target.results, group.head, household))

    @staticmethod
    def _household(row: Target, group: Group) -> HouseholdCreate:
        hamlet = group.head.values["hamlet"]
        return HouseholdCreate(
            province_code=row.province_code,
            commune_code=row.commune_code,
            address=f"{hamlet}, {row.commune_name}"[:300],
            hamlet=hamlet,
            residence_area=row.residence_area,
            head=HeadCreate(**_person_fields(group.head)),
            members=[
                MemberCreate(**_person_fields(m), relationship=Relationship(m.values["relationship"]))
                for m in group.members
            ],
        )

    @staticmethod
    def _matches(row: ParsedRow, existing: list[Person], cipher: PiiCipher) -> bool:
        v = row.values
        if v.get("citizen_id"):
            bidx = cipher.blind_index(v["citizen_id"], purpose=CITIZEN_ID_PURPOSE)
            return any(p.citizen_id_bidx == bidx for p in existing)
        name = fold_name(v["full_name"])
        return any(
            p.name_folded == name
            and (
                p.date_of_birth == v["date_of_birth"]
                if v.get("date_of_birth")
                else p.birth_year == v["birth_year"]
            )
            for p in existing
        )

    async def _finish(
        self,
        session: AsyncSession,
        import_id: uuid.UUID,
        groups: list[Group],
        total: int,
        counts: Counts,
        *,
        replace: bool,
        rejected: bool = False,
    ) -> None:
        repo = ImportRepository(session)
        row = await repo.get(import_id, for_update=True)
        assert row is not None
        if replace:
            rows = [r for g in groups for r in g.rows]
            await repo.replace_errors(import_id, self._error_rows(import_id, rows))
            row.total_rows = row.processed_rows = total
            row.error_rows = sum(1 for r in rows if r.errors)
            for f in fields(Counts):
                setattr(row, f.name, 0)
            self._add_counts(row, counts)
        row.status = (ImportStatus.REJECTED if rejected else ImportStatus.COMPLETED).value
        row.finished_at = datetime.now().astimezone()
        await repo.save(row)
        await _emit(
            session,
            "household_import.finished",
            row,
            households_created=row.households_created,
            households_matched=row.households_matched,
            error_rows=row.error_rows,
        )

    @staticmethod
    def _error_rows(import_id: uuid.UUID, rows: list[ParsedRow]) -> list[HouseholdImportError]:
        return [
            HouseholdImportError(
                id=new_id(),
                import_id=import_id,
                row_number=r.row_number,
                column=e.column,
                code=e.code,
                message=e.message[:300],
            )
            for r in rows
            for e in r.errors
        ]

    @staticmethod
    def _add_counts(row: HouseholdImport, counts: Counts) -> None:
        for f in fields(Counts):
            setattr(row, f.name, getattr(row, f.name) + getattr(counts, f.name))

    @staticmethod
    async def _reload(session: AsyncSession, import_id: uuid.UUID) -> HouseholdImport:
        row = await session.get(HouseholdImport, import_id, populate_existing=True)
        assert row is not None
        return row

    @staticmethod
    def summary(row: HouseholdImport) -> dict[str, Any]:
        return {
            "import_id": str(row.id),
            "status": row.status,
            "total_rows": row.total_rows,
            "error_rows": row.error_rows,
            "households_created": row.households_created,
            "households_matched": row.households_matched,
            "persons_created": row.persons_created,
            "persons_matched": row.persons_matched,
            "kind": row.kind,
            **{f.name: getattr(row, f.name) for f in fields(ResultCounts)},
        }

    # ------------------------------------------------------------------------------ exports

    async def audit_export(
        self, session: AsyncSession, caller: Principal, *, fmt: str, commune_code: str | None
    ) -> None:
        """Who took the list out, of which area: an export is read access to many persons at once."""
        await record_access(
            session,
            AuditRecord,
            action="export",
            resource_type="household",
            resource_id="export",
            province_code=None,
            commune_code=commune_code,
            detail={"format": fmt, "commune_code": commune_code},
        )

    async def export_batches(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        caller: Principal,
        *,
        commune_code: str | None,
        batch_size: int = EXPORT_BATCH,
    ) -> AsyncIterator[list[list[Any]]]:
        """Every open household of the caller's area with its head, identifiers masked, in id order,
        numbered from 1, one keyset batch at a time."""
        after: uuid.UUID | None = None
        number = 0
        while True:
            async with sessionmaker() as session:
                batch = await ExportRepository(session).batch(
                    caller.area, commune_code=commune_code, after=after, limit=batch_size
                )
            values = []
            for row in batch:
                number += 1
                values.append(_export_row(number, row))
            if values:
                yield values
            if len(batch) < batch_size:
                return
            after = batch[-1][0]

    async def export_csv(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        caller: Principal,
        *,
        commune_code: str | None,
        batch_size: int = EXPORT_BATCH,
    ) -> AsyncIterator[bytes]:
        """UTF-8 with BOM and semicolons: what Excel in a Vietnamese locale opens as columns. One chunk
        per batch, not per row: each chunk is a write to the client."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(EXPORT_HEADINGS)
        yield ("\ufeff" + buffer.getvalue()).encode()
        async for batch in self.export_batches(
            sessionmaker, caller, commune_code=commune_code, batch_size=batch_size
        ):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(batch)
            yield buffer.getvalue().encode()

    async def export_xlsx(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        caller: Principal,
        *,
        commune_code: str | None,
        rows_per_sheet: int = DATA_ROWS_PER_SHEET,
        batch_size: int = EXPORT_BATCH,
    ) -> AsyncIterator[bytes]:
        """Written row by row to a temporary file (constant memory), then streamed and deleted. Past
        Excel's rows per sheet the list goes on in "Danh sách hộ (2)", ... (heading repeated)."""
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        try:
            workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
            sheet = SheetRowsWriter(workbook, EXPORT_SHEET, EXPORT_HEADINGS, rows_per_sheet=rows_per_sheet)
            async for batch in self.export_batches(
                sessionmaker, caller, commune_code=commune_code, batch_size=batch_size
            ):
                for values in batch:
                    sheet.write(values)
            workbook.close()
            with open(path, "rb") as stream:  # noqa: ASYNC230 - a local temporary file
                while chunk := stream.read(64 * 1024):
                    yield chunk
        finally:
            os.unlink(path)


def _export_row(number: int, row: ExportRow) -> list[Any]:
    (
        household_id,
        full_name,
        citizen_id_masked,
        date_of_birth,
        birth_year,
        gender,
        hamlet,
        address,
        residence_area,
        province_code,
        commune_code,
        member_count,
    ) = row
    return [
        number,
        str(household_id),
        full_name,
        citizen_id_masked or "",
        date_of_birth.strftime("%d/%m/%Y") if date_of_birth else "",
        birth_year,
        GENDER_WORDS.get(gender, gender),
        hamlet or "",
        address,
        AREA_WORDS.get(residence_area, residence_area),
        province_code,
        commune_code or "",
        member_count,
    ]


def error_report_csv(errors: list[HouseholdImportError]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Dòng", "Cột", "Mã lỗi", "Lý do"])
    for e in errors:
        writer.writerow([e.row_number or "", e.column or "", e.code, e.message])
    return ("\ufeff" + buffer.getvalue()).encode()


def error_report_xlsx(errors: list[HouseholdImportError]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = SheetRowsWriter(workbook, "Lỗi", ["Dòng", "Cột", "Mã lỗi", "Lý do"])
    for e in errors:
        sheet.write([e.row_number or "", e.column or "", e.code, e.message])
    workbook.close()
    return buffer.getvalue()


import_service = ImportService()
