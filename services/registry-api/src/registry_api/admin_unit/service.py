"""Administrative units: lookups, and the seed from the packages' static tables (never an online lookup)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.errors import AdminUnitNotFound
from registry_api.admin_unit.repository import AdminUnitRepository
from registry_api.models import AdminUnit, AdminUnitLevel, AdminUnitScheme
from servicekit.pagination import PageParams

# Decision 19/2025/QĐ-TTg: the two-level codes take effect with the reorganisation on 1 July 2025.
CURRENT_SCHEME_VALID_FROM = date(2025, 7, 1)


class AdminUnitService:
    async def get(self, session: AsyncSession, scheme: AdminUnitScheme, code: str) -> AdminUnit:
        unit = await AdminUnitRepository(session).get_by_code(scheme.value, code)
        if unit is None:
            raise AdminUnitNotFound(f"No {scheme.value} unit has the code {code}.")
        return unit

    async def list_units(
        self,
        session: AsyncSession,
        params: PageParams,
        *,
        scheme: AdminUnitScheme,
        level: AdminUnitLevel | None,
        parent_code: str | None,
    ) -> tuple[list[AdminUnit], str | None]:
        return await AdminUnitRepository(session).list_units(
            params, scheme=scheme.value, level=level.value if level else None, parent_code=parent_code
        )

    async def seed_current_province(self, session: AsyncSession, province_code: int) -> int:
        """Load one province and its communes from vietnam-provinces (2025 codes). Idempotent."""
        import vietnam_provinces as vp

        source = f"vietnam-provinces {vp.__version__} (data {vp.__data_version__})"
        province = next(p for p in vp.Province.iter_all() if int(p.code) == province_code)
        rows: list[dict[str, object]] = [
            _row(
                AdminUnitLevel.PROVINCE,
                f"{int(province.code):02d}",
                province.name,
                province.division_type.value,
                province.codename,
                None,
                source,
            )
        ]
        rows += [
            _row(
                AdminUnitLevel.COMMUNE,
                f"{int(ward.code):05d}",
                ward.name,
                ward.division_type.value,
                ward.codename,
                f"{int(province.code):02d}",
                source,
            )
            for ward in vp.Ward.iter_all()
            if int(ward.province_code) == province_code
        ]
        return await AdminUnitRepository(session).upsert_many(rows)


def _row(
    level: AdminUnitLevel,
    code: str,
    name: str,
    division_type: str,
    codename: str,
    parent_code: str | None,
    source: str,
) -> dict[str, object]:
    return {
        "scheme": AdminUnitScheme.CURRENT.value,
        "level": level.value,
        "code": code,
        "name": name,
        "division_type": division_type,
        "codename": codename,
        "parent_code": parent_code,
        "valid_from": CURRENT_SCHEME_VALID_FROM,
        "valid_to": None,
        "source": source,
    }


admin_unit_service = AdminUnitService()
