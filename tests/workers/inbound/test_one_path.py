"""Every channel's message is processed by the one batch path, embedded (SQLite or PostgreSQL,
no Redis) exactly as with RQ: the default test run exercises production's code."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from schemas.envelope import InboundEnvelope
from schemas.tables import InboundMessage
from service import create_app
from tests.senders import PHONE, add_reporter
from tests.workers.test_queue import own_redis, work_burst  # noqa: F401 - a fixture
from workers.db import session_scope
from workers.inbound import process
from workers.inbound.accept import accept, accept_now

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The message ids of every `Batch` that ran (the batch still runs, for real)."""
    ran: list[list[int]] = []
    real = process.Batch.run

    def spied(self: process.Batch) -> None:
        ran.append([m.id for m in self.messages])
        real(self)

    monkeypatch.setattr(process.Batch, "run", spied)
    return ran


@pytest.fixture(params=["embedded", "rq"])
def mode(request, settings):  # type: ignore[no-untyped-def]
    """Embedded defaults (no REDIS_URL: jobs in-process), or RQ on a Redis of the test's own."""
    if request.param == "embedded":
        return settings.with_(redis_url=None, smsgate_allow_unsigned=True)
    redis = request.getfixturevalue("own_redis")
    return settings.with_(redis_url=redis.url, smsgate_allow_unsigned=True)


def _stored(settings) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        return [tuple(r) for r in s.execute(select(InboundMessage.id, InboundMessage.status))]


def _at_sms(client, pid: str):  # type: ignore[no-untyped-def]
    form = {"from": "01712345678", "to": "21212", "text": "MEET 17 M10 F7", "id": pid}
    return client.post("/hooks/test-token/at/sms", data=form)


def _smsgate(client, pid: str):  # type: ignore[no-untyped-def]
    payload = {"messageId": pid, "message": "MEET 17 M10 F7", "phoneNumber": "01712345678"}
    body = {"event": "sms:received", "id": pid, "payload": payload}
    return client.post("/hooks/test-token/smsgate", json=body)


@pytest.mark.parametrize("post", [_at_sms, _smsgate], ids=["at_sms", "smsgate"])
def test_a_webhook_message_is_processed_by_the_batch_in_either_mode(mode, batches, post) -> None:  # type: ignore[no-untyped-def]
    add_reporter(mode)
    assert post(create_app(mode).test_client(), "one-path-1").status_code == 200
    if mode.redis_url:
        assert batches == []  # with RQ the webhook only stored it and woke the drain
        work_burst(mode)
    [(message_id, status)] = _stored(mode)
    assert status == "accepted"
    assert batches == [[message_id]]


def test_accept_now_is_a_batch_of_one_answered_on_screen(settings, session, batches) -> None:  # type: ignore[no-untyped-def]
    add_reporter(settings)
    envelope = InboundEnvelope(
        channel="sms",
        provider="web",
        provider_id="sim-1",
        sender=PHONE,
        text="MEET 17 M10 F7",
        provider_time=datetime.now(UTC),
    )
    message, result = accept_now(session, settings, envelope)
    session.commit()
    assert result is not None and result.status == "accepted" and result.reply_text
    assert result.outbound_id is None  # shown, never texted
    assert batches == [[message.id]]
    again, repeat = accept_now(session, settings, envelope)  # a retried hop: not processed again
    assert again.id == message.id and repeat is None
    assert batches == [[message.id]]


def test_accept_hands_a_stored_message_to_the_batch(settings, batches) -> None:  # type: ignore[no-untyped-def]
    local = settings.with_(redis_url=None)
    add_reporter(local)
    envelope = InboundEnvelope(
        channel="sms",
        provider="cli",
        provider_id="cli-1",
        sender=PHONE,
        text="HELP",
        provider_time=datetime.now(UTC),
    )
    kept = accept(local, envelope)
    assert kept.stored is not None and not kept.queued_raw
    assert batches == [[kept.stored.id]]


# The processing halves a message's decision is made of; only the batch may call them.
DECISION = {"process_exactly", "decide_later", "finish_later"}
SOURCES = ("workers", "service", "bench", "scripts")


def _calls(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def test_no_processing_entry_point_but_the_batch() -> None:
    """Outside `workers/inbound/process.py` nothing calls a message's decision directly or
    builds a `Batch` (they call `drain_batch`, `process_one`, or a job that does)."""
    checked = []
    offenders = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            checked.append(path)
            if path == ROOT / "workers" / "inbound" / "process.py":
                continue
            called = _calls(path) & (DECISION | {"Batch", "process_message"})
            if called:
                offenders.append(f"{path.relative_to(ROOT)}: {sorted(called)}")
    assert len(checked) > 50  # the scan saw the code
    assert offenders == []
    assert _calls(ROOT / "workers" / "inbound" / "process.py") >= DECISION | {"Batch"}


def test_a_ussd_save_is_a_batch_of_one(client, session, batches) -> None:  # type: ignore[no-untyped-def]
    from tests.service.test_ussd_hook import add_reporter as add_caller
    from tests.service.test_ussd_hook import walk

    add_caller(session)
    body = walk(client, "1*1*12*5*7*1*1*1")  # MEET 12, M5 F7, Save
    assert body.startswith("END Saved #"), body
    session.expire_all()
    [(message_id, status)] = session.execute(select(InboundMessage.id, InboundMessage.status)).all()
    assert status == "accepted"
    assert batches == [[message_id]]
