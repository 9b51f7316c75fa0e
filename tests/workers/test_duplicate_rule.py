"""The duplicate rule through the real job: only an active first record makes a duplicate, a
rejected text is read again, an empty SMS is never a duplicate, and concurrency holds."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import workers.apply.duplicates as duplicates
from schemas.tables import InboundMessage, OutboundMessage, Record, Survivor
from tests.workers.inbound.test_jobs import add_reporter, count, store
from workers.db import session_scope
from workers.inbound.jobs import process_inbound

NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


@pytest.fixture
def local(settings):  # type: ignore[no-untyped-def]
    return settings.with_(redis_url=None)


def send(settings, text: str, minutes: float = 0) -> tuple[str, str | None]:  # type: ignore[no-untyped-def]
    """Store and process one SMS from PHONE: (its status, the reply queued or None)."""
    when = NOW + timedelta(minutes=minutes)
    message_id = store(settings, text, pid=f"{text}@{minutes}", when=when)
    process_inbound(message_id, settings=settings)
    with session_scope(settings) as s:
        message = s.get(InboundMessage, message_id)
        assert message is not None
        reply = s.scalar(
            select(OutboundMessage.text).where(OutboundMessage.inbound_id == message_id)
        )
        return message.status, reply


def number_in(reply: str | None) -> int:
    found = re.search(r"#(\d+)", reply or "")
    assert found is not None, reply
    return int(found.group(1))


def test_the_same_report_after_undo_is_saved_anew(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    status, reply = send(local, "MEET 17 M5 F12")
    first = number_in(reply)
    assert status == "accepted"
    assert send(local, f"UNDO {first}", 1)[0] == "accepted"
    status, reply = send(local, "MEET 17 M5 F12", 3)
    assert status == "accepted"
    assert number_in(reply) != first
    with session_scope(local) as s:
        statuses = sorted(s.scalars(select(Record.status).where(Record.keyword == "MEET")))
    assert statuses == ["active", "cancelled"]
    # And the new record now holds: a fourth copy points at it, not at the cancelled one.
    status, reply = send(local, "MEET 17 M5 F12", 4)
    assert status == "duplicate" and str(first) not in (reply or "")


def test_a_certificate_rejected_before_the_session_is_read_again(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    send(local, "ENR F 25")
    with session_scope(local) as s:
        code = s.scalar(select(Survivor.code))
    status, refused = send(local, f"CERT {code}", 1)
    assert status == "rejected"
    assert send(local, f"IC {code}", 2)[0] == "accepted"
    status, reply = send(local, f"CERT {code}", 3)
    assert status == "accepted" and (reply or "").startswith("OK")
    with session_scope(local) as s:
        assert s.scalar(select(Record.id).where(Record.keyword == "CERT")) is not None


def test_a_text_still_rejected_gets_its_reason_again(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    first = send(local, "MEET 12 M5 F6")
    second = send(local, "MEET 12 M5 F6", 2)
    assert first[0] == second[0] == "rejected"
    assert second[1] == first[1] and "11" in (second[1] or "")  # the sum, named again


def test_an_empty_sms_gets_the_keyword_list_then_silence_never_duplicate(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    assert send(local, "MEET 12")[0] == "accepted"
    status, listing = send(local, "   ", 1)
    assert status == "rejected" and "MEET" in (listing or "")
    assert send(local, ",,;;", 2) == ("rejected", None)  # silence within 10 minutes
    assert send(local, " \t ", 3) == ("rejected", None)
    status, again = send(local, ",", 14)  # 10 minutes after the last empty one: the list
    assert status == "rejected" and again == listing


def test_an_empty_sms_again_can_get_the_list_again(local) -> None:  # type: ignore[no-untyped-def]
    local = local.with_(empty_repeat_reply=True)
    add_reporter(local)
    listing = send(local, " ")[1]
    assert listing and send(local, "  ", 1) == ("rejected", listing)


def test_two_identical_texts_at_once_make_one_record(local, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two workers (threads, each its own connection) on two copies at the same moment. The
    duplicate check is held open 0.3 s so that, without a lock, both would read "no first
    copy" and both write a record."""
    add_reporter(local)
    ids = [store(local, "MEET 15 M6 F9", pid=f"copy-{n}", when=NOW) for n in range(2)]
    start = threading.Barrier(2)

    class SlowCandidates(duplicates.Candidates):
        """The batch's duplicate read, held open after it read."""

        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            threading.Event().wait(0.3)

    monkeypatch.setattr("workers.inbound.process.Candidates", SlowCandidates)
    errors: list[BaseException] = []

    def work(message_id: int) -> None:
        try:
            start.wait()
            process_inbound(message_id, settings=local)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(local, Record) == 1
    with session_scope(local) as s:
        query = select(InboundMessage.status).where(InboundMessage.id.in_(ids))
        statuses = sorted(s.scalars(query))
    assert statuses == ["accepted", "duplicate"]
