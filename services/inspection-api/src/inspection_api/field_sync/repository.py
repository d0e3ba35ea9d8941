from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, or_, select, text, tuple_

from inspection_api.models import (
    ChecklistTemplate,
    ChecklistTemplateVersion,
    InspectionBase,
    InspectionCase,
    InspectionEvidence,
    InspectionFinding,
    ViolationType,
)
from inspection_api.models.field_sync import (
    REFERENCE_ENTITIES,
    SyncChange,
    SyncConflict,
    SyncEntity,
    SyncMutation,
)
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams

# The idea of servicekit.outbox.read_feed: serve only changes below the oldest transaction still running
# in the reading statement's own snapshot, so none can still add a change that sorts before what is
# handed out now. Refined for a server shared by several databases: a running transaction is passed over
# only when pg_stat_activity positively shows it belongs to ANOTHER database (one that finished meanwhile,
# or that cannot be told, still holds the horizon back), so others' long transactions cause no delay here
# and nothing committed late in this database is ever skipped.
HORIZON = text(
    "COALESCE(("
    " SELECT min((x::text)::bigint) FROM pg_snapshot_xip(pg_current_snapshot()) AS x"
    " WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a"
    "  WHERE (a.backend_xid::text)::bigint = (x::text)::bigint % 4294967296"
    "  AND a.datname IS DISTINCT FROM current_database())"
    "), (pg_snapshot_xmax(pg_current_snapshot())::text)::bigint)"
)

MODELS: dict[SyncEntity, type[InspectionBase]] = {
    SyncEntity.CASE: InspectionCase,
    SyncEntity.FINDING: InspectionFinding,
    SyncEntity.EVIDENCE: InspectionEvidence,
    SyncEntity.TEMPLATE: ChecklistTemplate,
    SyncEntity.TEMPLATE_VERSION: ChecklistTemplateVersion,
    SyncEntity.VIOLATION_TYPE: ViolationType,
}


class ChangeRepository(RepositoryBase[SyncChange]):
    model = SyncChange

    def _assigned_cases(self, subject: str, area: AreaScope) -> Any:
        return select(InspectionCase.id).where(
            InspectionCase.assigned_inspector == subject,
            area.sql_filter(InspectionCase.province_code, InspectionCase.commune_code),
        )

    async def changes_after(
        self, position: tuple[int, int], *, subject: str, area: AreaScope, limit: int
    ) -> list[SyncChange]:
        """Finished changes after `position` that this inspector sees: reference data, and what belongs
        to the cases assigned to them in their area."""
        visible: ColumnElement[bool] = or_(
            SyncChange.entity_type.in_([e.value for e in REFERENCE_ENTITIES]),
            SyncChange.case_id.in_(self._assigned_cases(subject, area)),
        )
        stmt = (
            select(SyncChange)
            .where(
                SyncChange.tx_id < HORIZON,
                tuple_(SyncChange.tx_id, SyncChange.seq) > tuple_(position[0], position[1]),
                visible,
            )
            .order_by(SyncChange.tx_id, SyncChange.seq)
            .limit(limit)
        )
        return list((await self.session.scalars(stmt)).all())

    async def last_finished(self) -> tuple[int, int] | None:
        row = (
            await self.session.execute(
                select(SyncChange.tx_id, SyncChange.seq)
                .where(SyncChange.tx_id < HORIZON)
                .order_by(SyncChange.tx_id.desc(), SyncChange.seq.desc())
                .limit(1)
            )
        ).first()
        return (int(row[0]), int(row[1])) if row is not None else None

    async def entities(self, entity: SyncEntity, ids: Sequence[uuid.UUID]) -> list[Any]:
        model: Any = MODELS[entity]
        return list((await self.session.scalars(select(model).where(model.id.in_(list(ids))))).all())

    async def children_of_cases(self, entity: SyncEntity, case_ids: Sequence[uuid.UUID]) -> list[Any]:
        """The current findings or photos of these cases (a case newly assigned brings its history)."""
        model: Any = MODELS[entity]
        stmt = select(model).where(model.case_id.in_(list(case_ids))).order_by(model.id)
        return list((await self.session.scalars(stmt)).all())


class MutationRepository(RepositoryBase[SyncMutation]):
    model = SyncMutation

    async def by_client_id(self, client_id: uuid.UUID) -> SyncMutation | None:
        stmt = select(SyncMutation).where(SyncMutation.client_id == client_id)
        return (await self.session.scalars(stmt)).one_or_none()

    async def by_client_ids(self, client_ids: Collection[uuid.UUID]) -> list[SyncMutation]:
        if not client_ids:
            return []
        stmt = select(SyncMutation).where(SyncMutation.client_id.in_(list(client_ids)))
        return list((await self.session.scalars(stmt)).all())

    async def save(self, row: SyncMutation) -> SyncMutation:
        self.session.add(row)
        await self.session.flush()
        return row


class SyncEvidenceRepository(RepositoryBase[InspectionEvidence]):
    model = InspectionEvidence

    async def of_case_by_hash(
        self, case_id: uuid.UUID, hashes: Sequence[str]
    ) -> dict[str, InspectionEvidence]:
        stmt = select(InspectionEvidence).where(
            InspectionEvidence.case_id == case_id, InspectionEvidence.sha256.in_(list(hashes))
        )
        return {row.sha256: row for row in (await self.session.scalars(stmt)).all()}

    async def flush(self) -> None:
        await self.session.flush()


class SyncFindingRepository(RepositoryBase[InspectionFinding]):
    model = InspectionFinding

    async def of_case(
        self, case_id: uuid.UUID, finding_id: uuid.UUID, *, for_update: bool = False
    ) -> InspectionFinding | None:
        return await self.get(finding_id, InspectionFinding.case_id == case_id, for_update=for_update)


class ConflictRepository(RepositoryBase[SyncConflict]):
    model = SyncConflict

    def _visible(self, subject: str, area: AreaScope, *, own_only: bool) -> list[ColumnElement[bool]]:
        clauses = [area.sql_filter(SyncConflict.province_code, SyncConflict.commune_code)]
        if own_only:
            clauses.append(SyncConflict.subject == subject)
        return clauses

    async def get_visible(
        self, id_: uuid.UUID, subject: str, area: AreaScope, *, own_only: bool, for_update: bool = False
    ) -> SyncConflict | None:
        return await self.get(id_, *self._visible(subject, area, own_only=own_only), for_update=for_update)

    async def list_visible(
        self, params: PageParams, subject: str, area: AreaScope, *, own_only: bool, status: str | None
    ) -> tuple[list[SyncConflict], str | None]:
        stmt = select(SyncConflict).where(*self._visible(subject, area, own_only=own_only))
        if status is not None:
            stmt = stmt.where(SyncConflict.status == status)
        return await self.paginate(stmt, params)

    async def save(self, row: SyncConflict) -> SyncConflict:
        self.session.add(row)
        await self.session.flush()
        return row
