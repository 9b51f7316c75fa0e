"""`ashshash serve | worker | send | requeue | purge`: output, exit codes, one-line errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select

import service.cli.pipeline  # noqa: F401 - adds the commands to the group
from schemas.envelope import InboundEnvelope
from schemas.tables import InboundMessage, Record
from service.cli import AppContext, cli
from tests.senders import add_reporter
from workers.db import session_scope
from workers.inbound.store import store_inbound


def run(settings, *args: str):  # type: ignore[no-untyped-def]
    context = AppContext()
    context._settings = settings
    return CliRunner().invoke(cli, list(args), obj=context)


def one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def local(settings):  # type: ignore[no-untyped-def]
    return settings.with_(redis_url=None)


def test_send_prints_the_reply(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    result = run(local, "send", "01712345678", "MEET", "17", "M10", "F7")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK #1 ")
    with session_scope(local) as s:
        message = s.scalar(select(InboundMessage))
        assert message.provider == "cli" and message.sender == "+8801712345678"
        assert message.text == "MEET 17 M10 F7"


def test_send_twice_is_two_messages(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    assert run(local, "send", "01712345678", "WHO").exit_code == 0
    second = run(local, "send", "01712345678", "WHO")
    assert "Rina" in second.output
    with session_scope(local) as s:
        assert s.scalar(select(func.count(InboundMessage.id))) == 2


def test_send_from_an_unknown_number_says_not_registered(local) -> None:  # type: ignore[no-untyped-def]
    result = run(local, "send", "01812345678", "MEET", "5")
    assert result.exit_code == 0
    assert "not registered" in result.output.lower()
    quiet = run(local.with_(unknown_sender_reply=False), "send", "01812345679", "MEET", "5")
    assert quiet.output.strip() == "[no reply: ignored (unknown_sender)]"


def test_send_rejects_a_bad_phone(local) -> None:  # type: ignore[no-untyped-def]
    assert "not a phone number" in one_line_error(run(local, "send", "12ab", "HELP"))


def test_send_without_a_worker_times_out_with_one_line(settings) -> None:  # type: ignore[no-untyped-def]
    from tests.workers.test_queue import OwnRedis

    server = OwnRedis(6390)
    server.start()
    try:
        queued = settings.with_(redis_url=server.url)
        line = one_line_error(run(queued, "send", "01712345678", "HELP", "--timeout", "0.5"))
    finally:
        server.stop()
    assert "ashshash worker" in line


def test_send_with_the_database_down_is_one_line(local) -> None:  # type: ignore[no-untyped-def]
    down = local.with_(database_url="postgresql+psycopg://postgres@127.0.0.1:1/none")
    assert "database not reachable" in one_line_error(run(down, "send", "01712345678", "HELP"))


def test_worker_needs_redis(local) -> None:  # type: ignore[no-untyped-def]
    assert "REDIS_URL" in one_line_error(run(local, "worker", "--burst"))


def test_worker_with_redis_down_is_one_line(settings) -> None:  # type: ignore[no-untyped-def]
    down = settings.with_(redis_url="redis://127.0.0.1:6391/0")
    assert "queue not reachable" in one_line_error(run(down, "worker", "--burst"))


def test_requeue_processes_stored_messages(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    with session_scope(local) as s:
        store_inbound(
            s,
            local,
            InboundEnvelope(
                channel="sms",
                provider="at",
                provider_id="waiting",
                sender="01712345678",
                text="MEET 17",
                provider_time=datetime.now(UTC),
            ),
        )
    result = run(local, "requeue")
    assert result.exit_code == 0
    assert result.output.startswith("1 stored message(s) queued for processing")
    with session_scope(local) as s:
        assert s.scalar(select(InboundMessage.status)) == "accepted"
        assert s.scalar(select(func.count(Record.id))) == 1


@pytest.mark.parametrize(
    "bad",
    [[], ["--older-than", "0"], ["--older-than", "x"], ["--older-than", "99999999999"]],
)
def test_purge_bad_input_is_one_line(local, bad) -> None:  # type: ignore[no-untyped-def]
    assert "--older-than" in one_line_error(run(local, "purge", *bad))


def test_purge_keeps_records(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    run(local, "send", "01712345678", "MEET", "17")
    with session_scope(local) as s:
        message = s.scalar(select(InboundMessage))
        message.stored_at = datetime.now(UTC) - timedelta(days=10)
    result = run(local, "purge", "--older-than", "7")
    assert result.exit_code == 0
    assert result.output.startswith("purged 1 message(s)")
    with session_scope(local) as s:
        message = s.scalar(select(InboundMessage))
        assert message.text is None and message.sender is None
        assert s.scalar(select(func.count(Record.id))) == 1


def test_serve_prints_dashboard_and_webhook_urls(local, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    started: dict = {}
    monkeypatch.setattr(Flask, "run", lambda self, **kw: started.update(kw))
    result = run(local, "serve", "--host", "127.0.0.1", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert started["host"] == "127.0.0.1" and started["port"] == 8123
    assert "http://127.0.0.1:8123/\n" in result.output
    for route in ("at/sms", "at/delivery", "at/ussd", "at/ussd-events", "smsgate"):
        assert f"http://127.0.0.1:8123/hooks/test-token/{route}\n" in result.output


def test_serve_rejects_a_bad_port(local) -> None:  # type: ignore[no-untyped-def]
    result = run(local, "serve", "--port", "99999")
    assert result.exit_code != 0 and "Traceback" not in result.output
