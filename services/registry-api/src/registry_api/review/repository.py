from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.exc import IntegrityError

from registry_api.models import (
    AdminUnit,
    AdminUnitLevel,
    AdminUnitScheme,
    ReviewCampaign,
    ReviewRecord,
    ReviewRule,
    ReviewSubmission,
)
from registry_api.review.errors import CampaignExists, RecordExists
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams

CAMPAIGN_UNIQUE = "uq_review_campaign_province_code_year"
RECORD_UNIQUE = "uq_review_record_household_per_campaign"


def campaign_visible(area: AreaScope) -> ColumnElement[bool]:
    """A campaign covers a province: visible to callers covering the province or one of its communes."""
    clauses: list[ColumnElement[bool]] = [
        area.sql_filter(ReviewCampaign.province_code, ReviewCampaign.commune_code)
    ]
    if area.communes:
        provinces_of_communes = select(AdminUnit.parent_code).where(
            AdminUnit.scheme == AdminUnitScheme.CURRENT.value,
            AdminUnit.level == AdminUnitLevel.COMMUNE.value,
            AdminUnit.code.in_(sorted(area.communes)),
        )
        clauses.append(ReviewCampaign.province_code.in_(provinces_of_communes))
    return or_(*clauses)


@dataclass(frozen=True)
class CommuneProgress:
    commune_code: str
    submission_state: str | None
    households_reviewed: int
    draft: int
    submitted: int
    approved: int
    returned: int
    corrections: int


class CampaignRepository(RepositoryBase[ReviewCampaign]):
    model = ReviewCampaign

    async def get_visible(self, id_: uuid.UUID, area: AreaScope) -> ReviewCampaign | None:
        stmt = select(ReviewCampaign).where(ReviewCampaign.id == id_, campaign_visible(area))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_visible(
        self, area: AreaScope, params: PageParams, *, year: int | None
    ) -> tuple[list[ReviewCampaign], str | None]:
        stmt = select(ReviewCampaign).where(campaign_visible(area))
        if year is not None:
            stmt = stmt.where(ReviewCampaign.year == year)
        return await self.paginate(
            stmt, params, order_by=[ReviewCampaign.year, ReviewCampaign.id], descending=True
        )

    async def for_year(self, province_code: str, year: int) -> ReviewCampaign | None:
        stmt = select(ReviewCampaign).where(
            ReviewCampaign.province_code == province_code, ReviewCampaign.year == year
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def save(self, campaign: ReviewCampaign) -> None:
        self.session.add(campaign)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if CAMPAIGN_UNIQUE in str(exc.orig):
                raise CampaignExists(
                    f"Province {campaign.province_code} already has a campaign for {campaign.year}."
                ) from exc
            raise

    async def progress(self, campaign_id: uuid.UUID, area: AreaScope) -> list[CommuneProgress]:
        """Per commune of the caller's area: households reviewed and records by state."""

        def n(cond: ColumnElement[bool]) -> ColumnElement[int]:
            return func.count(case((cond, 1)))

        stmt = (
            select(
                ReviewSubmission.commune_code,
                ReviewSubmission.state,
                func.count(func.distinct(ReviewRecord.household_id)),
                n(ReviewRecord.state == "draft"),
                n(ReviewRecord.state == "submitted"),
                n(ReviewRecord.state == "approved"),
                n(ReviewRecord.state == "returned"),
                n(ReviewRecord.corrects_record_id.is_not(None)),
            )
            .join(ReviewRecord, ReviewRecord.submission_id == ReviewSubmission.id, isouter=True)
            .where(
                ReviewSubmission.campaign_id == campaign_id,
                area.sql_filter(ReviewSubmission.province_code, ReviewSubmission.commune_code),
            )
            .group_by(ReviewSubmission.commune_code, ReviewSubmission.state)
            .order_by(ReviewSubmission.commune_code)
        )
        return [
            CommuneProgress(
                commune_code=str(row[0]),
                submission_state=row[1],
                households_reviewed=row[2],
                draft=row[3],
                submitted=row[4],
                approved=row[5],
                returned=row[6],
                corrections=row[7],
            )
            for row in (await self.session.execute(stmt)).all()
        ]


class SubmissionRepository(RepositoryBase[ReviewSubmission]):
    model = ReviewSubmission

    async def for_commune(
        self, campaign_id: uuid.UUID, commune_code: str, area: AreaScope | None = None
    ) -> ReviewSubmission | None:
        stmt = select(ReviewSubmission).where(
            ReviewSubmission.campaign_id == campaign_id, ReviewSubmission.commune_code == commune_code
        )
        if area is not None:
            stmt = stmt.where(area.sql_filter(ReviewSubmission.province_code, ReviewSubmission.commune_code))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def save(self, submission: ReviewSubmission) -> None:
        self.session.add(submission)
        await self.session.flush()


class RecordRepository(RepositoryBase[ReviewRecord]):
    model = ReviewRecord

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> ReviewRecord | None:
        return await self.get(id_, area.sql_filter(ReviewRecord.province_code, ReviewRecord.commune_code))

    async def list_in_campaign(
        self,
        campaign_id: uuid.UUID,
        area: AreaScope,
        params: PageParams,
        *,
        commune_code: str | None,
        state: str | None,
    ) -> tuple[list[ReviewRecord], str | None]:
        stmt = select(ReviewRecord).where(
            ReviewRecord.campaign_id == campaign_id,
            area.sql_filter(ReviewRecord.province_code, ReviewRecord.commune_code),
        )
        if commune_code is not None:
            stmt = stmt.where(ReviewRecord.commune_code == commune_code)
        if state is not None:
            stmt = stmt.where(ReviewRecord.state == state)
        return await self.paginate(stmt, params)

    async def in_submission(self, submission_id: uuid.UUID, states: tuple[str, ...]) -> list[ReviewRecord]:
        stmt = select(ReviewRecord).where(
            ReviewRecord.submission_id == submission_id, ReviewRecord.state.in_(states)
        )
        return list((await self.session.execute(stmt.order_by(ReviewRecord.id))).scalars())

    async def save(self, *records: ReviewRecord) -> None:
        self.session.add_all(records)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if RECORD_UNIQUE in str(exc.orig):
                raise RecordExists("The household already has a record in this campaign.") from exc
            raise


class ReviewRuleRepository(RepositoryBase[ReviewRule]):
    model = ReviewRule

    async def valid_on(self, on: date) -> ReviewRule | None:
        stmt = (
            select(ReviewRule)
            .where(ReviewRule.valid_from <= on, or_(ReviewRule.valid_to.is_(None), ReviewRule.valid_to >= on))
            .order_by(ReviewRule.valid_from.desc())
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_all(self, params: PageParams) -> tuple[list[ReviewRule], str | None]:
        return await self.paginate(
            select(ReviewRule), params, order_by=[ReviewRule.valid_from, ReviewRule.id]
        )

    async def codes(self) -> set[str]:
        return set((await self.session.execute(select(ReviewRule.code))).scalars())

    async def add_all(self, rules: list[ReviewRule]) -> None:
        self.session.add_all(rules)
        await self.session.flush()
