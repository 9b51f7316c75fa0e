"""The privacy floor: no survivor count from 1 to 10 is shown, and none can be worked out."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.periods import Period
from service.reports.indicators import empty_indicators
from service.reports.privacy import (
    HIDDEN,
    SUPPRESSED,
    public_indicators,
    suppress_group,
    suppress_table,
)

counts = st.one_of(st.integers(0, 12), st.integers(0, 60))


def _range(cell: object, top: int) -> range:
    """What a reader may assume about one shown cell."""
    if cell == HIDDEN:
        return range(1, 11)
    if cell == SUPPRESSED:
        return range(0, top + 1)
    assert isinstance(cell, int)
    return range(cell, cell + 1)


def feasible_values(shown: list[object], total: object, top: int) -> dict[int, set[int]]:
    """For each hidden cell, every value it can take given all that is published.

    Worked out by brute force over reachable sums (independent of the suppression code).
    """
    hidden = [i for i, c in enumerate(shown) if isinstance(c, str)]
    totals = set(_range(total, top))
    out: dict[int, set[int]] = {}
    for i in hidden:
        sums = {0}
        for j, cell in enumerate(shown):
            if j != i:
                sums = {s + v for s in sums for v in _range(cell, top) if s + v <= top}
        out[i] = {v for v in _range(shown[i], top) if any(v + s in totals for s in sums)}
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(counts, min_size=1, max_size=6))
def test_group_never_shows_small_counts_and_cannot_be_back_solved(cells: list[int]) -> None:
    total = sum(cells)
    shown, shown_total = suppress_group(cells, total)
    for value in [*shown, shown_total]:
        assert not (isinstance(value, int) and 1 <= value <= 10)
    # What is shown is true: exact cells equal the data, hidden ones hide a real count.
    for real, cell in zip(cells, shown, strict=True):
        assert cell in (real, SUPPRESSED) or (cell == HIDDEN and 1 <= real <= 10)
    top = max(total, 10)
    for i, values in feasible_values(shown, shown_total, top).items():
        assert cells[i] in values
        assert len(values) >= 2, (cells, shown, shown_total, i, values)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(counts, counts), min_size=1, max_size=7))
def test_tables_are_suppressed_column_by_column(rows: list[tuple[int, int]]) -> None:
    table = [{"survivors.enrolled": a, "events.MEET.count": b} for a, b in rows]
    totals = {
        "survivors.enrolled": sum(a for a, _ in rows),
        "events.MEET.count": sum(b for _, b in rows),
    }
    shown_rows, shown_totals = suppress_table(table, totals)
    column = [r["survivors.enrolled"] for r in shown_rows]
    assert all(not (isinstance(v, int) and 1 <= v <= 10) for v in column)
    # Event counts are not survivor data: shown as they are.
    assert [r["events.MEET.count"] for r in shown_rows] == [b for _, b in rows]
    assert shown_totals["events.MEET.count"] == totals["events.MEET.count"]


@settings(max_examples=100, deadline=None)
@given(st.lists(counts, min_size=15, max_size=15))
def test_public_indicators_hide_every_small_survivor_count(values: list[int]) -> None:
    ind = empty_indicators(Period(date(2021, 1, 1), date(2021, 12, 31)))
    surv = ind["survivors"]
    flat_keys = [k for k in surv if not isinstance(surv[k], dict)]
    for key, value in zip(flat_keys, values, strict=False):
        surv[key] = value
    surv["referred"] = dict(zip(surv["referred"], values[9:13], strict=True))
    surv["partner_support"] = {"PRAN": values[13]}
    ind["events"]["MEET"]["count"] = 3
    public = public_indicators(ind)
    shown = [v for v in public["survivors"].values() if not isinstance(v, dict)]
    shown += [v for d in public["survivors"].values() if isinstance(d, dict) for v in d.values()]
    assert not [v for v in shown if isinstance(v, int) and 1 <= v <= 10]
    assert public["events"]["MEET"]["count"] == 3  # events unchanged


def test_a_single_hidden_cell_takes_a_second_one_with_it() -> None:
    shown, total = suppress_group([5, 40, 30], 75)
    assert shown == [HIDDEN, 40, SUPPRESSED] and total == 75


def test_two_ones_against_a_known_total_are_protected() -> None:
    shown, total = suppress_group([1, 1, 30], 32)
    assert shown == [HIDDEN, HIDDEN, SUPPRESSED] and total == 32
