"""Privacy floor for shared tables: small survivor counts hidden, and totals that reveal them."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

K = 11  # the Counter Trafficking Data Collaborative's threshold: 1..K-1 are never shown
HIDDEN = f"<{K}"  # a count from 1 to 10
SUPPRESSED = "*"  # a larger count hidden only because a total would give a small one away
Cell = int | str


def _hide(n: int) -> Cell:
    return HIDDEN if 0 < n < K else n


def _bounds(cell: Cell, unknown_max: int) -> tuple[int, int]:
    """What a reader can know about a cell from what is shown."""
    if cell == HIDDEN:
        return 1, K - 1
    if cell == SUPPRESSED:
        # A secondary cell may hold anything (a zero row can be chosen when nothing else is).
        return 0, unknown_max
    assert isinstance(cell, int)
    return cell, cell


def solvable(shown: Sequence[Cell], total: Cell, unknown_max: int) -> bool:
    """True if some hidden cell's value follows exactly from the others and the total.

    Each hidden cell lies in a box (1..10, or >= 11 for a secondary); the total pins their
    sum; a cell is exposed when the sum and the other boxes leave it a single value.
    """
    hidden = [i for i, c in enumerate(shown) if isinstance(c, str)]
    if not hidden:
        return False
    known = sum(c for c in shown if isinstance(c, int))
    t_lo, t_hi = _bounds(total, unknown_max)
    h_lo, h_hi = t_lo - known, t_hi - known
    boxes = [_bounds(shown[i], unknown_max) for i in hidden]
    lo_sum, hi_sum = sum(b[0] for b in boxes), sum(b[1] for b in boxes)
    for lo, hi in boxes:
        cell_lo = max(lo, h_lo - (hi_sum - hi))
        cell_hi = min(hi, h_hi - (lo_sum - lo))
        if cell_lo >= cell_hi:
            return True
    return False


def suppress_group(cells: Sequence[int], total: int) -> tuple[list[Cell], Cell]:
    """Cells that add up to `total`, made safe to publish: (shown cells, shown total).

    Counts 1..10 become `<11`; then, while a hidden cell could be worked out from the total,
    the smallest shown non-zero cell (else a zero cell) is suppressed as well.
    """
    shown: list[Cell] = [_hide(n) for n in cells]
    shown_total = _hide(total)
    unknown_max = max([total, *cells, K])
    while solvable(shown, shown_total, unknown_max):
        candidates = [i for i, c in enumerate(shown) if isinstance(c, int)]
        if not candidates:
            # Every cell is hidden already: the total is the only thing left to hide.
            shown_total = SUPPRESSED if shown_total != HIDDEN else HIDDEN
            break
        # Prefer the smallest non-zero cell: hiding a zero protects less.
        chosen = min(candidates, key=lambda i: (cells[i] == 0, cells[i]))
        shown[chosen] = SUPPRESSED
    return shown, shown_total


def public_indicators(ind: dict[str, Any]) -> dict[str, Any]:
    """A copy of an indicators object with every survivor count from 1 to 10 shown as `<11`.

    The survivor numbers are separate counts, not parts of a published total, so no
    secondary suppression is needed here; events and participants are not survivor data.
    """
    out = copy.deepcopy(ind)
    surv = out["survivors"]
    for key, value in surv.items():
        if isinstance(value, dict):
            surv[key] = {sub: _hide(n) for sub, n in value.items()}
        else:
            surv[key] = _hide(value)
    out["public"] = True
    return out


def is_survivor_key(flat_key: str) -> bool:
    return flat_key.startswith("survivors.")


def public_flat(flat: dict[str, int]) -> dict[str, Cell]:
    """Flattened indicators with survivor counts 1..10 hidden (separate counts: no totals)."""
    return {k: (_hide(v) if is_survivor_key(k) else v) for k, v in flat.items()}


def suppress_table(
    rows: list[dict[str, int]], totals: dict[str, int]
) -> tuple[list[dict[str, Cell]], dict[str, Cell]]:
    """A breakdown (rows that add up to `totals`) made public column by column."""
    out_rows: list[dict[str, Cell]] = [dict(r) for r in rows]
    out_totals: dict[str, Cell] = dict(totals)
    for key in totals:
        if not is_survivor_key(key):
            continue
        shown, shown_total = suppress_group([r.get(key, 0) for r in rows], totals[key])
        for row, cell in zip(out_rows, shown, strict=True):
            row[key] = cell
        out_totals[key] = shown_total
    return out_rows, out_totals
