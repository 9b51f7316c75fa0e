"""The worker's sender: handed-over replies sent once each, retries scheduled, jobs not held."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

import workers.outbound.send as outbound
from schemas.tables import OutboundMessage
from tests.fakes.at_server import FakeAfricasTalking
from workers.db import session_scope
from workers.outbound import sender
from workers.outbound.send import queue_reply, send_outbound
from workers.settings import Settings

WAIT = 30.0  # seconds a test waits for the lanes at most (a hung lane fails, not blocks)


def number(i: int) -> str:
    return f"+88017{i:08d}"


def at(settings: Settings, fake: FakeAfricasTalking, delay: float = 0.0) -> Settings:
    fake.delay = delay
    return settings.with_(
        sms_backend="africastalking",
        at_username="ashshash",
        at_api_key="k",
        at_api_base=fake.base_url,
        send_concurrency=16,
    )


def queue(settings: Settings, count: int, first: int = 0) -> list[int]:
    with session_scope(settings) as session:
        return [
            queue_reply(
                session, settings, to=number(i), text=f"Saved R{i}. UNDO R{i}", inbound_id=None
            ).id
            for i in range(first, first + count)
        ]


def statuses(settings: Settings, ids: list[int]) -> list[tuple[str, int]]:
    with session_scope(settings) as session:
        found = session.execute(
            select(OutboundMessage.status, OutboundMessage.attempts)
            .where(OutboundMessage.id.in_(ids))
            .order_by(OutboundMessage.id)
        ).all()
    return [(status, attempts) for status, attempts in found]


@pytest.fixture
def scheduled(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[int], float]]:
    """Retries the sender schedules, recorded instead of put on Redis."""
    calls: list[tuple[list[int], float]] = []
    monkeypatch.setattr(
        sender, "schedule_send", lambda _settings, ids, delay: calls.append((list(ids), delay))
    )
    return calls


@pytest.fixture
def lanes(settings: Settings, fake_at: FakeAfricasTalking) -> Iterator[sender.Sender]:
    running = sender.Sender(at(settings, fake_at, delay=0.2)).start()
    try:
        yield running
    finally:
        running.stop()


def test_replies_handed_over_by_many_jobs_are_each_sent_once(
    settings: Settings, fake_at: FakeAfricasTalking, lanes: sender.Sender, scheduled: list
) -> None:
    ids = queue(settings, 60)
    for n in range(0, 60, 5):  # twelve small jobs, as a drain at a steady rate makes them
        lanes.hand_over(ids[n : n + 5])
    lanes.hand_over(ids[:10])  # a job run twice (a sweep, a requeue) changes nothing
    assert lanes.wait_idle(WAIT)
    sent_to = sorted(n for request in fake_at.recipients_seen() for n in request)
    assert sent_to == sorted(number(i) for i in range(60))  # every one, once
    assert statuses(settings, ids) == [("sent", 1)] * 60
    assert fake_at.max_in_flight > 5  # the jobs' requests overlapped, not one job at a time
    assert scheduled == []


def test_a_retryable_failure_is_scheduled_again_with_a_growing_backoff(
    settings: Settings, fake_at: FakeAfricasTalking, lanes: sender.Sender, scheduled: list
) -> None:
    ids = queue(settings, 4)
    fake_at.fail_next(number(2), (500, "InternalServerError"), (500, "InternalServerError"))
    lanes.hand_over(ids)
    assert lanes.wait_idle(WAIT)
    assert scheduled == [([ids[2]], sender.BACKOFF[0])]
    assert statuses(settings, ids)[2] == ("queued", 1)
    lanes.hand_over(scheduled[0][0])  # the scheduled job runs: its ids come back
    assert lanes.wait_idle(WAIT)
    assert scheduled[1] == ([ids[2]], sender.BACKOFF[1])
    lanes.hand_over(scheduled[1][0])
    assert lanes.wait_idle(WAIT)
    assert statuses(settings, ids) == [("sent", 1), ("sent", 1), ("sent", 3), ("sent", 1)]
    assert len(scheduled) == 2


def test_a_bug_in_an_attempt_leaves_the_rows_queued_and_the_lane_alive(
    settings: Settings,
    fake_at: FakeAfricasTalking,
    lanes: sender.Sender,
    scheduled: list,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = outbound.attempt
    broken = iter([True])

    def once_broken(*args: object, **kwargs: object) -> list[tuple[int, bool]]:
        if next(broken, False):
            raise RuntimeError("a bug")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(outbound, "attempt", once_broken)
    first = queue(settings, 2)
    lanes.hand_over(first)
    assert lanes.wait_idle(WAIT)
    assert statuses(settings, first) == [("queued", 0)] * 2
    assert scheduled == [(first, sender.BACKOFF[0])]
    later = queue(settings, 2, first=10)
    lanes.hand_over(later)
    assert lanes.wait_idle(WAIT)
    assert statuses(settings, later) == [("sent", 1)] * 2


class _Recorder:
    def __init__(self) -> None:
        self.ids: list[int] = []

    def hand_over(self, ids: list[int]) -> None:
        self.ids += ids


def test_a_send_job_in_the_worker_hands_over_and_returns_without_calling(
    settings: Settings, fake_at: FakeAfricasTalking, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = _Recorder()
    monkeypatch.setattr(sender, "current", lambda: recorder)
    monkeypatch.setattr(outbound, "_rq_queue", lambda: "outbound")
    ids = queue(settings, 3)
    send_outbound(*ids, ids[0], settings=at(settings, fake_at))
    assert recorder.ids == ids  # each once
    assert fake_at.recipients_seen() == []
    assert statuses(settings, ids) == [("queued", 0)] * 3


def test_outreach_sends_in_its_own_job_even_with_a_sender_running(
    settings: Settings, fake_at: FakeAfricasTalking, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = _Recorder()
    monkeypatch.setattr(sender, "current", lambda: recorder)
    monkeypatch.setattr(outbound, "_rq_queue", lambda: "outreach")
    ids = queue(settings, 2)
    send_outbound(*ids, settings=at(settings, fake_at))
    assert recorder.ids == []  # replies' lanes never carry reminders or broadcasts
    assert statuses(settings, ids) == [("sent", 1)] * 2


def test_the_worker_sender_starts_with_the_replies_left_queued(
    settings: Settings, fake_at: FakeAfricasTalking, scheduled: list
) -> None:
    ids = queue(settings, 3)  # stored by a worker that died before sending them
    running = sender.start(at(settings, fake_at))
    try:
        assert sender.current() is running
        assert running.wait_idle(WAIT)
        assert statuses(settings, ids) == [("sent", 1)] * 3
    finally:
        sender.stop()
    assert sender.current() is None


def test_a_drain_in_the_worker_hands_its_replies_to_the_sender_without_a_job(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from schemas.envelope import InboundEnvelope
    from tests.senders import PHONE, add_reporter
    from workers.inbound import jobs
    from workers.inbound.store import store_inbound

    recorder = _Recorder()
    enqueued: list[tuple[object, tuple[int, ...]]] = []
    monkeypatch.setattr(sender, "current", lambda: recorder)
    monkeypatch.setattr(jobs, "enqueue", lambda _s, func, *ids, **_kw: enqueued.append((func, ids)))
    add_reporter(settings)
    with session_scope(settings) as session:
        for n in range(3):
            envelope = InboundEnvelope(
                channel="sms",
                provider="at",
                provider_id=f"drain-{n}",
                sender=PHONE,
                text=f"MEET {n + 1} M4 F5",
                provider_time=datetime.now(UTC),
            )
            store_inbound(session, settings, envelope)
    jobs.drain_inbound(settings=settings)
    with session_scope(settings) as session:
        replies = list(session.scalars(select(OutboundMessage.id).order_by(OutboundMessage.id)))
    assert len(replies) == 3 and recorder.ids == replies  # straight to the lanes
    assert enqueued == []  # no send job through Redis and back
    assert statuses(settings, replies) == [("queued", 0)] * 3  # the rows say what is unsent
