"""A fake Africa's Talking SMS API: a real HTTP server on 127.0.0.1 in a thread.

Tests script its answers (status, content type, body, delay) and read back what the real
SDK sent, so the whole path (SDK, requests, HTTP, parsing) runs as in production.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Reply:
    """One scripted answer. `body` is JSON-encoded unless it is already a string."""

    status: int = 201
    content_type: str = "application/json"
    body: Any = None
    delay: float = 0.0

    @classmethod
    def from_case(cls, case: dict[str, Any]) -> Reply:
        return cls(
            status=case.get("status", 201),
            content_type=case.get("content_type", "application/json"),
            body=case.get("body"),
            delay=case.get("delay", 0.0),
        )


@dataclass
class Seen:
    """One request as the fake received it."""

    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]
    at: float = field(default_factory=time.time)  # when it arrived (wall clock)


def success_body(number: str, message_id: str) -> dict[str, Any]:
    return {
        "SMSMessageData": {
            "Message": "Sent to 1/1 Total Cost: BDT 0.5000",
            "Recipients": [
                {
                    "statusCode": 101,
                    "number": number,
                    "status": "Success",
                    "cost": "BDT 0.5000",
                    "messageId": message_id,
                }
            ],
        }
    }


def recipients_body(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """A send answer listing one entry per recipient, as the API answers a list of numbers."""
    sent = sum(1 for e in entries if e["statusCode"] in (100, 101, 102))
    return {
        "SMSMessageData": {
            "Message": f"Sent to {sent}/{len(entries)} Total Cost: BDT {0.5 * sent:.4f}",
            "Recipients": entries,
        }
    }


@dataclass
class FakeAfricasTalking:
    """Answers scripted replies in order, then plain successes with fresh message ids."""

    replies: deque[Reply] = field(default_factory=deque)
    seen: list[Seen] = field(default_factory=list)
    # Seconds every unscripted answer waits: a provider across the internet (200 ms).
    delay: float = 0.0
    # Per number, the (statusCode, status) its next sends get, in order; then Success.
    per_number: dict[str, deque[tuple[int, str]]] = field(default_factory=dict)
    # The most send requests the fake was answering at one time (concurrency seen).
    max_in_flight: int = 0
    # TCP connections accepted: fewer than requests when clients keep connections alive.
    connections: int = 0
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: Any = field(default_factory=lambda: count(1))
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """What AT_API_BASE is set to: the SDK appends `/messaging` to it."""
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/version1"

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def fail_next(self, number: str, *outcomes: tuple[int, str]) -> None:
        """The next sends to `number` get these (statusCode, status) answers, in order."""
        self.per_number.setdefault(number, deque()).extend(outcomes)

    def answer_for(self, numbers: list[str]) -> dict[str, Any]:
        entries = []
        for number in numbers:
            queued = self.per_number.get(number)
            code, status = queued.popleft() if queued else (101, "Success")
            ok = code in (100, 101, 102)
            entries.append(
                {
                    "statusCode": code,
                    "number": number,
                    "status": status,
                    "cost": "BDT 0.5000" if ok else "0",
                    "messageId": f"ATXid_{next(self._ids)}" if ok else "None",
                }
            )
        if len(numbers) == 1 and entries[0]["statusCode"] == 101:
            return success_body(numbers[0], entries[0]["messageId"])
        return recipients_body(entries)

    def stats(self) -> dict[str, Any]:
        """Send requests and recipients received, and when the first and last arrived."""
        sends = [s for s in self.seen if s.path.endswith("/messaging")]
        return {
            "requests": len(sends),
            "recipients": sum(len(s.form.get("to", "").split(",")) for s in sends),
            "first": min((s.at for s in sends), default=None),
            "last": max((s.at for s in sends), default=None),
            "max_in_flight": self.max_in_flight,
        }

    def recipients_seen(self) -> list[list[str]]:
        """The recipient list of every send request, in arrival order."""
        return [s.form.get("to", "").split(",") for s in self.seen if s.path.endswith("/messaging")]

    def start(self, port: int = 0) -> FakeAfricasTalking:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive as the real API offers it: a client may send many requests on one
            # connection (every answer carries its Content-Length).
            protocol_version = "HTTP/1.1"
            # Headers and body are two writes: without TCP_NODELAY the body waits for the
            # client's delayed ACK of the headers (40 ms) on a kept-alive connection.
            disable_nagle_algorithm = True

            def setup(self) -> None:
                super().setup()
                with fake._lock:
                    fake.connections += 1

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                # GET /_stats: what a benchmark reads back from a fake in another process.
                if self.path != "/_stats":
                    self._answer(Reply(status=404, content_type="text/plain", body="Not Found"))
                    return
                self._answer(Reply(status=200, body=fake.stats()))

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                fake.seen.append(Seen("POST", self.path, dict(self.headers), form))
                if self.path != "/version1/messaging":
                    self._answer(Reply(status=404, content_type="text/plain", body="Not Found"))
                    return
                with fake._lock:
                    fake._in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake._in_flight)
                    reply = fake.replies.popleft() if fake.replies else None
                    if reply is None:
                        numbers = [n for n in form.get("to", "").split(",") if n]
                        reply = Reply(body=fake.answer_for(numbers), delay=fake.delay)
                try:
                    self._answer(reply)
                finally:
                    with fake._lock:
                        fake._in_flight -= 1

            def _answer(self, reply: Reply) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
                data = body.encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests): nothing to answer

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # keep test output clean

        class Server(ThreadingHTTPServer):
            request_queue_size = 1024  # many senders connect at once (the default is 5)

        self._server = Server(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
