"""One send job covers its whole batch: one claim, one commit, per-message results kept."""

from __future__ import annotations

import pytest
from sqlalchemy import event

import workers.outbound.send as outbound
from tests.fakes.at_server import FakeAfricasTalking, Reply
from tests.workers.test_outbound import NUMBER, at, load, recipient
from workers.db import get_engine, session_scope
from workers.outbound.gateways import SendResult
from workers.outbound.send import queue_reply, send_outbound, unsent_ids
from workers.settings import Settings


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbound, "IN_PROCESS_DELAYS", (0.0, 0.0))


def queue_many(settings: Settings, *texts: str) -> list[int]:
    with session_scope(settings) as session:
        return [
            queue_reply(session, settings, to=NUMBER, text=t, inbound_id=None, kind="manual").id
            for t in texts
        ]


def test_mixed_outcomes_in_one_job(settings: Settings, fake_at: FakeAfricasTalking) -> None:
    done, ok, low, risk = queue_many(settings, "done", "ok", "low", "risk")
    send_outbound(done, settings=settings)  # the outbox sent it already: the job skips it
    fake_at.script(
        Reply(body=recipient(101, "Success", "ATXid_ok")),
        Reply(body=recipient(405, "InsufficientBalance")),
        Reply(body=recipient(401, "RiskHold")),
        Reply(body=recipient(101, "Success", "ATXid_low")),  # the in-process retry of "low"
    )
    send_outbound(done, ok, low, risk, settings=at(settings, fake_at))
    assert [s.form["message"] for s in fake_at.seen] == ["ok", "low", "risk", "low"]
    sent = {i: load(settings, i) for i in (done, ok, low, risk)}
    assert (sent[done].status, sent[done].backend, sent[done].attempts) == ("sent", "outbox", 1)
    assert (sent[ok].status, sent[ok].provider_id, sent[ok].attempts) == ("sent", "ATXid_ok", 1)
    assert (sent[low].status, sent[low].provider_id, sent[low].attempts) == (
        "sent",
        "ATXid_low",
        2,
    )
    assert sent[low].failure_reason is None
    assert (sent[risk].status, sent[risk].failure_reason, sent[risk].attempts) == (
        "failed",
        "RiskHold (401)",
        1,
    )


def test_in_an_rq_job_the_retryable_stay_queued_and_the_job_raises(
    settings: Settings, fake_at: FakeAfricasTalking, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbound, "_rq_queue", lambda: "outbound")
    done, ok, low, risk = queue_many(settings, "done", "ok", "low", "risk")
    send_outbound(done, settings=settings)
    fake_at.script(
        Reply(body=recipient(101, "Success", "ATXid_ok")),
        Reply(body=recipient(405, "InsufficientBalance")),
        Reply(body=recipient(401, "RiskHold")),
    )
    with pytest.raises(outbound.RetryableSendError, match=rf"\[{low}\]"):
        send_outbound(done, ok, low, risk, settings=at(settings, fake_at))
    assert len(fake_at.seen) == 3  # RQ backs off; no in-process retry inside a job
    assert [load(settings, i).status for i in (done, ok, low, risk)] == [
        "sent",
        "sent",
        "queued",
        "failed",
    ]
    held = load(settings, low)
    assert (held.attempts, held.failure_reason) == (1, "InsufficientBalance (405)")
    with session_scope(settings) as session:
        assert unsent_ids(session) == [low]


def test_a_batch_gives_up_after_max_attempts(
    settings: Settings, fake_at: FakeAfricasTalking, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbound, "MAX_ATTEMPTS", 2)
    fake_at.script(*[Reply(body=recipient(500, "InternalServerError")) for _ in range(4)])
    ids = queue_many(settings, "a", "b")
    send_outbound(*ids, settings=at(settings, fake_at))
    for message in (load(settings, i) for i in ids):
        assert (message.status, message.attempts) == ("failed", 2)
        assert message.failure_reason == "gave up after 2 attempts: InternalServerError (500)"
    assert [s.form["message"] for s in fake_at.seen] == ["a", "b", "a", "b"]


def test_outbox_marks_a_batch_sent_in_one_statement(settings: Settings) -> None:
    ids = queue_many(settings, "a", "b", "c")
    send_outbound(ids[0], settings=settings)
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = get_engine(settings.database_url)
    event.listen(engine, "before_cursor_execute", seen)
    try:
        send_outbound(*ids, 999, settings=settings)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert [s.split()[0] for s in statements] == ["UPDATE"]
    for message in (load(settings, i) for i in ids):
        assert (message.status, message.provider_status, message.attempts) == ("sent", "outbox", 1)
        assert (message.backend, message.cost, message.failure_reason) == ("outbox", None, None)


def breaking_gateway(monkeypatch: pytest.MonkeyPatch) -> type:
    """A backend whose call for the text "b" raises (a bug); it records every text asked."""

    class Breaks:
        name = "africastalking"
        calls: list[str] = []

        def send(self, to: str, text: str) -> SendResult:
            self.calls.append(text)
            if text == "b":
                raise RuntimeError("bug")
            return SendResult(ok=True, status="Success", provider_id=f"ATXid_{text}")

    monkeypatch.setattr(outbound, "gateway_for", lambda _settings: Breaks())
    return Breaks


def test_an_exception_mid_batch_keeps_the_answers_already_given(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bug in one call while others are in flight: every answer the provider gave is
    # kept ("a" and "c" accepted must not be sent again), then the bug propagates.
    Breaks = breaking_gateway(monkeypatch)
    ids = queue_many(settings, "a", "b", "c")
    with pytest.raises(RuntimeError, match="bug"):
        send_outbound(*ids, settings=settings)
    assert sorted(Breaks.calls) == ["a", "b", "c"]
    assert [(m.status, m.attempts) for m in (load(settings, i) for i in ids)] == [
        ("sent", 1),
        ("queued", 0),
        ("sent", 1),
    ]


def test_one_at_a_time_a_bug_stops_the_calls_after_it(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    Breaks = breaking_gateway(monkeypatch)
    ids = queue_many(settings, "a", "b", "c")
    with pytest.raises(RuntimeError, match="bug"):
        send_outbound(*ids, settings=settings.with_(send_concurrency=1))
    assert Breaks.calls == ["a", "b"]
    assert [(m.status, m.attempts) for m in (load(settings, i) for i in ids)] == [
        ("sent", 1),
        ("queued", 0),
        ("queued", 0),
    ]
