"""The store: grouped commits (committed on return, stored once, handed on once per commit)
and the session store, which writes the very same rows."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from schemas.envelope import InboundEnvelope
from schemas.tables import InboundMessage
from tests.workers.test_queue import OwnRedis
from workers.db import get_engine, session_factory, session_scope
from workers.inbound import store
from workers.inbound.accept import accept
from workers.inbound.rows import inbound_values
from workers.inbound.store import Stored, Writer, store_grouped
from workers.settings import Settings

WHEN = datetime(2021, 3, 8, 10, 0, tzinfo=UTC)
DB_DOWN_URL = "postgresql+psycopg://postgres@127.0.0.1:1/unreachable"


def fields(pid: str, text: str = "MEET 17 M10 F7") -> dict[str, Any]:
    return {
        "channel": "sms",
        "provider": "at",
        "provider_id": pid,
        "sender": "01712345678",
        "text": text,
        "provider_time": WHEN,
        "to": "21212",
    }


def stored_count(settings: Settings) -> int:
    with session_factory(settings)() as other:  # a fresh session: only committed rows
        return other.scalar(select(func.count(InboundMessage.id))) or 0


def envelope(pid: str, text: str = "MEET 17 M10 F7") -> InboundEnvelope:
    return InboundEnvelope(**fields(pid, text))


class HandedOn:
    """A hand-on that keeps the ids it was given (instead of processing them)."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def __call__(self, _settings: Settings, message_id: int) -> None:
        self.ids.append(message_id)

    def store(self, settings: Settings, pid: str) -> Stored:
        return store_grouped(settings, envelope(pid), self)


@pytest.fixture
def handed_on() -> HandedOn:
    return HandedOn()


def test_a_stored_message_is_committed_and_new(settings, handed_on) -> None:  # type: ignore[no-untyped-def]
    stored = handed_on.store(settings, "a-1")
    assert stored.created and stored.status == "received"
    assert stored_count(settings) == 1
    assert handed_on.ids == [stored.id]
    # The connection held for the batch went back to the pool once nobody else was waiting.
    assert get_engine(settings.database_url).pool.checkedout() == 0


def test_a_repeat_is_not_new_and_a_processed_one_is_not_pushed_again(settings, handed_on) -> None:  # type: ignore[no-untyped-def]
    first = handed_on.store(settings, "a-2")
    again = handed_on.store(settings, "a-2")
    assert again == Stored(first.id, False, "received")
    with session_scope(settings) as s:
        s.get(InboundMessage, first.id).status = "accepted"
    done = handed_on.store(settings, "a-2")
    assert done == Stored(first.id, False, "accepted")
    assert handed_on.ids == [first.id, first.id]  # new, then never processed; not once accepted
    assert stored_count(settings) == 1


def test_concurrent_callers_each_stored_once(settings, handed_on) -> None:  # type: ignore[no-untyped-def]
    results: list[Stored] = []

    def post(pid: str) -> None:
        results.append(handed_on.store(settings, pid))

    pids = [f"c-{i % 10}" for i in range(30)]  # every id three times, all at once
    threads = [threading.Thread(target=post, args=(pid,)) for pid in pids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 30
    assert sum(r.created for r in results) == 10
    assert len({r.id for r in results}) == 10
    assert stored_count(settings) == 10


def test_a_batch_is_written_in_one_commit_and_woken_once(settings, handed_on) -> None:  # type: ignore[no-untyped-def]
    queued = settings.with_(redis_url="redis://127.0.0.1:6391/0")  # dispatch is faked
    rows = [inbound_values(queued, envelope(f"b-{i}")) for i in range(3)]
    writer = Writer(queued, handed_on)
    try:
        outcomes = writer.write(rows + [dict(rows[0])])
    finally:
        writer.release()
    assert [o.created for o in outcomes if isinstance(o, Stored)] == [True, True, True, False]
    assert outcomes[3].id == outcomes[0].id  # type: ignore[union-attr]
    assert handed_on.ids == [max(o.id for o in outcomes if isinstance(o, Stored))]


def test_a_row_the_database_refuses_fails_alone(settings, handed_on) -> None:  # type: ignore[no-untyped-def]
    rows = [inbound_values(settings, envelope(f"r-{i}")) for i in range(3)]
    rows[1]["provider_time"] = None  # NOT NULL
    writer = Writer(settings, handed_on)
    try:
        outcomes = writer.write(rows)
    finally:
        writer.release()
    assert isinstance(outcomes[0], Stored) and isinstance(outcomes[2], Stored)
    assert isinstance(outcomes[1], IntegrityError)
    assert stored_count(settings) == 2


def test_a_held_connection_that_died_is_replaced_once(settings, handed_on, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    writer = Writer(settings, handed_on)
    writer.write([inbound_values(settings, envelope("h-1"))])  # now holds a connection
    real = store.insert_rows
    failures = iter([OperationalError("INSERT", {}, Exception("server closed the connection"))])

    def dying(conn, rows):  # type: ignore[no-untyped-def]
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real(conn, rows)

    monkeypatch.setattr(store, "insert_rows", dying)
    try:
        outcomes = writer.write([inbound_values(settings, envelope("h-2"))])
    finally:
        writer.release()
    assert isinstance(outcomes[0], Stored) and outcomes[0].created
    assert stored_count(settings) == 2


def test_database_down_raises_for_the_caller(settings, handed_on) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OperationalError):
        handed_on.store(settings.with_(database_url=DB_DOWN_URL), "d-1")
    assert handed_on.ids == []


def test_without_redis_the_caller_processes_its_own_message(settings) -> None:  # type: ignore[no-untyped-def]
    local = settings.with_(redis_url=None)
    stored = accept(local, envelope("p-1", "HELP")).stored
    assert stored is not None
    with session_scope(local) as s:
        assert s.get(InboundMessage, stored.id).status != "received"


def test_a_message_stored_after_the_drain_cleared_its_flag_wakes_a_new_drain(settings) -> None:  # type: ignore[no-untyped-def]
    from workers.inbound.jobs import drain_inbound
    from workers.queue import clear_wake, queue_depth, redis_connection, wake_key

    redis = OwnRedis(6393)
    redis.start()
    try:
        s = settings.with_(redis_url=redis.url)
        accept(s, envelope("w-1"))
        assert queue_depth(s)["inbound"] == 1
        accept(s, envelope("w-2"))  # the pending drain will see it: no second job
        assert queue_depth(s)["inbound"] == 1
        clear_wake(s, drain_inbound)  # a drain started: it clears the flag, then selects
        accept(s, envelope("w-3"))  # committed after that: it must wake another drain
        assert queue_depth(s)["inbound"] == 2
        assert redis_connection(s.redis_url).exists(wake_key(drain_inbound))
    finally:
        redis.stop()


TRICKY = [
    {"text": "ঘটনা ১২ নারী ৫ 🙂", "extra": {"linkId": 'x"y\\z', "কী": "মান"}},
    {"text": "line\nbreak\ttab 'quote' \"dq\" back\\slash \x01\x7f", "extra": None},
    {"text": "NUL\x00inside", "sender": "Ashshash\x00Info", "extra": {"networkCode": "\x00"}},
    {"text": "", "sender": "x" * 60, "to": None, "extra": {}},
    {"text": None, "provider_time": datetime(2021, 3, 8, 16, 0, 0, 123456, tzinfo=UTC)},
]


def test_the_batch_store_writes_what_the_session_store_writes(settings, handed_on) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import Text, cast

    from workers.inbound.store import store_inbound

    cases = [dict(fields(f"t-{i}"), **case) for i, case in enumerate(TRICKY)]
    with session_scope(settings) as s:
        for case in cases:
            store_inbound(s, settings, InboundEnvelope(**dict(case, provider="ref")))
    writer = Writer(settings, handed_on)
    try:
        outcomes = writer.write(
            [inbound_values(settings, InboundEnvelope(**case)) for case in cases]
        )
    finally:
        writer.release()
    assert all(isinstance(o, Stored) and o.created for o in outcomes)
    table = InboundMessage.__table__
    shown = [c for c in table.c if c.name not in ("id", "provider", "stored_at")]
    columns = [cast(c, Text) if c.name == "extra" else c for c in shown]
    with get_engine(settings.database_url).connect() as conn:
        by_provider = {
            p: conn.execute(
                select(*columns).where(table.c.provider == p).order_by(table.c.id)
            ).all()
            for p in ("ref", "at")
        }
    assert by_provider["at"] == by_provider["ref"]
    assert len(by_provider["at"]) == len(TRICKY)
