from __future__ import annotations

import uuid

from sqlalchemy import func, select

from inspection_api.models import ChecklistTemplate, ChecklistTemplateVersion
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


class TemplateRepository(RepositoryBase[ChecklistTemplate]):
    model = ChecklistTemplate

    async def by_code(self, code: str) -> ChecklistTemplate | None:
        stmt = select(ChecklistTemplate).where(ChecklistTemplate.code == code)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_templates(
        self, params: PageParams, *, kind: str | None
    ) -> tuple[list[ChecklistTemplate], str | None]:
        stmt = select(ChecklistTemplate)
        if kind is not None:
            stmt = stmt.where(ChecklistTemplate.kind == kind)
        return await self.paginate(stmt, params)


class VersionRepository(RepositoryBase[ChecklistTemplateVersion]):
    model = ChecklistTemplateVersion

    async def next_number(self, template_id: uuid.UUID) -> int:
        stmt = select(func.coalesce(func.max(ChecklistTemplateVersion.number), 0)).where(
            ChecklistTemplateVersion.template_id == template_id
        )
        return int((await self.session.execute(stmt)).scalar_one()) + 1

    async def list_of_template(
        self, template_id: uuid.UUID, params: PageParams
    ) -> tuple[list[ChecklistTemplateVersion], str | None]:
        stmt = select(ChecklistTemplateVersion).where(ChecklistTemplateVersion.template_id == template_id)
        return await self.paginate(stmt, params)

    async def by_number(self, template_id: uuid.UUID, number: int) -> ChecklistTemplateVersion | None:
        stmt = select(ChecklistTemplateVersion).where(
            ChecklistTemplateVersion.template_id == template_id, ChecklistTemplateVersion.number == number
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def with_template(
        self, version_id: uuid.UUID
    ) -> tuple[ChecklistTemplateVersion, ChecklistTemplate] | None:
        stmt = (
            select(ChecklistTemplateVersion, ChecklistTemplate)
            .join(ChecklistTemplate, ChecklistTemplate.id == ChecklistTemplateVersion.template_id)
            .where(ChecklistTemplateVersion.id == version_id)
            # Locked: a case starting with it and an edit of it never cross.
            .with_for_update(of=ChecklistTemplateVersion)
        )
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None
