"""The allocation arithmetic without the database: quota rounding, priority order, seeded lottery."""

from __future__ import annotations

import hashlib
import hmac
import random
import uuid
from datetime import date

import pytest

from registry_api.allocation.draw import Candidate, draw, lottery_key, priority_quota, seed_digest


@pytest.mark.parametrize(
    ("units", "priority", "dossiers", "quota"),
    [
        (4, 3, 7, 1),  # 12 / 7 = 1.71 -> 1
        (5, 1, 6, 0),  # 5 / 6 = 0.83 -> 0: a fraction of a unit is never given
        (100, 25, 400, 6),  # 6.25 -> 6
        (12, 4, 12, 4),  # exact
        (20, 3, 5, 3),  # more units than dossiers: never more than the priority dossiers
        (10, 0, 8, 0),
        (10, 0, 0, 0),
    ],
)
def test_priority_quota_is_rounded_down(units: int, priority: int, dossiers: int, quota: int) -> None:
    assert priority_quota(units, priority, dossiers) == quota


def _candidates(n: int, priorities: dict[int, tuple[str, int]]) -> list[Candidate]:
    found = []
    for i in range(n):
        priority, rank = priorities.get(i, (None, None))
        found.append(Candidate(uuid.UUID(int=i + 1), date(2026, 3, 1 + i), priority, rank))
    return found


def test_priority_dossiers_fill_the_quota_by_submission_time() -> None:
    # 10 dossiers, 3 with a priority, 7 units: quota 7 x 3 / 10 = 2.1 -> 2.
    candidates = _candidates(10, {8: ("merit", 1), 2: ("women", 5), 5: ("martyr_relative", 2)})
    quota, result = draw(candidates, 7, seed_digest("XSMB 20/04/2026: 48213"))
    assert quota == 2
    # Earliest submissions first, whatever the priority rank: #2 (women) then #5 (martyr relative).
    assert [(e["application_id"], e["via"]) for e in result[:2]] == [
        (str(uuid.UUID(int=3)), "priority"),
        (str(uuid.UUID(int=6)), "priority"),
    ]
    # The third priority dossier (merit, submitted last) joins the lottery with everyone else.
    lottery = result[2:]
    assert {e["via"] for e in lottery} == {"lottery"}
    assert str(uuid.UUID(int=9)) in {e["application_id"] for e in lottery}
    assert [e["lottery_key"] for e in lottery] == sorted(e["lottery_key"] for e in lottery)
    assert [e["place"] for e in result] == list(range(1, 11))
    assert sum(e["won"] for e in result) == 7
    assert all(e["won"] == (e["place"] <= 7) for e in result)


def test_the_draw_replays_from_its_seed() -> None:
    candidates = _candidates(30, {0: ("merit", 1), 7: ("women", 5)})
    seed = seed_digest("XSMB 20/04/2026: 48213")
    assert seed == hashlib.sha256(b"XSMB 20/04/2026: 48213").hexdigest()
    first = draw(candidates, 12, seed)
    shuffled = list(candidates)
    random.Random(4).shuffle(shuffled)
    assert draw(shuffled, 12, seed) == first  # the input order does not matter
    other = draw(candidates, 12, seed_digest("XSMB 21/04/2026: 90411"))
    assert [e["application_id"] for e in other[1]] != [e["application_id"] for e in first[1]]
    # Anyone can check a key: HMAC-SHA256 keyed by the seed over the application id.
    entry = first[1][-1]
    expected = hmac.new(bytes.fromhex(seed), entry["application_id"].encode(), hashlib.sha256).hexdigest()
    assert entry["lottery_key"] == expected == lottery_key(seed, uuid.UUID(entry["application_id"]))
