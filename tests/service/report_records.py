"""Records written straight into the database, with only the fields a report test cares about."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from schemas.tables import InboundMessage, Record, Reporter, Survivor

_IDS = count(1)


def reporter(session: Session) -> Reporter:
    n = next(_IDS)
    who = Reporter(
        phone=f"+88017119{n:05d}",
        name=f"R{n}",
        role="coordinator",
        union="Nalta",
        upazila="Kaliganj",
        created_at=datetime.now(UTC),
    )
    session.add(who)
    session.flush()
    return who


def survivor(session: Session, day: date) -> Survivor:
    n = next(_IDS)
    s = Survivor(
        code=f"{100000 + n}",
        sex="F",
        age=30,
        is_child=False,
        upazila="Kaliganj",
        union="Nalta",
        enrolled_on=day,
        created_at=datetime.now(UTC),
    )
    session.add(s)
    session.flush()
    return s


def record(session: Session, who: Reporter, keyword: str, day: date, **fields: Any) -> Record:
    """One active record (and the inbound message it came from) dated `day`."""
    n = next(_IDS)
    at = datetime.combine(day, datetime.min.time(), UTC)
    msg = InboundMessage(
        channel="sms",
        provider="cli",
        provider_id=f"rr-{n}",
        text=keyword,
        provider_time=at,
        stored_at=at,
        status="accepted",
        reporter_id=who.id,
    )
    session.add(msg)
    session.flush()
    fields.setdefault("upazila", "Kaliganj")
    fields.setdefault("union", "Nalta")
    rec = Record(
        inbound_id=msg.id,
        reporter_id=who.id,
        channel="sms",
        keyword=keyword,
        status="active",
        activity_date=day,
        received_at=at,
        created_at=at,
        **fields,
    )
    session.add(rec)
    session.flush()
    return rec
