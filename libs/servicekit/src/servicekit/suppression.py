"""Small-cell suppression for aggregates published outside the province's own staff (partners).

A count of 1 or 2 households of a kind in one commune points at identifiable families: neighbours know
who was supported, who is poor, whose house is temporary. Published tables therefore never show a count
between 1 and `threshold - 1`: the cell is `null` with a flag (primary suppression). Zero is shown: it
says that nobody is in the cell, which names no one.

The total of a series can be had elsewhere (the same figures at province level), so one hidden cell
could be recovered by subtraction. Secondary suppression hides more of a series' smallest visible cells
until at least two cells are hidden and together they hold at least `threshold` (or nothing visible is
left), so no single hidden cell can be derived from the total and the visible cells.
"""

from __future__ import annotations

from collections.abc import Sequence


def suppress(counts: Sequence[int], threshold: int, *, complementary: bool = True) -> list[int | None]:
    """The counts with small cells replaced by None; with `complementary`, hidden cells protected from
    recovery by subtraction from the series' total (see the module docstring)."""
    shown: list[int | None] = [None if 0 < c < threshold else c for c in counts]
    if not complementary:
        return shown
    while True:
        hidden = [counts[i] for i, v in enumerate(shown) if v is None]
        if not hidden or (len(hidden) >= 2 and sum(hidden) >= threshold):
            return shown
        visible = [(c, i) for i, c in enumerate(shown) if c is not None and c > 0]
        if not visible:
            return shown
        _, smallest = min(visible)
        shown[smallest] = None
