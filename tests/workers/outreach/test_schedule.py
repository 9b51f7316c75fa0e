"""The schedule with real Redis: two workers offering the same slot run it once, and the
rules run twice at the same moment still send each reminder once."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select

import workers.outreach.run as run_module
import workers.outreach.sending as sending
from schemas.tables import OutboundMessage
from tests.workers.outreach.fixture import at, counts, record, reporter
from tests.workers.test_queue import OwnRedis
from workers.db import session_scope
from workers.outreach.run import run_rules
from workers.outreach.schedule import offer_tick, slot_of, tick_job_id
from workers.queue import get_queue
from workers.runtime import use_settings
from workers.settings import Settings

START = date(2026, 9, 1)
NOW = at(date(2026, 10, 1))  # day 30 after START: a silent reporter's first reminder


@pytest.fixture
def redis_settings(request: pytest.FixtureRequest, settings: Settings):  # type: ignore[no-untyped-def]
    if settings.redis_url:
        yield settings
    else:
        server = OwnRedis(6391)
        server.start()
        try:
            yield settings.with_(redis_url=server.url)
        finally:
            server.stop()
    use_settings(None)


def _together(n: int, work) -> list:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def one(i: int) -> None:
        barrier.wait()
        results[i] = work()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_workers_offering_one_slot_enqueue_one_tick(redis_settings: Settings) -> None:
    results = _together(4, lambda: offer_tick(redis_settings, NOW))
    assert sorted(results) == [False, False, False, True]
    queue = get_queue(redis_settings, "outreach")
    assert queue.job_ids == [tick_job_id(slot_of(NOW))]
    # A restart in the same slot offers it again: still one.
    assert offer_tick(redis_settings, NOW) is False
    assert len(queue.job_ids) == 1


def test_rules_run_twice_at_once_send_each_reminder_once(redis_settings: Settings) -> None:
    for _ in range(3):
        activist = reporter(redis_settings, joined=date(2026, 1, 5))
        record(redis_settings, activist, "MEET", START)
    _together(2, lambda: run_rules(redis_settings, now=NOW))
    assert counts(redis_settings) == (3, 3)


def test_the_worker_runs_the_tick_and_sends_the_reminders(
    redis_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workers.worker import run_worker

    monkeypatch.setattr(run_module, "_now", lambda: NOW)
    monkeypatch.setattr(sending, "_now", lambda: NOW)
    activist = reporter(redis_settings, joined=date(2026, 1, 5))
    record(redis_settings, activist, "MEET", START)
    assert offer_tick(redis_settings, NOW)
    assert offer_tick(redis_settings, NOW) is False  # a second worker, same slot
    run_worker(redis_settings, burst=True)
    with session_scope(redis_settings) as session:
        messages = list(session.scalars(select(OutboundMessage)))
    assert [(m.kind, m.status) for m in messages] == [("reminder", "sent")]
