"""The send job through the real queue: RQ on Redis when REDIS_URL is set, else in-process.

Either way a low-balance refusal is retried and the reply goes out on the second attempt;
under RQ the retry is RQ's own (the job raises after committing the attempt).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import workers.outbound.send as outbound
from tests.fakes.at_server import FakeAfricasTalking, Reply
from tests.workers.test_outbound import NUMBER, at, load, make_inbound, recipient
from workers.db import session_scope
from workers.outbound.send import queue_reply, send_outbound
from workers.queue import enqueue, get_queue
from workers.runtime import reset_settings
from workers.settings import Settings

LOW_BALANCE = recipient(405, "InsufficientBalance")


@pytest.fixture
def at_settings(
    settings: Settings, fake_at: FakeAfricasTalking, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    configured = at(settings, fake_at)
    # An RQ worker passes no settings: the job reads them from the environment.
    env = {
        "DATABASE_URL": configured.database_url,
        "SMS_BACKEND": "africastalking",
        "AT_USERNAME": "ashshash",
        "AT_API_KEY": "k",
        "AT_API_BASE": fake_at.base_url,
        "SECRET_KEY": "test-secret",
        "WEBHOOK_TOKEN": "test-token",
        "INSTANCE_PATH": configured.instance_path,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(outbound, "IN_PROCESS_DELAYS", (0.0, 0.0))
    reset_settings()
    yield configured
    reset_settings()


def stored_reply(settings: Settings) -> int:
    with session_scope(settings) as session:
        inbound = make_inbound(session, text="HELP")
        return queue_reply(session, settings, to=NUMBER, text="Help: ...", inbound_id=inbound.id).id


def run_rq_until_sent(settings: Settings, outbound_id: int) -> None:
    from rq import SimpleWorker
    from rq.registry import ScheduledJobRegistry
    from rq.serializers import JSONSerializer

    queue = get_queue(settings, "outbound")
    worker = SimpleWorker([queue], connection=queue.connection, serializer=JSONSerializer)
    worker.work(burst=True)
    # First run: refused, committed as still queued, and rescheduled by RQ's Retry.
    first = load(settings, outbound_id)
    assert (first.status, first.attempts) == ("queued", 1)
    assert first.failure_reason == "InsufficientBalance (405)"
    scheduled = ScheduledJobRegistry(queue=queue)
    job_ids = scheduled.get_job_ids()
    assert job_ids == [f"send_outbound-{outbound_id}"]
    # Do not wait out the backoff: move the retry forward and run it.
    scheduled.requeue(job_ids[0])
    worker.work(burst=True)


def test_low_balance_is_retried_by_the_queue(
    at_settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    fake_at.script(Reply(body=LOW_BALANCE))
    outbound_id = stored_reply(at_settings)
    enqueue(at_settings, send_outbound, outbound_id)
    if at_settings.redis_url:
        run_rq_until_sent(at_settings, outbound_id)
    message = load(at_settings, outbound_id)
    assert (message.status, message.attempts, message.failure_reason) == ("sent", 2, None)
    assert message.provider_id == "ATXid_1"
    assert len(fake_at.seen) == 2
