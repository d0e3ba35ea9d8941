from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.exc import IntegrityError

from inspection_api.models import (
    CaseStatus,
    CaseViolation,
    InspectionCase,
    InspectionEvidence,
    InspectionFinding,
    SanctionDecision,
    ViolationType,
)
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


def in_area(area: AreaScope) -> ColumnElement[bool]:
    return area.sql_filter(InspectionCase.province_code, InspectionCase.commune_code)


class CaseRepository(RepositoryBase[InspectionCase]):
    model = InspectionCase

    async def get_in_area(
        self, id_: uuid.UUID, area: AreaScope, *, for_update: bool = False
    ) -> InspectionCase | None:
        return await self.get(id_, in_area(area), for_update=for_update)

    async def lock_in_area(self, ids: Collection[uuid.UUID], area: AreaScope) -> list[InspectionCase]:
        """These cases (those in the area), locked until the transaction ends; in id order, so two
        transactions locking overlapping sets never wait on each other in a cycle."""
        stmt = (
            select(InspectionCase)
            .where(InspectionCase.id.in_(list(ids)), in_area(area))
            .order_by(InspectionCase.id)
            .with_for_update()
        )
        return list((await self.session.scalars(stmt)).all())

    async def list_cases(
        self,
        params: PageParams,
        *,
        area: AreaScope,
        status: str | None,
        kind: str | None,
        assigned_inspector: str | None,
        plan_item_id: uuid.UUID | None,
        parent_case_id: uuid.UUID | None,
    ) -> tuple[list[InspectionCase], str | None]:
        stmt = select(InspectionCase).where(in_area(area))
        if status is not None:
            stmt = stmt.where(InspectionCase.status == status)
        if kind is not None:
            stmt = stmt.where(InspectionCase.kind == kind)
        if assigned_inspector is not None:
            stmt = stmt.where(InspectionCase.assigned_inspector == assigned_inspector)
        if plan_item_id is not None:
            stmt = stmt.where(InspectionCase.plan_item_id == plan_item_id)
        if parent_case_id is not None:
            stmt = stmt.where(InspectionCase.parent_case_id == parent_case_id)
        return await self.paginate(stmt, params)

    async def has_open_child(self, case_id: uuid.UUID) -> bool:
        stmt = select(
            exists().where(
                InspectionCase.parent_case_id == case_id, InspectionCase.status != CaseStatus.CLOSED.value
            )
        )
        return bool((await self.session.execute(stmt)).scalar_one())

    async def save(self, case: InspectionCase) -> InspectionCase:
        self.session.add(case)
        await self.session.flush()
        return case


class FindingRepository(RepositoryBase[InspectionFinding]):
    model = InspectionFinding

    async def get_of_case(self, case_id: uuid.UUID, finding_id: uuid.UUID) -> InspectionFinding | None:
        return await self.get(finding_id, InspectionFinding.case_id == case_id)

    async def list_of_case(
        self, case_id: uuid.UUID, params: PageParams
    ) -> tuple[list[InspectionFinding], str | None]:
        return await self.paginate(
            select(InspectionFinding).where(InspectionFinding.case_id == case_id), params
        )


class EvidenceRepository(RepositoryBase[InspectionEvidence]):
    model = InspectionEvidence

    async def get_of_case(self, case_id: uuid.UUID, evidence_id: uuid.UUID) -> InspectionEvidence | None:
        return await self.get(evidence_id, InspectionEvidence.case_id == case_id)

    async def by_hash(self, case_id: uuid.UUID, sha256: str) -> InspectionEvidence | None:
        stmt = select(InspectionEvidence).where(
            InspectionEvidence.case_id == case_id, InspectionEvidence.sha256 == sha256
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_of_case(
        self, case_id: uuid.UUID, params: PageParams
    ) -> tuple[list[InspectionEvidence], str | None]:
        return await self.paginate(
            select(InspectionEvidence).where(InspectionEvidence.case_id == case_id), params
        )


class ViolationTypeRepository(RepositoryBase[ViolationType]):
    model = ViolationType

    async def list_types(
        self, params: PageParams, *, in_force_on: date | None, code: str | None
    ) -> tuple[list[ViolationType], str | None]:
        stmt = select(ViolationType)
        if in_force_on is not None:
            stmt = stmt.where(
                ViolationType.valid_from <= in_force_on,
                (ViolationType.valid_to.is_(None)) | (ViolationType.valid_to >= in_force_on),
            )
        if code is not None:
            stmt = stmt.where(ViolationType.code == code)
        return await self.paginate(stmt, params)

    async def by_code_and_start(self, code: str, valid_from: date) -> ViolationType | None:
        stmt = select(ViolationType).where(ViolationType.code == code, ViolationType.valid_from == valid_from)
        return (await self.session.execute(stmt)).scalar_one_or_none()


class ViolationRepository(RepositoryBase[CaseViolation]):
    model = CaseViolation

    async def get_of_case(self, case_id: uuid.UUID, violation_id: uuid.UUID) -> CaseViolation | None:
        return await self.get(violation_id, CaseViolation.case_id == case_id)

    async def list_of_case(
        self, case_id: uuid.UUID, params: PageParams
    ) -> tuple[list[CaseViolation], str | None]:
        return await self.paginate(select(CaseViolation).where(CaseViolation.case_id == case_id), params)

    async def count_unsanctioned(self, case_id: uuid.UUID) -> int:
        stmt = (
            select(func.count())
            .select_from(CaseViolation)
            .where(
                CaseViolation.case_id == case_id,
                ~exists().where(SanctionDecision.case_violation_id == CaseViolation.id),
            )
        )
        return int((await self.session.execute(stmt)).scalar_one())


class SanctionRepository(RepositoryBase[SanctionDecision]):
    model = SanctionDecision

    async def of_violation(self, violation_id: uuid.UUID) -> SanctionDecision | None:
        stmt = select(SanctionDecision).where(SanctionDecision.case_violation_id == violation_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def add_if_number_free(self, decision: SanctionDecision) -> bool:
        """Insert the decision; False when another one took its number (or its violation) meanwhile."""
        try:
            async with self.session.begin_nested():
                self.session.add(decision)
                await self.session.flush()
        except IntegrityError:
            return False
        return True

    async def by_number(self, number: str) -> SanctionDecision | None:
        stmt = select(SanctionDecision).where(SanctionDecision.number == number)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_of_case(
        self, case_id: uuid.UUID, params: PageParams
    ) -> tuple[list[SanctionDecision], str | None]:
        return await self.paginate(
            select(SanctionDecision).where(SanctionDecision.case_id == case_id), params
        )
