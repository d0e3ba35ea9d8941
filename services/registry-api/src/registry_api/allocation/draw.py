"""The allocation arithmetic, free of the database: priority quota, then a lottery reproducible from
the published seed (D100 Art. 38(2); docs/rules/allocation-and-contracts.md)."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any


def seed_digest(published_value: str) -> str:
    """The round's seed: SHA-256 (hex) of the published value, recorded before the draw."""
    return hashlib.sha256(published_value.encode("utf-8")).hexdigest()


def lottery_key(seed_sha256: str, application_id: uuid.UUID) -> str:
    """HMAC-SHA256(seed, application id) in hex: the lottery order is ascending by this key."""
    return hmac.new(bytes.fromhex(seed_sha256), str(application_id).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Candidate:
    application_id: uuid.UUID
    submitted_on: date
    priority: str | None  # the single highest priority held, or None
    priority_rank: int | None  # its place in the rule's order (1 = highest)


def priority_quota(units: int, priority_dossiers: int, all_dossiers: int) -> int:
    """units x priority / all, rounded down (integer floor): a fraction of a unit is never given."""
    if all_dossiers == 0:
        return 0
    return min(units * priority_dossiers // all_dossiers, priority_dossiers)


def draw(candidates: list[Candidate], units: int, seed_sha256: str) -> tuple[int, list[dict[str, Any]]]:
    """The quota and the full ordered result: the priority dossiers within the quota by submission
    time (then priority rank, then id), then every other dossier in lottery order; the first `units`
    places win."""
    priority = [c for c in candidates if c.priority is not None]
    quota = priority_quota(units, len(priority), len(candidates))
    by_time = sorted(priority, key=lambda c: (c.submitted_on, c.priority_rank or 0, str(c.application_id)))
    chosen = by_time[:quota]
    chosen_ids = {c.application_id for c in chosen}
    rest = [c for c in candidates if c.application_id not in chosen_ids]
    keyed = sorted(((lottery_key(seed_sha256, c.application_id), c) for c in rest), key=lambda kc: kc[0])
    result: list[dict[str, Any]] = []
    for c in chosen:
        result.append(
            {
                "application_id": str(c.application_id),
                "via": "priority",
                "priority": c.priority,
                "lottery_key": None,
            }
        )
    for key, c in keyed:
        result.append(
            {
                "application_id": str(c.application_id),
                "via": "lottery",
                "priority": c.priority,
                "lottery_key": key,
            }
        )
    for place, entry in enumerate(result, start=1):
        entry["place"] = place
        entry["won"] = place <= units
    return quota, result
