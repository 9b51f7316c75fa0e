"""The SMS webhook with the pipeline behind it: repeats and concurrency, metrics."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import func, select

from schemas.tables import InboundMessage, OutboundMessage, Record
from tests.senders import add_reporter
from workers.db import session_scope
from workers.runtime import use_settings

FORM = {
    "from": "+8801712345678",
    "to": "21212",
    "text": "SCH 845 S600 T45 P200",
    "id": "ATXid_concurrent",
}


def _process_queued(settings) -> None:  # type: ignore[no-untyped-def]
    """With REDIS_URL the webhook only enqueues: run a burst worker to finish the work."""
    if settings.redis_url:
        from workers.worker import run_worker

        try:
            run_worker(settings, burst=True)
        finally:
            use_settings(None)


def _count(settings, column) -> int:  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        return s.scalar(select(func.count(column))) or 0


def test_same_callback_ten_times_some_concurrently_one_record_one_reply(app, settings) -> None:  # type: ignore[no-untyped-def]
    add_reporter(settings, role="activist")
    form = dict(FORM, date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"))
    codes: list[int] = []

    def post() -> None:
        codes.append(app.test_client().post("/hooks/test-token/at/sms", data=form).status_code)

    for _ in range(3):
        post()
    threads = [threading.Thread(target=post) for _ in range(7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _process_queued(settings)
    assert codes == [200] * 10
    assert _count(settings, InboundMessage.id) == 1
    assert _count(settings, Record.id) == 1
    assert _count(settings, OutboundMessage.id) == 1
    with session_scope(settings) as s:
        assert s.scalar(select(InboundMessage.status)) == "accepted"


def test_metrics_show_messages_queue_and_latency(app, settings) -> None:  # type: ignore[no-untyped-def]
    add_reporter(settings, role="activist")
    client = app.test_client()
    form = dict(FORM, id="m-1", date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"))
    assert client.post("/hooks/test-token/at/sms", data=form).status_code == 200
    _process_queued(settings)
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert 'ashshash_inbound_messages{channel="sms",status="accepted"} 1' in body
    assert 'ashshash_outbound_messages{status="sent"} 1' in body
    assert "ashshash_inbound_pending 0" in body
    assert "ashshash_queue_up 1" in body
    assert "ashshash_job_latency_seconds_count 1" in body
    if settings.redis_url:
        assert 'ashshash_queue_depth{queue="inbound"} 0' in body


def test_metrics_say_when_the_queue_is_down(app, settings) -> None:  # type: ignore[no-untyped-def]
    from service import create_app

    down = create_app(settings.with_(redis_url="redis://127.0.0.1:6391/0"))
    body = down.test_client().get("/metrics").get_data(as_text=True)
    assert "ashshash_queue_up 0" in body
