"""Who is calling: roles, scopes and the areas they cover (no web framework needed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from servicekit.areas import AreaScope

ACTING_SUBJECT_HEADER = "X-Acting-Subject"


class Role(StrEnum):
    PROVINCE_OFFICER = "province_officer"
    COMMUNE_OFFICER = "commune_officer"
    FINANCE_OFFICER = "finance_officer"
    INSPECTOR = "inspector"
    BANK_INTEGRATION = "bank_integration"
    PARTNER = "partner"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class Principal:
    """A person, a partner or bank system, or another NOXH service."""

    subject: str
    client_id: str
    roles: frozenset[str]
    scopes: frozenset[str]
    area: AreaScope
    name: str | None = None
    # Set when a service calls on behalf of a person; the audit trail records both.
    acting_subject: str | None = None
    claims: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_service(self) -> bool:
        return Role.SERVICE in self.roles

    def has_any_role(self, roles: Iterable[str]) -> bool:
        return not self.roles.isdisjoint(roles)

    def covers(self, province_code: str | None, commune_code: str | None) -> bool:
        return self.area.covers(province_code, commune_code)


def _str_set(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    return frozenset()


def principal_from_claims(claims: dict[str, Any], *, acting_subject: str | None = None) -> Principal:
    roles = _str_set(claims.get("roles"))
    return Principal(
        subject=str(claims["sub"]),
        client_id=str(claims.get("azp") or claims.get("client_id") or ""),
        roles=roles,
        scopes=_str_set(claims.get("scope")),
        area=AreaScope.from_codes(_str_set(claims.get("area_codes"))),
        name=claims.get("name"),
        # Only another NOXH service may say on whose behalf it acts.
        acting_subject=acting_subject if Role.SERVICE in roles else None,
        claims=claims,
    )
