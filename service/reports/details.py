"""What the narrative may claim beyond counts: kinds of emergency support, training topics."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, distinct, func, literal, select
from sqlalchemy.orm import Session

from schemas.tables import Record

# In the seed's order ("Health, trauma, counselling, and shelter").
EMERGENCY_KINDS = ("HEALTH", "TRAUMA", "COUNSEL", "SHELTER")
TOPIC_LIMIT = 12  # a report names at most this many distinct topic texts per scope


def _grouped(query: Any, group: ColumnElement[Any] | None) -> Any:
    if group is None:
        return query
    return query.add_columns(group.label("grp")).group_by(group)


def add_details(
    session: Session,
    where: list[ColumnElement[bool]],
    group: ColumnElement[Any] | None,
    out: dict[Any, dict[str, Any]],
) -> None:
    """Fill survivors.emergency_kinds (distinct survivors per kind) and events.TRN.topics."""
    # Kinds are stored space-separated ("HEALTH TRAUMA"): padded, each is one LIKE away.
    padded = literal(" ") + Record.kinds + literal(" ")
    cols = [
        func.count(distinct(case((padded.like(f"% {kind} %"), Record.survivor_id)))).label(
            kind.lower()
        )
        for kind in EMERGENCY_KINDS
    ]
    q = select(*cols).where(*where, Record.keyword == "EMG")
    for row in session.execute(_grouped(q, group)):
        key = row.grp if group is not None else None
        if key not in out and not any(getattr(row, k.lower()) for k in EMERGENCY_KINDS):
            continue  # an empty group gets no entry it would not have had anyway
        kinds = out[key]["survivors"]["emergency_kinds"]
        for kind in EMERGENCY_KINDS:
            kinds[kind] = int(getattr(row, kind.lower()))
    # Topics in the order they were first held; the same text typed twice is named once.
    tq = (
        select(
            Record.topic,
            func.min(Record.activity_date).label("first"),
            func.min(Record.id).label("first_id"),
        )
        .where(*where, Record.keyword == "TRN", Record.topic.is_not(None))
        .group_by(Record.topic)
    )
    if group is not None:
        tq = tq.add_columns(group.label("grp")).group_by(group)
    rows = sorted(session.execute(tq), key=lambda r: (r.first, r.first_id))
    for row in rows:
        key = row.grp if group is not None else None
        topic = " ".join(str(row.topic).split())
        topics = out[key]["events"]["TRN"]["topics"]
        if (
            topic
            and topic.casefold() not in {t.casefold() for t in topics}
            and len(topics) < TOPIC_LIMIT
        ):
            topics.append(topic)


# -- what a period's indicators carry, read by the narrative in both languages --------------

Count = int | str  # a str only in public mode ("<11")


def present(n: Count) -> bool:
    return n != 0


def emergency_kinds(surv: dict[str, Any]) -> list[str]:
    kinds = surv.get("emergency_kinds", {})
    return [k for k in EMERGENCY_KINDS if present(kinds.get(k, 0))]


def audience(event: dict[str, Any]) -> list[str]:
    return [name for name, n in event.get("audience", {}).items() if present(n)]


def men_and_women(day: dict[str, Any]) -> bool:
    gender = day.get("gender", {})
    return bool(gender.get("M")) and bool(gender.get("F"))


def topics(event: dict[str, Any]) -> list[str]:
    return list(event.get("topics", []))
