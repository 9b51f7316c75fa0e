"""The queue and its outages: RQ end to end, Redis down, database down, both down, killed worker."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from schemas.envelope import InboundEnvelope
from schemas.tables import InboundMessage, OutboundMessage, Record
from service import create_app
from tests.senders import add_reporter
from workers.db import get_engine, session_scope
from workers.queue import default_job_id, enqueue, queue_depth
from workers.runtime import use_settings

ROOT = Path(__file__).resolve().parents[2]
OWN_REDIS_PORT = 6390
DB_DOWN_URL = "postgresql+psycopg://postgres@127.0.0.1:1/unreachable"


class OwnRedis:
    """A throwaway redis-server this test may stop and start (never the shared one)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if shutil.which("redis-server") is None:
            # The README's test command must pass on a machine without Redis; CI has it.
            pytest.skip("redis-server is not installed on this machine")
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("own redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


@pytest.fixture
def own_redis():  # type: ignore[no-untyped-def]
    server = OwnRedis(OWN_REDIS_PORT)
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _forget_worker_settings():  # type: ignore[no-untyped-def]
    yield
    use_settings(None)


def form(pid: str, body: str = "MEET 17 M10 F7") -> dict[str, str]:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return {"from": "01712345678", "to": "21212", "text": body, "date": now, "id": pid}


def counts(settings) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """(inbound messages, records, replies)."""
    with session_scope(settings) as s:
        return (
            s.scalar(select(func.count(InboundMessage.id))) or 0,
            s.scalar(select(func.count(Record.id))) or 0,
            s.scalar(select(func.count(OutboundMessage.id))) or 0,
        )


def statuses(settings) -> list[str]:  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        return list(s.scalars(select(InboundMessage.status).order_by(InboundMessage.id)))


def work_burst(settings) -> None:  # type: ignore[no-untyped-def]
    from workers.worker import run_worker

    run_worker(settings, burst=True)


# --- enqueue itself ------------------------------------------------------------------------

calls: list[tuple[int, ...]] = []


def recording_job(*ids: int, settings=None) -> None:  # type: ignore[no-untyped-def]
    calls.append(ids)


def failing_job(*ids: int, settings=None) -> None:  # type: ignore[no-untyped-def]
    raise RuntimeError("bug in a job")


def test_without_redis_the_job_runs_in_process(settings) -> None:  # type: ignore[no-untyped-def]
    calls.clear()
    enqueue(settings.with_(redis_url=None), recording_job, 3, 4)
    assert calls == [(3, 4)]


def test_an_in_process_failure_is_logged_not_raised(settings, caplog) -> None:  # type: ignore[no-untyped-def]
    enqueue(settings.with_(redis_url=None), failing_job, 1)
    assert "bug in a job" in caplog.text


def test_job_ids_come_from_row_ids_and_suit_rq() -> None:
    assert default_job_id(recording_job, (12, 7)) == "recording_job-12-7"


def test_enqueue_with_redis_down_is_logged_for_the_sweep(settings, caplog) -> None:  # type: ignore[no-untyped-def]
    enqueue(settings.with_(redis_url="redis://127.0.0.1:6391/0"), recording_job, 1)
    assert "left for the sweep" in caplog.text


def test_rq_job_uses_the_json_serializer_and_retries(settings, own_redis) -> None:  # type: ignore[no-untyped-def]
    from workers.queue import get_queue

    s = settings.with_(redis_url=own_redis.url)
    enqueue(s, recording_job, 5)
    job = get_queue(s, "default").fetch_job("recording_job-5")
    assert job is not None and job.args == [5]
    assert job.retries_left == 5
    assert queue_depth(s)["default"] == 1


# --- end to end through a real RQ worker -----------------------------------------------------


@pytest.fixture
def rq_settings(request, settings):  # type: ignore[no-untyped-def]
    """The configured Redis when there is one, else a throwaway redis-server of the test's."""
    if settings.redis_url:
        return settings
    return settings.with_(redis_url=request.getfixturevalue("own_redis").url)


def test_callback_to_record_to_reply_through_rq(rq_settings) -> None:  # type: ignore[no-untyped-def]
    settings = rq_settings
    add_reporter(settings)
    client = create_app(settings).test_client()
    assert client.post("/hooks/test-token/at/sms", data=form("rq-1")).status_code == 200
    assert statuses(settings) == ["received"]  # stored; the worker does the rest
    work_burst(settings)
    assert statuses(settings) == ["accepted"]
    with session_scope(settings) as s:
        reply = s.scalar(select(OutboundMessage))
        assert reply is not None and reply.text.startswith("OK #")
        assert reply.status == "sent"  # the outbox backend "sends" by storing


def test_redis_down_callbacks_answered_and_processed_when_back(settings, own_redis) -> None:  # type: ignore[no-untyped-def]
    s = settings.with_(redis_url=own_redis.url)
    add_reporter(s)
    client = create_app(s).test_client()
    own_redis.stop()
    for i in range(5):
        response = client.post("/hooks/test-token/at/sms", data=form(f"r-{i}", f"MEET {10 + i}"))
        assert response.status_code == 200
    assert statuses(s) == ["received"] * 5
    own_redis.start()
    work_burst(s)
    assert statuses(s) == ["accepted"] * 5
    assert counts(s) == (5, 5, 5)


def smsgate_post(client, pid: str):  # type: ignore[no-untyped-def]
    """An SMS Gateway for Android `sms:received` webhook (the app posts JSON)."""
    payload = {"messageId": pid, "message": "MEET 17 M10 F7", "phoneNumber": "01712345678"}
    body = {"event": "sms:received", "id": pid, "payload": payload}
    return client.post("/hooks/test-token/smsgate", json=body)


def at_post(client, pid: str):  # type: ignore[no-untyped-def]
    return client.post("/hooks/test-token/at/sms", data=form(pid))


# Every SMS channel hands its message to the one `accept`: the outage rules hold for each.
CHANNELS = {"at_sms": at_post, "smsgate": smsgate_post}


@pytest.mark.parametrize("channel", CHANNELS)
def test_database_down_message_waits_in_the_queue(settings, own_redis, channel) -> None:  # type: ignore[no-untyped-def]
    post = CHANNELS[channel]
    s = settings.with_(redis_url=own_redis.url, smsgate_allow_unsigned=True)
    add_reporter(s)
    down = create_app(s.with_(database_url=DB_DOWN_URL)).test_client()
    assert post(down, "db-down-1").status_code == 200
    # The same callback again while still down: kept once.
    assert post(down, "db-down-1").status_code == 200
    assert counts(s) == (0, 0, 0)
    work_burst(s)  # the database is back: the queued raw message is stored and processed
    assert statuses(s) == ["accepted"]
    assert counts(s) == (1, 1, 1)


@pytest.mark.parametrize("channel", CHANNELS)
def test_database_and_queue_down_answers_503(settings, channel) -> None:  # type: ignore[no-untyped-def]
    both = settings.with_(
        database_url=DB_DOWN_URL, redis_url="redis://127.0.0.1:6391/0", smsgate_allow_unsigned=True
    )
    assert CHANNELS[channel](create_app(both).test_client(), "x").status_code == 503


@pytest.mark.parametrize("channel", CHANNELS)
def test_database_down_without_a_queue_answers_503(settings, channel) -> None:  # type: ignore[no-untyped-def]
    down = settings.with_(database_url=DB_DOWN_URL, redis_url=None, smsgate_allow_unsigned=True)
    assert CHANNELS[channel](create_app(down).test_client(), "y").status_code == 503


# --- a worker killed in the middle of a job ----------------------------------------------------


def _cli_env(settings, tmp_path: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = dict(os.environ)
    env.update(
        DATABASE_URL=settings.database_url,
        REDIS_URL=settings.redis_url or "",
        WEBHOOK_TOKEN=settings.webhook_token,
        SECRET_KEY=settings.secret_key,
        INSTANCE_PATH=str(tmp_path / "instance"),
        PYTHONPATH=str(ROOT),
    )
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from service.cli import main; main()", *args]


def _waiting_backends(engine) -> list[int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return list(
            conn.scalars(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            )
        )


@pytest.mark.slow
def test_worker_killed_mid_job_then_requeue_makes_exactly_one_record(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    add_reporter(settings)
    local = settings.with_(redis_url=None)
    with session_scope(local) as s:
        from workers.inbound.store import store_inbound

        message, _ = store_inbound(
            s,
            local,
            InboundEnvelope(
                channel="sms",
                provider="at",
                provider_id="kill-1",
                sender="01712345678",
                text="MEET 17 M10 F7",
                provider_time=datetime.now(UTC),
            ),
        )
    engine = get_engine(settings.database_url)
    postgres = engine.dialect.name == "postgresql"
    env = _cli_env(settings, tmp_path)
    # The job's write waits on a lock this test holds; the job is killed while it waits.
    blocker = engine.connect()
    blocker.begin()
    if postgres:
        blocker.execute(text("LOCK TABLE records IN ACCESS EXCLUSIVE MODE"))
    else:
        blocker.exec_driver_sql(
            "INSERT INTO audit_log (at, actor, action, entity) "
            "VALUES ('2021-01-01', 'test', 'lock', 'x')"
        )
    runner = _cli("worker", "--burst") if settings.redis_url else _cli("requeue")
    proc = subprocess.Popen(runner, env=env, cwd=tmp_path, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        waiting: list[int] = []
        if postgres:
            while not waiting and time.monotonic() < deadline:
                waiting = _waiting_backends(engine)
                time.sleep(0.1)
            assert waiting, "the job never reached its write"
        else:
            time.sleep(5)  # started and waiting on SQLite's write lock (busy_timeout 10 s)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if postgres:
            # What the server does once it notices the client is gone.
            with engine.connect() as conn:
                for pid in waiting:
                    conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        if proc.poll() is None:
            proc.kill()
        blocker.rollback()
        blocker.close()
    assert statuses(settings) == ["received"]
    assert counts(settings)[1] == 0
    done = subprocess.run(_cli("requeue"), env=env, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    if settings.redis_url:
        work_burst(settings)
    assert statuses(settings) == ["accepted"]
    assert counts(settings) == (1, 1, 1)


def test_requeue_puts_failed_jobs_back_on_their_queue(settings, own_redis) -> None:  # type: ignore[no-untyped-def]
    from workers.inbound.sweep import requeue
    from workers.queue import get_queue

    s = settings.with_(redis_url=own_redis.url)
    get_queue(s, "default").enqueue(failing_job, 1, job_id="failing_job-1")  # no retries
    work_burst(s)
    assert queue_depth(s)["default"] == 0
    report = requeue(s)
    assert report.jobs == 1
    assert queue_depth(s)["default"] == 1
