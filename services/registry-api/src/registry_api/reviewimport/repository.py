from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from registry_api.models import DwellingAssessment, ReviewCampaign, ReviewRecord, ReviewState
from servicekit.db.repository import RepositoryBase


class ReviewResultsRepository(RepositoryBase[ReviewRecord]):
    model = ReviewRecord

    async def original_record(self, campaign_id: uuid.UUID, household_id: uuid.UUID) -> ReviewRecord | None:
        """The household's record in the campaign (not a correction): at most one, by a unique index."""
        stmt = select(ReviewRecord).where(
            ReviewRecord.campaign_id == campaign_id,
            ReviewRecord.household_id == household_id,
            ReviewRecord.corrects_record_id.is_(None),
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def previous_status(self, household_id: uuid.UUID, province_code: str, year: int) -> str | None:
        """The status approved for the household in the latest earlier campaign (a correction, being
        newer, wins over the record it corrects)."""
        stmt = (
            select(ReviewRecord.status_after)
            .join(ReviewCampaign, ReviewCampaign.id == ReviewRecord.campaign_id)
            .where(
                ReviewRecord.household_id == household_id,
                ReviewRecord.state == ReviewState.APPROVED.value,
                ReviewCampaign.province_code == province_code,
                ReviewCampaign.year < year,
            )
            .order_by(ReviewCampaign.year.desc(), ReviewRecord.created_at.desc(), ReviewRecord.id.desc())
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def same_assessment(
        self,
        dwelling_id: uuid.UUID,
        assessed_on: date,
        floor_area_m2: Decimal,
        residents: int,
        materials: tuple[str, str, str],
        states: tuple[str, str, str],
    ) -> DwellingAssessment | None:
        """An assessment of the dwelling on that day with the same facts: a re-import finds it."""
        stmt = (
            select(DwellingAssessment)
            .where(
                DwellingAssessment.dwelling_id == dwelling_id,
                DwellingAssessment.assessed_on == assessed_on,
                DwellingAssessment.floor_area_m2 == floor_area_m2,
                DwellingAssessment.residents == residents,
                DwellingAssessment.foundation_material == materials[0],
                DwellingAssessment.frame_walls_material == materials[1],
                DwellingAssessment.roof_material == materials[2],
                DwellingAssessment.foundation_state == states[0],
                DwellingAssessment.frame_walls_state == states[1],
                DwellingAssessment.roof_state == states[2],
            )
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()
