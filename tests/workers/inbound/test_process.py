"""A batch gives exactly what the exact path gives processing its messages one at a time, in
far fewer statements: records, statuses, replies and audit entries compared row by row."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, text

from schemas.codes import new_code
from schemas.envelope import InboundEnvelope
from schemas.tables import (
    AuditEntry,
    Base,
    InboundMessage,
    OutboundMessage,
    Record,
    Reporter,
    Survivor,
)
from workers.db import get_engine, session_scope
from workers.inbound.decide import process_exactly
from workers.inbound.facts import Facts
from workers.inbound.jobs import process_inbound
from workers.inbound.process import drain_batch
from workers.inbound.store import store_inbound

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
COUNSELLOR = "+8801712345678"
ACTIVIST = "+8801712345679"
COORDINATOR = "+8801712345670"
RETIRED = "+8801712345671"
STRANGER = "+8801799999999"
SEED = 7


@pytest.fixture
def local(settings, monkeypatch):  # type: ignore[no-untyped-def]
    """In-process jobs, and survivor codes from a seeded generator so both runs draw alike."""
    import workers.apply as apply

    monkeypatch.setattr(apply.random, "SystemRandom", lambda: random.Random(SEED))
    return settings.with_(redis_url=None)


def first_code() -> str:
    return new_code(random.Random(SEED), lambda _code: False)


def scenario() -> list[tuple[str, str, timedelta]]:
    """(sender, text, after NOW): every rule a batch must keep, several times over."""
    code = first_code()
    minute = timedelta(minutes=1)
    return [
        (COUNSELLOR, "MEET 17 M10 F7", 0 * minute),
        (ACTIVIST, "SCH 40", 0 * minute),
        (COUNSELLOR, "meet 17  m10 f7", 1 * minute),  # the same text again: a duplicate
        (COUNSELLOR, "ENR F 24", 1 * minute),
        (COUNSELLOR, f"IC {code}", 2 * minute),  # the survivor enrolled just before
        (COUNSELLOR, "UNDO 2", 2 * minute),  # the SCH record, not the sender's own
        (COORDINATOR, "UNDO 2", 2 * minute),  # a coordinator may
        (ACTIVIST, "CC 20", 3 * minute),  # not an activist's keyword
        (ACTIVIST, "WHO", 3 * minute),
        (ACTIVIST, "HELP", 3 * minute),
        (ACTIVIST, "XYZ 12", 3 * minute),  # a mistake
        (STRANGER, "MEET 5", 3 * minute),
        (STRANGER, "MEET 6", 4 * minute),  # told once a day only
        (RETIRED, "MEET 5", 4 * minute),
        (ACTIVIST, "LANG BN", 4 * minute),
        (ACTIVIST, "MEET 30", 4 * minute),  # answered in Bangla
        (COUNSELLOR, "MEET 17 M10 F7", 5 * minute),  # a copy of a copy
        (ACTIVIST, "MEET 17 M10 F7", 5 * minute),  # same text, another sender
        (COUNSELLOR, "MEET 17 M10 F7", 30 * minute),  # outside the ten minutes
        (ACTIVIST, "WHO", 31 * minute),  # asking again deserves an answer
        (COUNSELLOR, "MEET 8", 32 * minute),
        (ACTIVIST, "MEET 9", 32 * minute),
    ]


def seed(settings) -> None:  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        for phone, role, active in (
            (COUNSELLOR, "counsellor", True),
            (ACTIVIST, "activist", True),
            (COORDINATOR, "coordinator", True),
            (RETIRED, "activist", False),
        ):
            s.add(
                Reporter(
                    phone=phone,
                    name="R",
                    role=role,
                    union="Anulia",
                    upazila="Assasuni",
                    language="en",
                    active=active,
                    created_at=NOW,
                )
            )


def store_all(settings, messages, prefix="m") -> list[int]:  # type: ignore[no-untyped-def]
    ids = []
    with session_scope(settings) as s:
        for n, (sender, body, after) in enumerate(messages):
            message, _ = store_inbound(
                s,
                settings,
                InboundEnvelope(
                    channel="sms",
                    provider="at",
                    provider_id=f"{prefix}{n}",
                    sender=sender,
                    text=body,
                    provider_time=NOW + after,
                ),
            )
            ids.append(message.id)
    return ids


def snapshot(settings) -> dict[str, list[tuple[Any, ...]]]:  # type: ignore[no-untyped-def]
    """Everything processing writes, without clocks (and without sending: one run sends)."""
    with session_scope(settings) as s:
        return {
            "inbound": [
                (m.id, m.status, m.reason, m.record_id, m.reporter_id, m.processed_at is not None)
                for m in s.scalars(select(InboundMessage).order_by(InboundMessage.id))
            ],
            "records": [
                (r.id, r.inbound_id, r.keyword, r.status, r.total, r.survivor_id, r.cancelled_by)
                for r in s.scalars(select(Record).order_by(Record.id))
            ],
            "replies": [
                (o.id, o.inbound_id, o.to, o.text, o.kind)
                for o in s.scalars(select(OutboundMessage).order_by(OutboundMessage.id))
            ],
            "audit": [
                (a.id, a.actor, a.action, a.entity, a.entity_id, a.inbound_id, a.detail)
                for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
            ],
            "survivors": [
                (v.id, v.code, v.active) for v in s.scalars(select(Survivor).order_by(Survivor.id))
            ],
            "reporters": [
                (r.id, r.language) for r in s.scalars(select(Reporter).order_by(Reporter.id))
            ],
        }


def empty(settings) -> None:  # type: ignore[no-untyped-def]
    tables = Base.metadata.sorted_tables
    with get_engine(settings.database_url).begin() as conn:
        if settings.is_sqlite:
            for table in reversed(tables):
                conn.execute(table.delete())  # rowids start again at 1 on an empty table
        else:
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def one_at_a_time(settings, ids) -> None:  # type: ignore[no-untyped-def]
    """The reference: each message alone by the exact path, in its own transaction, every
    fact looked up for it alone (nothing pre-read for a batch, nothing decided from memory)."""
    for message_id in ids:
        with session_scope(settings) as s:
            message = s.get(InboundMessage, message_id)
            assert message is not None and message.status == "received"
            reporter = s.scalar(select(Reporter).where(Reporter.phone == message.sender))
            has_record = s.scalar(select(Record.id).where(Record.inbound_id == message_id))
            has_reply = s.scalar(
                select(OutboundMessage.id).where(OutboundMessage.inbound_id == message_id)
            )
            facts = Facts(reporter, has_record is not None, has_reply is not None)
            process_exactly(s, settings, message, facts, reply_by_sms=True)


def run_both(settings, messages, earlier=()) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """The same messages processed one by one, then (on an emptied database) as one batch."""
    results = []
    for batched in (False, True):
        empty(settings)
        seed(settings)
        process_inbound(*store_all(settings, earlier, "e"), settings=settings)
        ids = store_all(settings, messages)
        if batched:
            claimed, outbound = drain_batch(settings)
            assert claimed == ids
            with session_scope(settings) as s:
                assert outbound == list(
                    s.scalars(
                        select(OutboundMessage.id)
                        .where(OutboundMessage.inbound_id.in_(ids))
                        .order_by(OutboundMessage.id)
                    )
                )
        else:
            one_at_a_time(settings, ids)
        results.append(snapshot(settings))
    return results[0], results[1]


def test_a_batch_writes_what_one_message_at_a_time_writes(local) -> None:  # type: ignore[no-untyped-def]
    one_by_one, batch = run_both(local, scenario())
    assert batch == one_by_one
    statuses = {row[1] for row in batch["inbound"]}
    assert statuses == {"accepted", "rejected", "duplicate", "ignored"}
    assert any(r[2] == "IC" for r in batch["records"])  # the code enrolled in the same batch
    assert any(r[3] == "cancelled" for r in batch["records"])  # undone in the same batch


def test_a_batch_sees_copies_committed_before_it(local) -> None:  # type: ignore[no-untyped-def]
    earlier = [(COUNSELLOR, "MEET 17 M10 F7", timedelta(0)), (ACTIVIST, "XYZ 1", timedelta(0))]
    later = [
        (ACTIVIST, "xyz 1", timedelta(minutes=2)),
        (COUNSELLOR, "MEET 17 M10 F7", timedelta(minutes=9)),
        (COUNSELLOR, "MEET 17 M10 F7", timedelta(minutes=11)),
        (ACTIVIST, "SCH 3", timedelta(minutes=11)),
    ]
    one_by_one, batch = run_both(local, later, earlier)
    assert batch == one_by_one
    assert [row[1] for row in batch["inbound"][2:]] == [
        "rejected",  # its first copy was rejected: read again, rejected again
        "duplicate",
        "duplicate",
        "accepted",
    ]


def test_every_message_of_a_full_batch_in_a_handful_of_statements(local) -> None:  # type: ignore[no-untyped-def]
    seed(local)
    messages = [(COUNSELLOR, f"MEET {n}", timedelta(seconds=n)) for n in range(1, 51)]
    messages += [(ACTIVIST, f"SCH {n}", timedelta(seconds=n)) for n in range(1, 51)]
    store_all(local, messages)
    statements: list[str] = []
    engine = get_engine(local.database_url)

    def counted(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", counted)
    try:
        claimed, outbound = drain_batch(local)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    assert len(claimed) == 100 and len(outbound) == 100
    # Reads: claim, reporters, locks, duplicate candidates, records and replies already there,
    # and the senders' replies of the last hour (hourly limit, reply-loop guard).
    reads = [st for st in statements if st.lstrip().upper().startswith("SELECT")]
    assert len(reads) <= 7, reads
    if not local.is_sqlite:
        # Writes: records, audit entries, replies and statuses, one statement each
        # (insertmanyvalues; SQLite's driver runs in-process, one INSERT per row is cheap).
        assert len(statements) <= 13, statements
    with session_scope(local) as s:
        numbers = list(s.scalars(select(Record.inbound_id).order_by(Record.id)))
    assert numbers == sorted(numbers) and len(numbers) == 100


def test_a_batch_redoing_processed_messages_writes_nothing_new(local) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    seed(local)
    code = first_code()
    ids = store_all(
        local,
        [
            (COUNSELLOR, "MEET 17 M10 F7", timedelta(0)),
            (COUNSELLOR, "ENR F 24", timedelta(0)),
            (COUNSELLOR, f"IC {code}", timedelta(minutes=1)),
            (ACTIVIST, "XYZ 12", timedelta(0)),
            (STRANGER, "MEET 5", timedelta(0)),
        ],
    )
    process_inbound(*ids, settings=local)
    before = snapshot(local)
    with session_scope(local) as s:  # as if every one of them had never been marked
        s.execute(update(InboundMessage).values(status="received"))
    claimed, outbound = drain_batch(local)
    assert claimed == ids
    # The replies already stored are named again (sending skips a sent one), none is added;
    # the stranger was told within the day, so nothing is named for it.
    assert outbound == [reply[0] for reply in before["replies"]][:4]
    after = snapshot(local)
    assert after["records"] == before["records"] and after["replies"] == before["replies"]
    assert [m[1:4] for m in after["inbound"]] == [m[1:4] for m in before["inbound"]]
