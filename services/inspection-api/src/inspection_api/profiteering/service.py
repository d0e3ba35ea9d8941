"""The review queue: flags read within the caller's area, confirmed (a case opens) or dismissed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.inspection_case.service import open_case_for_flag
from inspection_api.models.profiteering import FlagKind, FlagStatus, ProfiteeringFlag, ProfiteeringRun
from inspection_api.profiteering.detection import detection_service, emit_flag_event
from inspection_api.profiteering.errors import FlagAlreadyDecided, FlagNotFound, RunNotFound
from inspection_api.profiteering.repository import FlagRepository, RunRepository
from inspection_api.profiteering.schemas import FlagConfirm, FlagDismiss
from servicekit.concurrency import check_version
from servicekit.pagination import PageParams
from servicekit.principal import Principal

# How a confirmed flag's case is titled when the reviewer gives no title.
DEFAULT_TITLES: dict[str, str] = {
    FlagKind.SUPPORTED_TWICE: "Hưởng hỗ trợ nhà ở xã hội hai lần",
    FlagKind.INELIGIBLE_APPLICATION: "Hồ sơ của người không đủ điều kiện",
    FlagKind.RESALE_WITHIN_LOCK: "Bán lại nhà ở xã hội trong thời hạn 5 năm",
    FlagKind.MULTIPLE_OPEN_APPLICATIONS: "Đăng ký tại nhiều dự án cùng lúc",
    FlagKind.LOAN_UNKNOWN_BORROWER: "Khoản vay của người vay không có trong cơ sở dữ liệu",
    FlagKind.LOAN_INELIGIBLE_BORROWER: "Khoản vay của người vay không đủ điều kiện",
    FlagKind.LAND_RESERVE_OVERDUE: "Quỹ đất 20% nhà ở xã hội chậm tiến độ",
}


class FlagService:
    async def get(self, session: AsyncSession, caller: Principal, flag_id: uuid.UUID) -> ProfiteeringFlag:
        """One flag; one outside the caller's area is as missing as one that does not exist."""
        flag = await FlagRepository(session).get_in_area(flag_id, caller.area)
        if flag is None:
            raise FlagNotFound(f"No profiteering flag {flag_id} in your area.")
        return flag

    async def list_flags(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        status: FlagStatus | None,
        kind: FlagKind | None,
    ) -> tuple[list[ProfiteeringFlag], str | None]:
        return await FlagRepository(session).list_flags(
            params,
            area=caller.area,
            status=status.value if status else None,
            kind=kind.value if kind else None,
        )

    async def _open_flag(
        self, session: AsyncSession, caller: Principal, flag_id: uuid.UUID, expected_version: int
    ) -> ProfiteeringFlag:
        flag = await FlagRepository(session).get_in_area(flag_id, caller.area, for_update=True)
        if flag is None:
            raise FlagNotFound(f"No profiteering flag {flag_id} in your area.")
        check_version(flag.version, expected_version)
        if flag.status != FlagStatus.OPEN:
            raise FlagAlreadyDecided(f"The flag is already {flag.status}.")
        return flag

    async def confirm(
        self,
        session: AsyncSession,
        caller: Principal,
        flag_id: uuid.UUID,
        expected_version: int,
        data: FlagConfirm,
    ) -> ProfiteeringFlag:
        """Confirm the suspicion: a case opens in the flag's area and records the flag."""
        flag = await self._open_flag(session, caller, flag_id, expected_version)
        case = await open_case_for_flag(
            session,
            caller,
            kind=data.case_kind.value,
            title=data.title or DEFAULT_TITLES.get(flag.kind, flag.kind),
            province_code=flag.province_code,
            commune_code=flag.commune_code,
            flag_id=flag.id,
            summary=data.summary or f"Mở từ cảnh báo trục lợi {flag.kind} ({flag.source} {flag.key}).",
        )
        flag.status = FlagStatus.CONFIRMED.value
        flag.case_id = case.id
        flag.decided_by = caller.subject
        flag.decided_at = datetime.now(UTC)
        await FlagRepository(session).save(flag)
        await emit_flag_event(session, "profiteering_flag.confirmed", flag)
        return flag

    async def dismiss(
        self,
        session: AsyncSession,
        caller: Principal,
        flag_id: uuid.UUID,
        expected_version: int,
        data: FlagDismiss,
    ) -> ProfiteeringFlag:
        """Dismiss the suspicion with a reason; the flag stays (its key is never raised again)."""
        flag = await self._open_flag(session, caller, flag_id, expected_version)
        flag.status = FlagStatus.DISMISSED.value
        flag.dismissed_reason = data.reason
        flag.decided_by = caller.subject
        flag.decided_at = datetime.now(UTC)
        await FlagRepository(session).save(flag)
        await emit_flag_event(session, "profiteering_flag.dismissed", flag)
        return flag

    async def request_run(self, session: AsyncSession, caller: Principal) -> ProfiteeringRun:
        return await detection_service.request_run(session, caller)

    async def get_run(self, session: AsyncSession, run_id: uuid.UUID) -> ProfiteeringRun:
        run = await RunRepository(session).get(run_id)
        if run is None:
            raise RunNotFound(f"No profiteering run {run_id}.")
        return run

    async def list_runs(
        self, session: AsyncSession, params: PageParams
    ) -> tuple[list[ProfiteeringRun], str | None]:
        return await RunRepository(session).list_runs(params)


flag_service = FlagService()
