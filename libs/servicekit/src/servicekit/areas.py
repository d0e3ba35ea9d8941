"""Area scoping (decision 7): a row's province and commune codes checked against the caller's."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import InstrumentedAttribute

PROVINCE_CODE_LEN = 2
COMMUNE_CODE_LEN = 5


@dataclass(frozen=True, slots=True)
class AreaScope:
    """The units a caller covers: whole provinces (2-digit codes) and single communes (5-digit codes)."""

    provinces: frozenset[str]
    communes: frozenset[str]

    @classmethod
    def from_codes(cls, codes: frozenset[str] | set[str] | list[str]) -> AreaScope:
        return cls(
            provinces=frozenset(c for c in codes if len(c) == PROVINCE_CODE_LEN and c.isdigit()),
            communes=frozenset(c for c in codes if len(c) == COMMUNE_CODE_LEN and c.isdigit()),
        )

    @property
    def is_empty(self) -> bool:
        return not self.provinces and not self.communes

    def covers(self, province_code: str | None, commune_code: str | None) -> bool:
        if province_code is not None and province_code in self.provinces:
            return True
        return commune_code is not None and commune_code in self.communes

    def sql_filter(
        self, province_col: InstrumentedAttribute[str], commune_col: InstrumentedAttribute[str | None]
    ) -> ColumnElement[bool]:
        """The WHERE clause that keeps only rows this scope covers (nothing, for an empty scope)."""
        clauses: list[ColumnElement[bool]] = []
        if self.provinces:
            clauses.append(province_col.in_(sorted(self.provinces)))
        if self.communes:
            clauses.append(commune_col.in_(sorted(self.communes)))
        if not clauses:
            return false()
        return or_(*clauses) if len(clauses) > 1 else clauses[0]

    def province_filter(self, province_col: InstrumentedAttribute[str]) -> ColumnElement[bool]:
        """For province-level rows: only whole provinces count (a commune code names no province)."""
        return province_col.in_(sorted(self.provinces)) if self.provinces else false()


ALL_AREAS_FILTER = true()
