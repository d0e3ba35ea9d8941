from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.exc import IntegrityError

from registry_api.application.errors import ApplicationOpenExists
from registry_api.models import (
    Application,
    ApplicationEvidence,
    BeneficiaryCategory,
    BeneficiaryGroup,
    EligibilityConfirmation,
    EligibilityRule,
    HousingContract,
    Person,
    SupportHistory,
)
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams

OPEN_UNIQUE = "uq_application_applicant_open"


def in_area(area: AreaScope) -> ColumnElement[bool]:
    return area.sql_filter(Application.province_code, Application.commune_code)


class ApplicationRepository(RepositoryBase[Application]):
    model = Application

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> Application | None:
        return await self.get(id_, in_area(area))

    async def list_in_area(
        self, area: AreaScope, params: PageParams, *, status: str | None
    ) -> tuple[list[Application], str | None]:
        stmt = select(Application).where(in_area(area))
        if status is not None:
            stmt = stmt.where(Application.status == status)
        return await self.paginate(stmt, params)

    async def open_for_applicant(self, person_id: uuid.UUID) -> Application | None:
        stmt = select(Application).where(
            Application.applicant_person_id == person_id,
            Application.status.in_(["draft", "submitted", "eligible"]),
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def latest_for_applicant(self, person_id: uuid.UUID, tenures: Sequence[str]) -> Application | None:
        stmt = (
            select(Application)
            .where(
                Application.applicant_person_id == person_id,
                Application.tenure.in_(list(tenures)),
                Application.status != "withdrawn",
            )
            .order_by(Application.created_at.desc(), Application.id.desc())
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def _involving(self, person_ids: list[uuid.UUID]) -> ColumnElement[bool]:
        return or_(
            Application.applicant_person_id.in_(person_ids), Application.spouse_person_id.in_(person_ids)
        )

    async def allocated_ownership(self, person_ids: list[uuid.UUID], exclude: uuid.UUID) -> list[Application]:
        """Buy or lease-purchase applications allocated to any of these persons (as applicant or spouse)
        and not under contract yet (a signed contract is read from the support history)."""
        stmt = select(Application).where(
            self._involving(person_ids),
            Application.id != exclude,
            Application.status == "allocated",
            Application.tenure.in_(["buy", "lease_purchase"]),
            ~select(HousingContract.id).where(HousingContract.application_id == Application.id).exists(),
        )
        return list((await self.session.execute(stmt)).scalars())

    async def open_elsewhere(
        self, person_ids: list[uuid.UUID], project_id: uuid.UUID, exclude: uuid.UUID
    ) -> list[Application]:
        """Submitted or eligible applications of these persons at another project."""
        stmt = select(Application).where(
            self._involving(person_ids),
            Application.id != exclude,
            Application.project_id != project_id,
            Application.status.in_(["submitted", "eligible"]),
        )
        return list((await self.session.execute(stmt)).scalars())

    async def poverty_categories(
        self, applicant_id: uuid.UUID, kinds: list[str], on: date
    ) -> list[uuid.UUID]:
        """The applicant's household's poverty categories of these kinds valid on `on`."""
        household = select(Person.household_id).where(Person.id == applicant_id).scalar_subquery()
        stmt = select(BeneficiaryCategory.id).where(
            BeneficiaryCategory.household_id == household,
            BeneficiaryCategory.kind.in_(kinds),
            BeneficiaryCategory.valid_from <= on,
            or_(BeneficiaryCategory.valid_to.is_(None), BeneficiaryCategory.valid_to >= on),
        )
        return list((await self.session.execute(stmt.order_by(BeneficiaryCategory.id))).scalars())

    async def save(self, application: Application) -> Application:
        """Add (if new) and flush; an open application recorded meanwhile is a 409 here."""
        self.session.add(application)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if OPEN_UNIQUE in str(exc.orig):
                raise ApplicationOpenExists("The applicant already has an open application.") from exc
            raise
        return application


class EvidenceRepository(RepositoryBase[ApplicationEvidence]):
    model = ApplicationEvidence

    async def for_application(self, application_id: uuid.UUID) -> list[ApplicationEvidence]:
        stmt = (
            select(ApplicationEvidence)
            .where(ApplicationEvidence.application_id == application_id)
            .order_by(ApplicationEvidence.created_at, ApplicationEvidence.id)
        )
        return list((await self.session.execute(stmt)).scalars())


class ReferenceRepository(RepositoryBase[EligibilityRule]):
    model = EligibilityRule

    async def rules_on(self, on: date) -> list[EligibilityRule]:
        stmt = (
            select(EligibilityRule)
            .where(
                EligibilityRule.valid_from <= on,
                or_(EligibilityRule.valid_to.is_(None), EligibilityRule.valid_to >= on),
            )
            .order_by(EligibilityRule.code)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def list_rules(self, params: PageParams) -> tuple[list[EligibilityRule], str | None]:
        return await self.paginate(select(EligibilityRule), params)

    async def group_on(self, clause: int, on: date) -> BeneficiaryGroup | None:
        stmt = select(BeneficiaryGroup).where(
            BeneficiaryGroup.clause == clause,
            BeneficiaryGroup.valid_from <= on,
            or_(BeneficiaryGroup.valid_to.is_(None), BeneficiaryGroup.valid_to >= on),
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def group(self, id_: uuid.UUID) -> BeneficiaryGroup | None:
        return await self.session.get(BeneficiaryGroup, id_)

    async def group_codes(self) -> set[str]:
        return set((await self.session.execute(select(BeneficiaryGroup.code))).scalars())

    async def rule_codes(self) -> set[str]:
        return set((await self.session.execute(select(EligibilityRule.code))).scalars())

    async def add_all(self, rows: Sequence[object]) -> None:
        if rows:
            self.session.add_all(rows)
            await self.session.flush()


class GroupRepository(RepositoryBase[BeneficiaryGroup]):
    model = BeneficiaryGroup

    async def list_groups(
        self, params: PageParams, on: date | None
    ) -> tuple[list[BeneficiaryGroup], str | None]:
        stmt = select(BeneficiaryGroup)
        if on is not None:
            stmt = stmt.where(
                BeneficiaryGroup.valid_from <= on,
                or_(BeneficiaryGroup.valid_to.is_(None), BeneficiaryGroup.valid_to >= on),
            )
        return await self.paginate(stmt, params, order_by=[BeneficiaryGroup.clause, BeneficiaryGroup.id])


class SupportReadRepository(RepositoryBase[SupportHistory]):
    model = SupportHistory

    async def for_persons(
        self,
        person_ids: list[uuid.UUID],
        *,
        sources: list[str],
        outcomes: list[str] | None = None,
        kinds: list[str] | None = None,
    ) -> list[SupportHistory]:
        """Support history rows naming any of these persons (anywhere in the registry's province)."""
        stmt = select(SupportHistory).where(
            SupportHistory.person_ids.overlap(person_ids), SupportHistory.source.in_(sources)
        )
        if outcomes is not None:
            stmt = stmt.where(SupportHistory.outcome.in_(outcomes))
        if kinds is not None:
            stmt = stmt.where(SupportHistory.kind.in_(kinds))
        return list((await self.session.execute(stmt.order_by(SupportHistory.proposed_on))).scalars())


class ConfirmationRepository(RepositoryBase[EligibilityConfirmation]):
    model = EligibilityConfirmation
