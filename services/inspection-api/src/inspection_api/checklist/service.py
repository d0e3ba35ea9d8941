"""Checklist templates and their versions. A version is editable until the first case uses it; from
then on it is frozen and changes go into a new version, so a case always shows what it was checked
against."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.checklist.errors import (
    ChecklistKeysDuplicated,
    TemplateCodeTaken,
    TemplateNotFound,
    TemplateVersionInUse,
    TemplateVersionNotFound,
)
from inspection_api.checklist.repository import TemplateRepository, VersionRepository
from inspection_api.checklist.schemas import ChecklistItem, TemplateCreate, VersionWrite
from inspection_api.models import CaseKind, ChecklistTemplate, ChecklistTemplateVersion, OutboxEvent
from servicekit.concurrency import check_version
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams


def _items(items: list[ChecklistItem]) -> list[dict[str, str | None]]:
    seen: set[str] = set()
    errors = []
    for i, item in enumerate(items):
        if item.key in seen:
            errors.append(
                FieldError(pointer=f"/body/items/{i}/key", code="duplicate", message="key repeated")
            )
        seen.add(item.key)
    if errors:
        raise ChecklistKeysDuplicated("Two items share a key.", errors=errors)
    return [item.model_dump() for item in items]


class ChecklistService:
    async def create_template(self, session: AsyncSession, data: TemplateCreate) -> ChecklistTemplate:
        repo = TemplateRepository(session)
        if await repo.by_code(data.code) is not None:
            raise TemplateCodeTaken(f"The code {data.code} is taken.")
        template = ChecklistTemplate(code=data.code, kind=data.kind.value, title=data.title)
        return await repo.add(template)

    async def get_template(self, session: AsyncSession, template_id: uuid.UUID) -> ChecklistTemplate:
        template = await TemplateRepository(session).get(template_id)
        if template is None:
            raise TemplateNotFound(f"No checklist template {template_id}.")
        return template

    async def list_templates(
        self, session: AsyncSession, params: PageParams, *, kind: CaseKind | None
    ) -> tuple[list[ChecklistTemplate], str | None]:
        return await TemplateRepository(session).list_templates(params, kind=kind.value if kind else None)

    async def add_version(
        self, session: AsyncSession, template_id: uuid.UUID, data: VersionWrite
    ) -> ChecklistTemplateVersion:
        # Locked, so two versions added at once get consecutive numbers instead of a clash.
        template = await TemplateRepository(session).get(template_id, for_update=True)
        if template is None:
            raise TemplateNotFound(f"No checklist template {template_id}.")
        repo = VersionRepository(session)
        version = ChecklistTemplateVersion(
            template_id=template.id, number=await repo.next_number(template.id), items=_items(data.items)
        )
        await repo.add(version)
        await emit(
            session,
            OutboxEvent,
            type="checklist_template.version_added",
            subject=urn("inspection", "checklist-template", template.id),
            area_codes=[],
            data={"template_id": template.id, "version_id": version.id, "number": version.number},
        )
        return version

    async def list_versions(
        self, session: AsyncSession, template_id: uuid.UUID, params: PageParams
    ) -> tuple[list[ChecklistTemplateVersion], str | None]:
        template = await self.get_template(session, template_id)
        return await VersionRepository(session).list_of_template(template.id, params)

    async def get_version(self, session: AsyncSession, version_id: uuid.UUID) -> ChecklistTemplateVersion:
        version = await VersionRepository(session).get(version_id)
        if version is None:
            raise TemplateVersionNotFound(f"No checklist template version {version_id}.")
        return version

    async def update_version(
        self, session: AsyncSession, version_id: uuid.UUID, expected_version: int, data: VersionWrite
    ) -> ChecklistTemplateVersion:
        version = await VersionRepository(session).get(version_id, for_update=True)
        if version is None:
            raise TemplateVersionNotFound(f"No checklist template version {version_id}.")
        if version.first_used_at is not None:
            raise TemplateVersionInUse(
                f"Version {version.number} is used by a case since {version.first_used_at:%Y-%m-%d}."
            )
        check_version(version.version, expected_version)
        version.items = _items(data.items)
        await VersionRepository(session).flush()
        return version

    async def mark_used(self, session: AsyncSession, version: ChecklistTemplateVersion) -> None:
        """Freeze the version: called when a case starts with it."""
        if version.first_used_at is None:
            version.first_used_at = datetime.now(UTC)
            await VersionRepository(session).flush()


checklist_service = ChecklistService()
