"""Distinct-survivor counts, family members and children for a period, in one database pass."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from schemas.report_bits import BITS, FAMILY, Path
from schemas.tables import Record


def _sum(col: Any) -> ColumnElement[Any]:
    return func.coalesce(func.sum(col), 0)


def _has(bit: int) -> ColumnElement[bool]:
    return Record.report_bits.op("&")(bit) != 0


def survivor_counts(
    session: Session, where: list[ColumnElement[bool]], group: ColumnElement[Any] | None
) -> Iterator[tuple[Any, dict[Path, int]]]:
    """(group value or None, {path: count}) including ("family_members_counselled",) and
    ("children",).

    The inner query folds each survivor's records of the period into flags (had an IC? a
    HEALTH referral? a child?) and their largest family session; the outer query adds them
    up. Grouping by the integer survivor id is far cheaper than a COUNT(DISTINCT) per
    keyword. Each record carries its flag as a bit of `report_bits`, computed when it was
    written (schemas/report_bits.py), so the pass reads one narrow index
    (ix_records_survivor_pass) and compares no strings. On PostgreSQL the bits are OR-ed per
    survivor (BIT_OR); SQLite has no BIT_OR and takes a MAX per flag, with the same result.
    """
    bitwise = session.get_bind().dialect.name == "postgresql"
    cols: list[Any] = [Record.survivor_id]
    if bitwise:
        cols.append(func.bit_or(Record.report_bits).label("mask"))
    else:
        cols += [
            func.max(case((_has(bit), 1), else_=0)).label(f"f{i}")
            for i, (_, bit) in enumerate(BITS)
        ]
    cols.append(func.max(case((_has(FAMILY), Record.members))).label("fam"))
    # Both conditions of the partial index ix_records_survivor_pass (Scope.where has the
    # status), so that the planner may read it.
    inner = select(*cols).where(*where, Record.survivor_id.is_not(None))
    inner = inner.group_by(Record.survivor_id)
    if group is not None:
        inner = inner.add_columns(group.label("grp")).group_by(group)
    per_survivor = inner.subquery()
    c = per_survivor.c
    grp = [c.grp.label("grp")] if group is not None else []
    if bitwise:
        # Survivors grouped by their mask: a few hundred combinations at most, whose counts
        # are then added to every flag their mask holds (no per-row CASE in the outer pass).
        outer = select(c.mask, func.count().label("n"), _sum(c.fam).label("fam"), *grp)
        outer = outer.group_by(c.mask, *([c.grp] if group is not None else []))
    else:
        outer = select(
            *[_sum(c[f"f{i}"]).label(f"f{i}") for i in range(len(BITS))],
            _sum(c.fam).label("fam"),
            *grp,
        )
        if group is not None:
            outer = outer.group_by(c.grp)
    found: dict[Any, dict[Path, int]] = {}
    for row in session.execute(outer):
        key = row.grp if group is not None else None
        if key not in found:
            found[key] = {path: 0 for path, _ in BITS} | {("family_members_counselled",): 0}
        counts = found[key]
        for i, (path, bit) in enumerate(BITS):
            if not bitwise:
                counts[path] += int(getattr(row, f"f{i}"))
            elif row.mask & bit:
                counts[path] += row.n
        counts[("family_members_counselled",)] += int(row.fam)
    yield from found.items()
