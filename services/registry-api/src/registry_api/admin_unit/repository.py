from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import astuple
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    case,
    cast,
    distinct,
    false,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from registry_api.admin_unit.errors import UnitResolutionExists
from registry_api.admin_unit.sources import MappingRow, UnitRow
from registry_api.models import AdminUnit, AdminUnitMapping, UnitResolution
from servicekit.areas import AreaScope
from servicekit.db.base import new_id
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams

# Any query, whatever its columns (what a roll-up counts).
AnySelect = Select[*tuple[Any, ...]]
RESOLUTION_SOURCE_UNIQUE = "uq_unit_resolution_source_service_resource_type_resource_id"

# One statement per table: the rows travel as one array per column and are unnested by PostgreSQL, so
# 14,000 units are one round trip. A re-run inserts nothing and updates only what the package changed;
# validity dates are set on insert and never overwritten (a person may have corrected them).
_UPSERT_UNITS = text(
    """
    INSERT INTO admin_unit (id, scheme, level, code, name, division_type, codename, parent_code,
                            province_code, valid_from, valid_to, source)
    SELECT * FROM unnest(
        CAST(:id AS uuid[]), CAST(:scheme AS varchar[]), CAST(:level AS varchar[]),
        CAST(:code AS varchar[]), CAST(:name AS varchar[]), CAST(:division_type AS varchar[]),
        CAST(:codename AS varchar[]), CAST(:parent_code AS varchar[]), CAST(:province_code AS varchar[]),
        CAST(:valid_from AS date[]), CAST(:valid_to AS date[]), CAST(:source AS varchar[]))
    ON CONFLICT (scheme, level, code) DO UPDATE SET
        name = excluded.name, division_type = excluded.division_type, codename = excluded.codename,
        parent_code = excluded.parent_code, province_code = excluded.province_code, source = excluded.source
    WHERE (admin_unit.name, admin_unit.division_type, admin_unit.codename, admin_unit.parent_code,
           admin_unit.province_code, admin_unit.source)
          IS DISTINCT FROM (excluded.name, excluded.division_type, excluded.codename, excluded.parent_code,
                            excluded.province_code, excluded.source)
    RETURNING (xmax = 0) AS inserted
    """
)
_UNIT_COLUMNS = (
    "scheme",
    "level",
    "code",
    "name",
    "division_type",
    "codename",
    "parent_code",
    "province_code",
    "valid_from",
    "valid_to",
    "source",
)

_UPSERT_MAPPINGS = text(
    """
    INSERT INTO admin_unit_mapping (id, legacy_level, legacy_code, new_level, new_code, kind,
                                    package_default, effective_on, source)
    SELECT * FROM unnest(
        CAST(:id AS uuid[]), CAST(:legacy_level AS varchar[]), CAST(:legacy_code AS varchar[]),
        CAST(:new_level AS varchar[]), CAST(:new_code AS varchar[]), CAST(:kind AS varchar[]),
        CAST(:package_default AS boolean[]), CAST(:effective_on AS date[]), CAST(:source AS varchar[]))
    ON CONFLICT (legacy_level, legacy_code, new_code) DO UPDATE SET
        new_level = excluded.new_level, kind = excluded.kind, package_default = excluded.package_default,
        effective_on = excluded.effective_on, source = excluded.source
    WHERE (admin_unit_mapping.new_level, admin_unit_mapping.kind, admin_unit_mapping.package_default,
           admin_unit_mapping.effective_on, admin_unit_mapping.source)
          IS DISTINCT FROM (excluded.new_level, excluded.kind, excluded.package_default,
                            excluded.effective_on, excluded.source)
    RETURNING (xmax = 0) AS inserted
    """
)
# The mapping mirrors the package: pairs of this reorganisation the package no longer lists go.
_DELETE_STALE_MAPPINGS = text(
    """
    DELETE FROM admin_unit_mapping m
    WHERE m.effective_on = :effective_on
      AND (m.legacy_level, m.legacy_code, m.new_code) NOT IN (
          SELECT * FROM unnest(CAST(:legacy_level AS varchar[]), CAST(:legacy_code AS varchar[]),
                               CAST(:new_code AS varchar[])))
    """
)
_MAPPING_COLUMNS = (
    "legacy_level",
    "legacy_code",
    "new_level",
    "new_code",
    "kind",
    "package_default",
    "effective_on",
    "source",
)


def _columns(rows: Sequence[Any], names: Sequence[str]) -> dict[str, list[Any]]:
    values = [astuple(r) for r in rows]
    params: dict[str, list[Any]] = {name: [v[i] for v in values] for i, name in enumerate(names)}
    params["id"] = [new_id() for _ in rows]
    return params


def _counts(result: Any) -> tuple[int, int]:
    flags = [bool(r[0]) for r in result]
    inserted = sum(flags)
    return inserted, len(flags) - inserted


class AdminUnitRepository(RepositoryBase[AdminUnit]):
    model = AdminUnit

    async def get_by_code(self, scheme: str, code: str, level: str | None = None) -> AdminUnit | None:
        stmt = select(AdminUnit).where(AdminUnit.scheme == scheme, AdminUnit.code == code)
        if level is not None:
            stmt = stmt.where(AdminUnit.level == level)
        return (await self.session.execute(stmt.order_by(AdminUnit.level).limit(1))).scalar_one_or_none()

    async def get_many(self, scheme: str, level: str, codes: Sequence[str]) -> list[AdminUnit]:
        stmt = select(AdminUnit).where(
            AdminUnit.scheme == scheme, AdminUnit.level == level, AdminUnit.code.in_(sorted(set(codes)))
        )
        return list((await self.session.execute(stmt.order_by(AdminUnit.code))).scalars())

    async def list_units(
        self,
        params: PageParams,
        *,
        scheme: str,
        level: str | None,
        parent_code: str | None,
        valid_on: date | None = None,
    ) -> tuple[list[AdminUnit], str | None]:
        stmt = select(AdminUnit).where(AdminUnit.scheme == scheme)
        if level is not None:
            stmt = stmt.where(AdminUnit.level == level)
        if parent_code is not None:
            stmt = stmt.where(AdminUnit.parent_code == parent_code)
        if valid_on is not None:
            stmt = stmt.where(
                AdminUnit.valid_from <= valid_on,
                or_(AdminUnit.valid_to.is_(None), AdminUnit.valid_to >= valid_on),
            )
        return await self.paginate(stmt, params, order_by=[AdminUnit.level, AdminUnit.code])

    async def upsert_units(self, rows: Sequence[UnitRow]) -> tuple[int, int]:
        """Load units; returns (inserted, updated). Idempotent: a re-run returns (0, 0)."""
        if not rows:
            return 0, 0
        result = await self.session.execute(_UPSERT_UNITS, _columns(rows, _UNIT_COLUMNS))
        return _counts(result)


class AdminUnitMappingRepository(RepositoryBase[AdminUnitMapping]):
    model = AdminUnitMapping

    async def successors(
        self, legacy_level: str, legacy_code: str
    ) -> list[tuple[AdminUnitMapping, AdminUnit]]:
        """The new units an old unit went to, with the units themselves, by code."""
        new = aliased(AdminUnit)
        stmt = (
            select(AdminUnitMapping, new)
            .join(
                new,
                and_(
                    new.scheme == "2025",
                    new.level == AdminUnitMapping.new_level,
                    new.code == AdminUnitMapping.new_code,
                ),
            )
            .where(AdminUnitMapping.legacy_level == legacy_level, AdminUnitMapping.legacy_code == legacy_code)
            .order_by(AdminUnitMapping.new_code)
        )
        return [(m, u) for m, u in (await self.session.execute(stmt)).all()]

    async def predecessor_count(self, new_level: str, new_code: str) -> int:
        stmt = select(func.count()).where(
            AdminUnitMapping.new_level == new_level, AdminUnitMapping.new_code == new_code
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def mirror(self, rows: Sequence[MappingRow], effective_on: date) -> tuple[int, int, int]:
        """Make the mapping of one reorganisation equal `rows`; returns (inserted, updated, deleted)."""
        if not rows:
            return 0, 0, 0
        params = _columns(rows, _MAPPING_COLUMNS)
        inserted, updated = _counts(await self.session.execute(_UPSERT_MAPPINGS, params))
        deleted = await self.session.execute(
            _DELETE_STALE_MAPPINGS,
            {
                "effective_on": effective_on,
                "legacy_level": params["legacy_level"],
                "legacy_code": params["legacy_code"],
                "new_code": params["new_code"],
            },
        )
        return inserted, updated, int(getattr(deleted, "rowcount", 0) or 0)

    async def roll_up(
        self, rows: AnySelect, *, boundaries: str, level: str, weight: str | None = None
    ) -> list[tuple[str | None, str | None, int]]:
        """Count `rows` (columns `province_code`, `commune_code`, `legacy_area_code`) per unit of the new
        (2025) or old (legacy) boundaries at `level`; returns (code, name, count), unplaced rows last.

        New boundaries read the row's current codes. Old boundaries read the legacy unit the row was
        recorded under; a row recorded without one (or under a coarser unit than `level`) counts for the
        old unit its current commune came from, when that commune came from exactly one old unit at
        `level`. Otherwise the row is counted with code NULL.

        With `weight`, a row counts as the value of that column (rows that are already counts, e.g.
        stored per-commune counts) and units whose counts add up to 0 are left out.
        """
        stmt = self._roll_up_statement(rows, boundaries=boundaries, level=level, series=None, weight=weight)
        # Core rows (no ORM result processing): a dashboard's series can hold thousands of them.
        counted_rows: Sequence[Any] = (await (await self.session.connection()).execute(stmt)).all()
        return [(row.code, row.name, int(row.n)) for row in counted_rows]

    async def roll_up_series(
        self, rows: AnySelect, *, series: str, boundaries: str, level: str, weight: str | None = None
    ) -> list[tuple[Any, str | None, str | None, int]]:
        """As `roll_up`, also grouped by the column `series` of `rows` (e.g. a period end): returns
        (series value, code, name, count) ordered by series value, then code (unplaced last)."""
        stmt = self._roll_up_statement(rows, boundaries=boundaries, level=level, series=series, weight=weight)
        # Core rows (no ORM result processing): a dashboard's series can hold thousands of them.
        counted_rows: Sequence[Any] = (await (await self.session.connection()).execute(stmt)).all()
        return [(row.series, row.code, row.name, int(row.n)) for row in counted_rows]

    def _roll_up_statement(
        self, rows: AnySelect, *, boundaries: str, level: str, series: str | None, weight: str | None = None
    ) -> Select[Any]:
        src = rows.subquery("src")
        extra: list[Any] = [] if series is None else [src.c[series].label("series")]
        # A sum of bigints is numeric in PostgreSQL: back to bigint, so rows carry ints, not Decimals.
        counted_n: Any = func.count() if weight is None else cast(func.sum(src.c[weight]), BigInteger)
        if boundaries == "new":
            key: ColumnElement[Any] = src.c.province_code if level == "province" else src.c.commune_code
            grouped = (
                select(*extra, key.label("code"), counted_n.label("n")).select_from(src).group_by(*extra, key)
            )
            scheme = "2025"
        else:
            recorded = aliased(AdminUnit)
            origin = self._single_origin().subquery("origin")
            if level == "province":
                key = func.coalesce(recorded.province_code, origin.c.legacy_province)
            else:
                key = func.coalesce(
                    case((recorded.level == "commune", recorded.code)), origin.c.legacy_commune
                )
            grouped = (
                select(*extra, key.label("code"), counted_n.label("n"))
                .select_from(src)
                .outerjoin(
                    recorded, and_(recorded.scheme == "legacy", recorded.code == src.c.legacy_area_code)
                )
                .outerjoin(origin, origin.c.new_code == src.c.commune_code)
                .group_by(*extra, key)
            )
            scheme = "legacy"
        if weight is not None:
            grouped = grouped.having(counted_n != 0)
        counted = grouped.subquery("counted")
        named = aliased(AdminUnit)
        leading: list[Any] = [] if series is None else [counted.c.series]
        return (
            select(*leading, counted.c.code, named.name, counted.c.n)
            .outerjoin(
                named,
                and_(named.scheme == scheme, named.level == level, named.code == counted.c.code),
            )
            .order_by(*leading, counted.c.code.asc().nulls_last())
        )

    def _single_origin(self) -> Select[Any]:
        """Per 2025 commune: its one old province and its one old commune, where there is only one."""
        old = aliased(AdminUnit)
        m = AdminUnitMapping
        return (
            select(
                m.new_code.label("new_code"),
                case(
                    (func.count(distinct(old.province_code)) == 1, func.min(old.province_code)),
                    else_=literal(None),
                ).label("legacy_province"),
                case(
                    (
                        and_(func.count(distinct(m.legacy_code)) == 1, func.min(m.legacy_level) == "commune"),
                        func.min(m.legacy_code),
                    ),
                    else_=literal(None),
                ).label("legacy_commune"),
            )
            .join(old, and_(old.scheme == "legacy", old.level == m.legacy_level, old.code == m.legacy_code))
            .where(m.new_level == "commune")
            .group_by(m.new_code)
        )


def visible_to(area: AreaScope) -> ColumnElement[bool]:
    """Queue items a caller sees: its province's, or those offering one of its communes as a candidate."""
    clauses: list[ColumnElement[bool]] = []
    if area.provinces:
        clauses.append(UnitResolution.province_code.in_(sorted(area.provinces)))
    if area.communes:
        clauses.append(UnitResolution.candidate_codes.overlap(sorted(area.communes)))
    if not clauses:
        return false()
    return or_(*clauses)


class UnitResolutionRepository(RepositoryBase[UnitResolution]):
    model = UnitResolution

    async def get_visible(self, id_: uuid.UUID, area: AreaScope) -> UnitResolution | None:
        stmt = select(UnitResolution).where(UnitResolution.id == id_, visible_to(area))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def visible(self, area: AreaScope, *, status: str | None) -> Select[Any]:
        stmt = select(UnitResolution).where(visible_to(area))
        if status is not None:
            stmt = stmt.where(UnitResolution.status == status)
        return stmt

    async def list_items(
        self, params: PageParams, *, area: AreaScope, status: str | None
    ) -> tuple[list[UnitResolution], str | None]:
        return await self.paginate(self.visible(area, status=status), params)

    def area_rows(self, area: AreaScope, *, status: str | None) -> Select[str, str | None, str | None]:
        """The visible items as the (province_code, commune_code, legacy_area_code) rows a roll-up counts."""
        stmt = select(
            UnitResolution.province_code, UnitResolution.commune_code, UnitResolution.legacy_area_code
        ).where(visible_to(area))
        if status is not None:
            stmt = stmt.where(UnitResolution.status == status)
        return stmt

    async def save(self, item: UnitResolution) -> UnitResolution:
        """Add (if new) and flush: a record queued twice is a 409 here, a stale version a 412."""
        self.session.add(item)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if RESOLUTION_SOURCE_UNIQUE in str(exc.orig):
                raise UnitResolutionExists(
                    f"{item.source_service} {item.resource_type} {item.resource_id} is already queued."
                ) from exc
            raise
        return item
