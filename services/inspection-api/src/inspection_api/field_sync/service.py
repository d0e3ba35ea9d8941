"""Sync with the inspectors' offline app (ODK-style): pull by a server sequence, push mutations keyed
by their client UUIDs, and keep conflicts for a person instead of overwriting anyone's work.

Mutations apply through the inspection-case service, so they obey the same rules as the online API
(the case in the caller's area, assigned to them, in progress; a closed case is read-only), and are
audited and emit the same events. A rejected mutation never undoes another: mutations run in groups,
a savepoint per group, and a group in which one is rejected is rolled back and run again with a
savepoint per mutation, so the outcome is that of one savepoint per mutation. What each mutation of a
batch would look up again (its case, locked; the checklist version; the client UUIDs already recorded)
is read once per batch; the checks still run per mutation.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.field_sync.errors import (
    BaseMutationUnknown,
    BaseVersionRequired,
    ClientIdReused,
    ConflictAlreadyResolved,
    ConflictNotFound,
    FindingReferenceUnknown,
    InvalidMutationData,
    PhotoAttachedElsewhere,
    PhotoNotUploaded,
)
from inspection_api.field_sync.repository import (
    ChangeRepository,
    ConflictRepository,
    MutationRepository,
    SyncEvidenceRepository,
    SyncFindingRepository,
)
from inspection_api.field_sync.schemas import (
    CASE_ACTIONS,
    Batch,
    BatchResult,
    ChangeItem,
    ChangePage,
    ConflictResolve,
    Mutation,
    MutationAction,
    MutationResult,
)
from inspection_api.inspection_case import states
from inspection_api.inspection_case.errors import CaseNotAssignedToYou, CaseNotInProgress
from inspection_api.inspection_case.schemas import CaseConclude, CaseStart, FindingCreate, FindingUpdate
from inspection_api.inspection_case.service import CaseLookups, inspection_case_service
from inspection_api.models.field_sync import (
    ConflictResolution,
    ConflictStatus,
    MutationOutcome,
    SyncChange,
    SyncConflict,
    SyncEntity,
    SyncMutation,
)
from inspection_api.models.inspection_case import CaseStatus, InspectionCase, InspectionFinding
from inspection_api.models.platform import OutboxEvent
from servicekit.audit import json_safe
from servicekit.concurrency import check_version
from servicekit.errors import AppError, FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams, decode_cursor, encode_cursor
from servicekit.principal import Principal, Role

CURSOR_KEYS = ["sync_change.tx_id", "sync_change.seq"]
# Mutations are applied in groups, a savepoint per group, while none is rejected (a savepoint costs two
# round trips: SQLAlchemy names each one anew, so asyncpg prepares each). A group with a rejection is
# rolled back and applied again one mutation per savepoint; the next groups are smaller.
GROUP_FIRST = 8
GROUP_MAX = 64
# Never sent to devices: where the server keeps the bytes.
HIDDEN_COLUMNS = frozenset({"storage_key"})


def snapshot(row: Any) -> dict[str, Any]:
    """The entity's columns as JSON-safe values."""
    return {
        attr.key: json_safe(getattr(row, attr.key))
        for attr in row.__mapper__.column_attrs
        if attr.key not in HIDDEN_COLUMNS
    }


def payload_hash(mutation: Mutation) -> str:
    # Fields added later are left out while unset, so mutations stored before keep their hash.
    dumped = mutation.model_dump(
        mode="json", exclude={"base_client_id"} if mutation.base_client_id is None else None
    )
    canonical = json.dumps(dumped, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _data_error(exc: ValidationError) -> InvalidMutationData:
    return InvalidMutationData(
        "The mutation's data does not fit its action.",
        errors=[
            FieldError(
                pointer="/data/" + "/".join(str(p) for p in e["loc"]),
                code=str(e["type"]),
                message=str(e["msg"]),
            )
            for e in exc.errors()
        ],
    )


@dataclass(frozen=True)
class KnownMutation:
    """A recorded mutation as the batch needs it (a plain copy: a savepoint rolled back later cannot
    expire it)."""

    subject: str
    action: str
    payload_sha256: str
    outcome: str
    entity_id: uuid.UUID | None
    entity_version: int | None
    conflict_id: uuid.UUID | None

    @classmethod
    def of(cls, row: SyncMutation) -> KnownMutation:
        return cls(
            subject=row.subject,
            action=row.action,
            payload_sha256=row.payload_sha256,
            outcome=row.outcome,
            entity_id=row.entity_id,
            entity_version=row.entity_version,
            conflict_id=row.conflict_id,
        )


@dataclass
class BatchState:
    """Read once per batch: the recorded mutations by client UUID (the batch's own and those it
    refers to, kept up to date as the batch records more), and the batch's cases, locked."""

    known: dict[uuid.UUID, KnownMutation]
    lookups: CaseLookups


class FieldSyncService:
    # ------------------------------------------------------------------------------------------ pull

    async def pull(
        self, session: AsyncSession, caller: Principal, *, cursor: str | None, limit: int
    ) -> ChangePage:
        """Changes after the cursor, oldest first, each with the entity as it is now."""
        changes = ChangeRepository(session)
        position: tuple[int, int] = (0, 0)
        if cursor:
            decoded = decode_cursor(CURSOR_KEYS, cursor)
            position = (int(decoded[0]), int(decoded[1]))
        rows = await changes.changes_after(position, subject=caller.subject, area=caller.area, limit=limit)
        if len(rows) == limit:
            position = (rows[-1].tx_id, rows[-1].seq)
        else:
            # Everything finished up to the horizon was scanned: move past it, so changes this reader
            # cannot see are not scanned again next time.
            last = await changes.last_finished()
            if last is not None and last > position:
                position = last
        items = await self._items(changes, rows)
        return ChangePage(items=items, next_cursor=encode_cursor(CURSOR_KEYS, position))

    async def _items(self, changes: ChangeRepository, rows: list[SyncChange]) -> list[ChangeItem]:
        # The latest change of each entity is enough: the entity is sent as it is now.
        latest: dict[tuple[SyncEntity, uuid.UUID], str] = {}
        for change in rows:
            key = (SyncEntity(change.entity_type), change.entity_id)
            latest.pop(key, None)
            latest[key] = change.op
        by_type: dict[SyncEntity, list[uuid.UUID]] = {}
        for (entity, entity_id), op in latest.items():
            if op == "upsert":
                by_type.setdefault(entity, []).append(entity_id)
        current: dict[tuple[SyncEntity, uuid.UUID], Any] = {}
        for entity, ids in by_type.items():
            for row in await changes.entities(entity, ids):
                current[(entity, row.id)] = row
        items: list[ChangeItem] = []
        case_ids: list[uuid.UUID] = []
        for key, op in latest.items():
            row = current.get(key) if op == "upsert" else None
            data = snapshot(row) if row is not None else None
            items.append(
                ChangeItem(entity_type=key[0], entity_id=key[1], op="upsert" if data else "delete", data=data)
            )
            if data is not None and key[0] is SyncEntity.CASE:
                case_ids.append(key[1])
        if case_ids:
            # A case may be new to this inspector (just assigned): send its findings and photos too.
            for entity in (SyncEntity.FINDING, SyncEntity.EVIDENCE):
                for row in await changes.children_of_cases(entity, case_ids):
                    if (entity, row.id) not in latest:
                        items.append(
                            ChangeItem(entity_type=entity, entity_id=row.id, op="upsert", data=snapshot(row))
                        )
        return items

    # ------------------------------------------------------------------------------------------ push

    async def push(self, session: AsyncSession, caller: Principal, batch: Batch) -> BatchResult:
        """Apply each mutation once, in order; the answer says, per item, what happened."""
        state = await self._batch_state(session, caller, batch)
        results: list[MutationResult] = []
        size = GROUP_FIRST
        start = 0
        while start < len(batch.mutations):
            group = batch.mutations[start : start + size]
            start += len(group)
            applied = await self._group(session, caller, batch.device_id, group, state) if size > 1 else None
            if applied is None:
                applied = [await self._one(session, caller, batch.device_id, m, state) for m in group]
                size = max(1, size // 2)
            else:
                size = min(GROUP_MAX, size * 2)
            results.extend(applied)
        return BatchResult(results=results)

    async def _group(
        self,
        session: AsyncSession,
        caller: Principal,
        device_id: str,
        group: list[Mutation],
        state: BatchState,
    ) -> list[MutationResult] | None:
        """The group's results, or None (and nothing of it kept) if any of its mutations is rejected."""
        known = dict(state.known)
        try:
            async with session.begin_nested():
                return [await self._unguarded(session, caller, device_id, m, state) for m in group]
        except (AppError, IntegrityError):
            state.known = known
            return None

    @staticmethod
    async def _batch_state(session: AsyncSession, caller: Principal, batch: Batch) -> BatchState:
        mutations = MutationRepository(session)
        client_ids = {m.client_id for m in batch.mutations}
        client_ids |= {m.finding_client_id for m in batch.mutations if m.finding_client_id is not None}
        client_ids |= {m.base_client_id for m in batch.mutations if m.base_client_id is not None}
        known = {row.client_id: KnownMutation.of(row) for row in await mutations.by_client_ids(client_ids)}
        new_cases = {m.case_id for m in batch.mutations if m.client_id not in known}
        # Outside any savepoint, so the locks hold to the end of the transaction whatever is rolled back.
        lookups = await inspection_case_service.lock_cases(session, caller, new_cases)
        if new_cases:
            # The same batch sent twice at once: the other request may have committed while this one
            # waited for the case locks, and its mutations are duplicates now.
            for row in await mutations.by_client_ids(client_ids - known.keys()):
                known[row.client_id] = KnownMutation.of(row)
        return BatchState(known=known, lookups=lookups)

    async def _unguarded(
        self, session: AsyncSession, caller: Principal, device_id: str, mutation: Mutation, state: BatchState
    ) -> MutationResult:
        """One mutation, in the caller's savepoint; a rejection raises."""
        digest = payload_hash(mutation)
        seen = state.known.get(mutation.client_id)
        if seen is not None:
            return self._duplicate_or_reused(caller, mutation, seen, digest)
        record = SyncMutation(
            client_id=mutation.client_id,
            subject=caller.subject,
            device_id=device_id,
            action=mutation.action.value,
            payload_sha256=digest,
            entity_type=SyncEntity.FINDING.value,
        )
        result = await self._apply(session, caller, device_id, mutation, record, state)
        state.known[mutation.client_id] = KnownMutation.of(record)
        return result

    async def _one(
        self, session: AsyncSession, caller: Principal, device_id: str, mutation: Mutation, state: BatchState
    ) -> MutationResult:
        """One mutation in its own savepoint: a rejection is its answer."""
        try:
            async with session.begin_nested():
                return await self._unguarded(session, caller, device_id, mutation, state)
        except AppError as exc:
            state.known.pop(mutation.client_id, None)
            return MutationResult(
                client_id=mutation.client_id,
                outcome=MutationOutcome.REJECTED,
                code=exc.code,
                detail=exc.detail,
            )
        except IntegrityError:
            state.known.pop(mutation.client_id, None)
            # The same client UUID in a batch running concurrently: that one recorded it first.
            return MutationResult(
                client_id=mutation.client_id,
                outcome=MutationOutcome.REJECTED,
                code="mutation_in_flight",
                detail="The same mutation is being applied by another request; send it again later.",
            )

    @staticmethod
    def _duplicate_or_reused(
        caller: Principal, mutation: Mutation, seen: KnownMutation, digest: str
    ) -> MutationResult:
        if seen.subject != caller.subject or seen.payload_sha256 != digest:
            return MutationResult(
                client_id=mutation.client_id,
                outcome=MutationOutcome.REJECTED,
                code=ClientIdReused.code,
                detail="This client UUID was already used for another mutation.",
            )
        return MutationResult(
            client_id=mutation.client_id,
            outcome=MutationOutcome.DUPLICATE,
            entity_id=seen.entity_id,
            entity_version=seen.entity_version,
            conflict_id=seen.conflict_id,
            detail=f"Already received; it was {seen.outcome}.",
        )

    async def _apply(
        self,
        session: AsyncSession,
        caller: Principal,
        device_id: str,
        mutation: Mutation,
        record: SyncMutation,
        state: BatchState,
    ) -> MutationResult:
        if mutation.action in CASE_ACTIONS:
            record.entity_type = SyncEntity.CASE.value
            return await self._apply_case(session, caller, device_id, mutation, record, state)
        if mutation.action is MutationAction.FINDING_CREATE:
            try:
                create = FindingCreate.model_validate(mutation.data)
            except ValidationError as exc:
                raise _data_error(exc) from exc
            finding = await inspection_case_service.record_finding(
                session, caller, mutation.case_id, create, lookups=state.lookups
            )
            await self._attach_photos(session, finding, mutation.photo_sha256)
            return await self._applied(session, mutation, record, finding)

        finding_id = self._target(caller, mutation, state)
        if mutation.base_version is None:
            raise BaseVersionRequired("Say which version of the finding the change was made on.")
        try:
            update = FindingUpdate.model_validate(mutation.data)
        except ValidationError as exc:
            raise _data_error(exc) from exc
        case = await inspection_case_service.get(session, caller, mutation.case_id, lookups=state.lookups)
        if case.assigned_inspector != caller.subject:
            raise CaseNotAssignedToYou("This case is not assigned to you.")
        if case.status != CaseStatus.IN_PROGRESS:
            raise CaseNotInProgress(f"The case is {case.status}.")
        current = await SyncFindingRepository(session).of_case(case.id, finding_id, for_update=True)
        if current is None:
            raise FindingReferenceUnknown(f"No finding {finding_id} in case {case.id}.")
        if current.version != mutation.base_version:
            return await self._conflict(session, caller, device_id, mutation, record, current)
        finding = await inspection_case_service.update_finding(
            session, caller, case.id, finding_id, mutation.base_version, update, lookups=state.lookups
        )
        await self._attach_photos(session, finding, mutation.photo_sha256)
        return await self._applied(session, mutation, record, finding)

    async def _apply_case(
        self,
        session: AsyncSession,
        caller: Principal,
        device_id: str,
        mutation: Mutation,
        record: SyncMutation,
        state: BatchState,
    ) -> MutationResult:
        """case.start / case.conclude: the same step as online, on the case version it was made on.
        In the caller's area (else `inspection_case_not_found`), assigned to them, not closed; then a
        case that moved on since the base version is a conflict (nothing changes); otherwise the case
        service takes the step, with its transition rules, audit and events."""
        step = _case_step(mutation)
        base = self._case_base(caller, mutation, state)
        case = await inspection_case_service.get(session, caller, mutation.case_id, for_update=True)
        if case.assigned_inspector != caller.subject:
            raise CaseNotAssignedToYou("This case is not assigned to you.")
        states.ensure_open(case.status)
        if case.version != base:
            return await self._case_conflict(session, caller, device_id, mutation, record, case, base)
        if isinstance(step, CaseStart):
            case = await inspection_case_service.start(session, caller, case.id, base, step)
        else:
            case = await inspection_case_service.conclude(session, caller, case.id, base, step)
        record.outcome = MutationOutcome.APPLIED.value
        record.entity_id = case.id
        record.entity_version = case.version
        await MutationRepository(session).save(record)
        return MutationResult(
            client_id=mutation.client_id,
            outcome=MutationOutcome.APPLIED,
            entity_id=case.id,
            entity_version=case.version,
        )

    @staticmethod
    def _case_base(caller: Principal, mutation: Mutation, state: BatchState) -> int:
        """The case version the step was made on: `base_version`, or the version an applied case step
        of this caller (`base_client_id`, e.g. the case.start made offline before) left the case at."""
        if mutation.base_client_id is not None:
            earlier = state.known.get(mutation.base_client_id)
            if (
                earlier is None
                or earlier.subject != caller.subject
                or earlier.action not in {a.value for a in CASE_ACTIONS}
                or earlier.outcome != MutationOutcome.APPLIED
                or earlier.entity_id != mutation.case_id
                or earlier.entity_version is None
            ):
                raise BaseMutationUnknown(
                    "`base_client_id` must name a case step of this case applied for you "
                    "(if it was rejected or is in conflict, handle it first)."
                )
            return earlier.entity_version
        if mutation.base_version is None:
            raise BaseVersionRequired("Say which version of the case the step was made on.")
        return mutation.base_version

    async def _case_conflict(
        self,
        session: AsyncSession,
        caller: Principal,
        device_id: str,
        mutation: Mutation,
        record: SyncMutation,
        case: InspectionCase,
        base: int,
    ) -> MutationResult:
        conflict = await ConflictRepository(session).save(
            SyncConflict(
                client_id=mutation.client_id,
                subject=caller.subject,
                device_id=device_id,
                entity_type=SyncEntity.CASE.value,
                entity_id=case.id,
                case_id=case.id,
                province_code=case.province_code,
                commune_code=case.commune_code,
                base_version=base,
                server_version=case.version,
                client_changes={"action": mutation.action.value, **mutation.data},
                server_state=snapshot(case),
                status=ConflictStatus.OPEN.value,
            )
        )
        record.outcome = MutationOutcome.CONFLICT.value
        record.entity_id = case.id
        record.entity_version = case.version
        record.conflict_id = conflict.id
        await MutationRepository(session).save(record)
        await self._emit(session, "sync_conflict.raised", conflict)
        return MutationResult(
            client_id=mutation.client_id,
            outcome=MutationOutcome.CONFLICT,
            entity_id=case.id,
            entity_version=case.version,
            conflict_id=conflict.id,
            detail=f"The case is {case.status} at version {case.version}; the step was made on {base}.",
        )

    @staticmethod
    def _target(caller: Principal, mutation: Mutation, state: BatchState) -> uuid.UUID:
        if mutation.finding_id is not None:
            return mutation.finding_id
        if mutation.finding_client_id is not None:
            created = state.known.get(mutation.finding_client_id)
            if (
                created is not None
                and created.subject == caller.subject
                and created.action == MutationAction.FINDING_CREATE
                and created.entity_id is not None
            ):
                return created.entity_id
        raise FindingReferenceUnknown(
            "Name the finding by `finding_id`, or by `finding_client_id` of a finding.create already applied."
        )

    async def _attach_photos(
        self, session: AsyncSession, finding: InspectionFinding, hashes: list[str]
    ) -> None:
        """Photos upload first (with their GPS and capture time); the record then names them by hash."""
        if not hashes:
            return
        evidence = SyncEvidenceRepository(session)
        found = await evidence.of_case_by_hash(finding.case_id, hashes)
        missing = [h for h in hashes if h not in found]
        if missing:
            raise PhotoNotUploaded(
                f"{len(missing)} photo(s) are not uploaded to the case yet: upload them, then send again.",
                errors=[
                    FieldError(
                        pointer=f"/photo_sha256/{hashes.index(h)}", code="photo_not_uploaded", message=h
                    )
                    for h in missing
                ],
            )
        for photo in found.values():
            if photo.finding_id is not None and photo.finding_id != finding.id:
                raise PhotoAttachedElsewhere(f"Photo {photo.sha256} belongs to another finding.")
            photo.finding_id = finding.id
        await evidence.flush()

    async def _applied(
        self, session: AsyncSession, mutation: Mutation, record: SyncMutation, finding: InspectionFinding
    ) -> MutationResult:
        record.outcome = MutationOutcome.APPLIED.value
        record.entity_id = finding.id
        record.entity_version = finding.version
        await MutationRepository(session).save(record)
        return MutationResult(
            client_id=mutation.client_id,
            outcome=MutationOutcome.APPLIED,
            entity_id=finding.id,
            entity_version=finding.version,
        )

    async def _conflict(
        self,
        session: AsyncSession,
        caller: Principal,
        device_id: str,
        mutation: Mutation,
        record: SyncMutation,
        current: InspectionFinding,
    ) -> MutationResult:
        conflict = await ConflictRepository(session).save(
            SyncConflict(
                client_id=mutation.client_id,
                subject=caller.subject,
                device_id=device_id,
                entity_type=SyncEntity.FINDING.value,
                entity_id=current.id,
                case_id=current.case_id,
                province_code=current.province_code,
                commune_code=current.commune_code,
                base_version=mutation.base_version or 0,
                server_version=current.version,
                client_changes={**mutation.data, "photo_sha256": mutation.photo_sha256},
                server_state=snapshot(current),
                status=ConflictStatus.OPEN.value,
            )
        )
        record.outcome = MutationOutcome.CONFLICT.value
        record.entity_id = current.id
        record.entity_version = current.version
        record.conflict_id = conflict.id
        await MutationRepository(session).save(record)
        await self._emit(session, "sync_conflict.raised", conflict)
        return MutationResult(
            client_id=mutation.client_id,
            outcome=MutationOutcome.CONFLICT,
            entity_id=current.id,
            entity_version=current.version,
            conflict_id=conflict.id,
            detail=f"The finding is at version {current.version}; "
            f"the change was made on {mutation.base_version}.",
        )

    @staticmethod
    async def _emit(session: AsyncSession, type_: str, conflict: SyncConflict) -> None:
        await emit(
            session,
            OutboxEvent,
            type=type_,
            subject=urn("inspection", "sync_conflict", conflict.id),
            area_codes=[conflict.province_code, conflict.commune_code],
            data={
                "conflict_id": conflict.id,
                "case_id": conflict.case_id,
                "entity_type": conflict.entity_type,
                "entity_id": conflict.entity_id,
                "status": conflict.status,
                "resolution": conflict.resolution,
            },
        )

    # ------------------------------------------------------------------------------------- conflicts

    @staticmethod
    def _own_only(caller: Principal) -> bool:
        """A province officer sees every conflict in the area; an inspector, their own."""
        return Role.PROVINCE_OFFICER not in caller.roles

    async def get_conflict(
        self, session: AsyncSession, caller: Principal, conflict_id: uuid.UUID, *, for_update: bool = False
    ) -> SyncConflict:
        conflict = await ConflictRepository(session).get_visible(
            conflict_id, caller.subject, caller.area, own_only=self._own_only(caller), for_update=for_update
        )
        if conflict is None:
            raise ConflictNotFound(f"No sync conflict {conflict_id} you may see.")
        return conflict

    async def list_conflicts(
        self, session: AsyncSession, caller: Principal, params: PageParams, *, status: ConflictStatus | None
    ) -> tuple[list[SyncConflict], str | None]:
        return await ConflictRepository(session).list_visible(
            params,
            caller.subject,
            caller.area,
            own_only=self._own_only(caller),
            status=status.value if status else None,
        )

    async def resolve(
        self,
        session: AsyncSession,
        caller: Principal,
        conflict_id: uuid.UUID,
        expected_version: int,
        data: ConflictResolve,
    ) -> SyncConflict:
        """Keep the server's finding, or apply the device's change on top of it (through the case
        service, so only the case's inspector may, while the case is in progress)."""
        conflict = await self.get_conflict(session, caller, conflict_id, for_update=True)
        check_version(conflict.version, expected_version)
        if conflict.status != ConflictStatus.OPEN:
            raise ConflictAlreadyResolved("The conflict was already resolved.")
        if data.resolution is ConflictResolution.APPLY_CLIENT and conflict.entity_type == SyncEntity.CASE:
            await self._apply_case_conflict(session, caller, conflict)
        elif data.resolution is ConflictResolution.APPLY_CLIENT:
            changes = {k: v for k, v in conflict.client_changes.items() if k != "photo_sha256"}
            try:
                update = FindingUpdate.model_validate(changes)
            except ValidationError as exc:
                raise _data_error(exc) from exc
            current = await SyncFindingRepository(session).of_case(conflict.case_id, conflict.entity_id)
            if current is None:
                raise FindingReferenceUnknown("The finding no longer exists.")
            finding = await inspection_case_service.update_finding(
                session, caller, conflict.case_id, conflict.entity_id, current.version, update
            )
            await self._attach_photos(session, finding, list(conflict.client_changes.get("photo_sha256", [])))
        conflict.status = ConflictStatus.RESOLVED.value
        conflict.resolution = data.resolution.value
        conflict.resolution_note = data.note
        conflict.resolved_by = caller.subject
        conflict.resolved_at = datetime.now(UTC)
        await ConflictRepository(session).save(conflict)
        await self._emit(session, "sync_conflict.resolved", conflict)
        return conflict

    @staticmethod
    async def _apply_case_conflict(session: AsyncSession, caller: Principal, conflict: SyncConflict) -> None:
        """Take the device's case step on the case as it is now (its transition rules still apply)."""
        changes = dict(conflict.client_changes)
        action = MutationAction(changes.pop("action"))
        try:
            step: CaseStart | CaseConclude = (
                CaseStart.model_validate(changes)
                if action is MutationAction.CASE_START
                else CaseConclude.model_validate(changes)
            )
        except ValidationError as exc:
            raise _data_error(exc) from exc
        case = await inspection_case_service.get(session, caller, conflict.case_id)
        if isinstance(step, CaseStart):
            await inspection_case_service.start(session, caller, case.id, case.version, step)
        else:
            await inspection_case_service.conclude(session, caller, case.id, case.version, step)


def _case_step(mutation: Mutation) -> CaseStart | CaseConclude:
    try:
        if mutation.action is MutationAction.CASE_START:
            return CaseStart.model_validate(mutation.data)
        return CaseConclude.model_validate(mutation.data)
    except ValidationError as exc:
        raise _data_error(exc) from exc


field_sync_service = FieldSyncService()
