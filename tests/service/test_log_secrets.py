"""No log line carries the webhook token (`ashshash serve` and gunicorn both log request paths),
and /metrics wants `Authorization: Bearer <METRICS_TOKEN>` when one is set."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bench.gunicorn_harness import free_port
from service import create_app
from service.logmask import MaskFilter, mask

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = "Tk9-unmistakable-webhook-token"
SMS = {
    "from": "+8801711000001",
    "to": "12345",
    "text": "MEET 17 M5 F12 Kaliganj",
    "date": "2021-03-02 10:00:00",
    "id": "log-1",
}


def _env(settings, port: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DATABASE_URL=settings.database_url,
        WEBHOOK_TOKEN=TOKEN,
        SECRET_KEY="s" * 20,
        INSTANCE_PATH=settings.instance_path,
        PORT=str(port),
        HOST="127.0.0.1",
        WEB_CONCURRENCY="1",
        WEB_THREADS="2",
        ACCESS_LOG="-",
        PYTHONUNBUFFERED="1",
    )
    if settings.redis_url:
        env["REDIS_URL"] = settings.redis_url
    return env


def _traffic(port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    body = urllib.parse.urlencode(SMS).encode()
    with urllib.request.urlopen(f"{base}/hooks/{TOKEN}/at/sms", data=body, timeout=10) as r:
        assert r.status == 200
    # A near miss and a token in the query string: logged masked too.
    for path in (f"/hooks/{TOKEN[:-1]}x/at/sms", f"/healthz?token={TOKEN}"):
        try:
            urllib.request.urlopen(base + path, data=b"", timeout=10).close()
        except urllib.error.HTTPError as exc:
            assert exc.code in (404, 405)


def _run(command: list[str], env: dict[str, str], port: int) -> str:
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        _traffic(port)
        time.sleep(0.5)  # let the last request line reach the log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    return output


def _log_lines(output: str) -> list[str]:
    # `serve` prints the webhook URLs once on purpose (the operator configures providers from
    # them); that listing is not a log line. Everything else is.
    return [line for line in output.splitlines() if not line.startswith("  ")]


@pytest.mark.slow
def test_serve_never_logs_the_webhook_token(settings) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    output = _run(
        [
            sys.executable,
            "-c",
            "from service.cli import main; main()",
            "serve",
            "--port",
            str(port),
        ],
        _env(settings, port),
        port,
    )
    assert f"/hooks/{TOKEN}/at/sms" in output  # the listing for the operator
    lines = _log_lines(output)
    assert any("POST /hooks/***/at/sms" in line for line in lines), output
    assert not [line for line in lines if TOKEN in line or TOKEN[:-1] in line], output


def test_gunicorn_access_log_never_carries_the_webhook_token(settings) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    output = _run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "service.wsgi:app"],
        _env(settings, port),
        port,
    )
    assert "POST /hooks/***/at/sms" in output, output
    assert TOKEN not in output and TOKEN[:-1] not in output, output


def test_the_mask_covers_tracebacks_and_known_secrets() -> None:
    flt = MaskFilter()
    flt.secrets.add("metrics-secret-123")
    try:
        raise ValueError(f"bad path /hooks/{TOKEN}/smsgate with metrics-secret-123")
    except ValueError:
        record = logging.LogRecord(
            "ashshash",
            logging.ERROR,
            __file__,
            1,
            "failed on %s",
            (f"/hooks/{TOKEN}/at/ussd",),
            sys.exc_info(),
        )
    assert flt.filter(record)
    text = logging.Formatter().format(record)
    assert TOKEN not in text and "metrics-secret-123" not in text
    assert "/hooks/***/at/ussd" in text and "ValueError" in text
    assert mask("GET /healthz HTTP/1.1") == "GET /healthz HTTP/1.1"


def test_metrics_need_the_bearer_token_when_one_is_set(settings) -> None:  # type: ignore[no-untyped-def]
    client = create_app(settings.with_(metrics_token="prometheus-secret")).test_client()
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "Bearer" in wrong.headers["WWW-Authenticate"]
    assert (
        client.get("/metrics", headers={"Authorization": "Basic prometheus-secret"}).status_code
        == 401
    )
    good = client.get("/metrics", headers={"Authorization": "Bearer prometheus-secret"})
    assert good.status_code == 200 and "ashshash_inbound_pending" in good.get_data(as_text=True)


def test_metrics_stay_open_without_a_token(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/metrics").status_code == 200


@pytest.mark.parametrize(
    "url, shown",
    [
        ("redis://:hunter22@redis:6379/0", "redis://:***@redis:6379/0"),
        ("redis://localhost:6379/3", "redis://localhost:6379/3"),
    ],
)
def test_serve_prints_the_queue_without_its_password(url: str, shown: str) -> None:
    from service.cli.pipeline import _no_password

    assert _no_password(url) == shown
