"""Integrity signals for inspection (contracts.md; docs/rules/integrity-signals.md): what the only-once,
one-project and resale rules say should not happen, found in the registry's data."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.application.repository import ReferenceRepository
from registry_api.application.service import OWNERSHIP_HISTORY_KINDS
from registry_api.integrity.repository import SignalRepository
from registry_api.integrity.schemas import SignalKind
from registry_api.models import RuleKind
from registry_api.person.service import local_today
from servicekit.pagination import PageParams, decode_cursor, encode_cursor
from servicekit.principal import Principal

CURSOR_KEYS = ["integrity_signal.key"]
DEFAULT_SUPPORT_OUTCOMES = ["in_progress", "accepted"]


class IntegrityService:
    async def list_signals(
        self, session: AsyncSession, caller: Principal, kind: SignalKind | None, params: PageParams
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One keyset page of the caller's area, by key. Which supports count for `supported_twice` is
        read from the never-supported and never-bought rules in force today."""
        after = str(decode_cursor(CURSOR_KEYS, params.cursor)[0]) if params.cursor else None
        rules = await ReferenceRepository(session).rules_on(local_today())
        outcomes, bought, only_once, one_project = DEFAULT_SUPPORT_OUTCOMES, OWNERSHIP_HISTORY_KINDS, [], []
        for rule in rules:
            if rule.kind == RuleKind.NEVER_SUPPORTED.value:
                outcomes = list(rule.params.get("outcomes", outcomes))
                only_once.append(rule.code)
            elif rule.kind == RuleKind.NEVER_BOUGHT.value:
                bought = list(rule.params.get("history_kinds", bought))
                only_once.append(rule.code)
            elif rule.kind == RuleKind.ONE_PROJECT.value:
                one_project.append(rule.code)
        kinds = [kind.value] if kind else [k.value for k in SignalKind]
        rows = await SignalRepository(session).page(
            caller.area,
            kinds,
            after=after,
            limit=params.limit + 1,
            support_outcomes=outcomes,
            bought_kinds=bought,
            only_once_codes=only_once,
            one_project_codes=one_project,
        )
        next_cursor = None
        if len(rows) > params.limit:
            rows = rows[: params.limit]
            next_cursor = encode_cursor(CURSOR_KEYS, (rows[-1]["key"],))
        return rows, next_cursor


integrity_service = IntegrityService()
