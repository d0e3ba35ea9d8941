"""Small-cell suppression: primary (1 to threshold - 1 hidden) and complementary (a hidden cell cannot
be recovered from the series' total and its visible cells)."""

from __future__ import annotations

import pytest

from servicekit.suppression import suppress


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([], []),
        ([0, 5, 12], [0, 5, 12]),  # zero names no one; nothing to protect
        ([3, 2, 6], [None, None, 6]),  # two hidden cells, together 5: enough
        ([1, 6], [None, None]),  # the total (7) minus 6 would give the 1 away
        ([1, 1, 9, 7], [None, None, 9, None]),  # 1 + 1 < 5: the next smallest (7) is hidden too
        ([4], [None]),  # nothing visible is left to hide
        ([0, 1, 0], [0, None, 0]),  # zeros are never hidden to protect a cell
        ([5, 5, 5], [5, 5, 5]),
    ],
)
def test_complementary_suppression(counts: list[int], shown: list[int | None]) -> None:
    assert suppress(counts, 5) == shown


def test_primary_only_and_other_thresholds() -> None:
    assert suppress([1, 6], 5, complementary=False) == [None, 6]
    assert suppress([2, 3, 10], 3) == [None, None, 10]
    assert suppress([2, 10], 3) == [None, None]
