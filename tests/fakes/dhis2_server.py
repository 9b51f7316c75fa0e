"""A fake DHIS2 `/api/dataValueSets`: a real HTTP server on 127.0.0.1 in a thread.

It checks the token and the payload, keeps the values it imported (so a second push of the
same values is counted as ignored, as DHIS2 does) and answers with DHIS2 2.40's web message
and import summary shapes. Tests can script answers ahead (a 500, a slow answer, a 409).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

_PERIOD = re.compile(r"^(\d{6}|\d{4}Q[1-4]|\d{4}|\d{4}Oct)$")
IMPORT_OPTIONS_KEYS = ("dryRun", "importStrategy", "idScheme")


@dataclass
class Reply:
    """A scripted answer. status None: answer as DHIS2 would, after `delay` seconds."""

    status: int | None = None
    body: Any = None
    delay: float = 0.0


@dataclass
class Seen:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    body: Any


def web_message(status: int, text: str, response: Any = None) -> dict[str, Any]:
    names = {
        200: ("OK", "OK"),
        401: ("Unauthorized", "ERROR"),
        403: ("Forbidden", "ERROR"),
        409: ("Conflict", "WARNING"),
        400: ("Bad Request", "ERROR"),
        500: ("Internal Server Error", "ERROR"),
    }
    http_status, state = names.get(status, ("Error", "ERROR"))
    out: dict[str, Any] = {
        "httpStatus": http_status,
        "httpStatusCode": status,
        "status": state,
        "message": text,
    }
    if response is not None:
        out["response"] = response
    return out


def server_error() -> Reply:
    return Reply(500, web_message(500, "java.lang.NullPointerException"))


def period_locked(period: str) -> Reply:
    """DHIS2's answer when a whole import is refused (here: the period is closed)."""
    summary = {
        "responseType": "ImportSummary",
        "status": "ERROR",
        "description": "Import process was aborted",
        "importCount": {"imported": 0, "updated": 0, "ignored": 0, "deleted": 0},
        "conflicts": [
            {
                "object": period,
                "objects": {"period": period},
                "value": f"Period: `{period}` is after latest open future period",
                "errorCode": "E7641",
                "property": "period",
                "indexes": [],
            }
        ],
        "rejectedIndexes": [],
        "dataSetComplete": "false",
    }
    body = web_message(409, "An error occurred, please check import summary.", summary)
    body["status"] = "ERROR"
    return Reply(409, body)


@dataclass
class FakeDhis2:
    token: str = "d2pat_test_token"
    data_elements: set[str] | None = None  # None: every id is known
    org_units: set[str] | None = None
    combos: set[str] | None = None
    replies: deque[Reply] = field(default_factory=deque)
    seen: list[Seen] = field(default_factory=list)
    stored: dict[tuple[str, str, str, str, str], str] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def answer(
        self, params: dict[str, str], headers: dict[str, str], body: Any
    ) -> tuple[int, dict[str, Any]]:
        """What DHIS2 answers to this request (no scripting)."""
        if headers.get("Authorization") != f"ApiToken {self.token}":
            return 401, web_message(401, "Unauthorized")
        problems = _payload_problems(body, params)
        if problems:
            return 400, web_message(400, "; ".join(problems))
        dry = params.get("dryRun") == "true"
        counts = {"imported": 0, "updated": 0, "ignored": 0, "deleted": 0}
        conflicts: list[dict[str, Any]] = []
        aoc = body.get("attributeOptionCombo") or "default"
        for i, dv in enumerate(body["dataValues"]):
            conflict = self._conflict(dv, i)
            if conflict:
                conflicts.append(conflict)
                counts["ignored"] += 1
                continue
            key = (
                dv["dataElement"],
                dv["period"],
                dv["orgUnit"],
                dv.get("categoryOptionCombo") or "default",
                aoc,
            )
            old = self.stored.get(key)
            if old == dv["value"]:
                counts["ignored"] += 1
            else:
                counts["updated" if old is not None else "imported"] += 1
                if not dry:
                    self.stored[key] = dv["value"]
        summary = {
            "responseType": "ImportSummary",
            "status": "WARNING" if conflicts else "SUCCESS",
            "importOptions": {
                "idSchemes": {},
                "dryRun": dry,
                "importStrategy": params.get("importStrategy"),
            },
            "description": "Import process completed successfully",
            "importCount": counts,
            "conflicts": conflicts,
            "rejectedIndexes": [c["indexes"][0] for c in conflicts],
            "dataSetComplete": "false",
        }
        if conflicts:
            return 409, web_message(
                409, "One more conflicts encountered, please check import summary.", summary
            )
        return 200, web_message(200, "Import was successful.", summary)

    def _conflict(self, dv: dict[str, Any], index: int) -> dict[str, Any] | None:
        checks = (
            (
                self.data_elements,
                "dataElement",
                "dataElement",
                "E7610",
                "Data element not found or not accessible",
            ),
            (
                self.org_units,
                "orgUnit",
                "organisationUnit",
                "E7612",
                "Organisation unit not found or not accessible",
            ),
            (
                self.combos,
                "categoryOptionCombo",
                "categoryOptionCombo",
                "E7611",
                "Category option combo not found or not accessible for writing data",
            ),
        )
        for known, prop, obj_key, code, text in checks:
            value = dv.get(prop)
            if known is not None and value is not None and value not in known:
                return {
                    "object": value,
                    "objects": {obj_key: value},
                    "value": f"{text}: `{value}`",
                    "errorCode": code,
                    "property": prop,
                    "indexes": [index],
                }
        return None

    def start(self) -> FakeDhis2:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                url = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                fake.seen.append(Seen(url.path, params, dict(self.headers), body))
                if url.path != "/api/dataValueSets":
                    self._send(404, web_message(404, "Not found"))
                    return
                reply = fake.replies.popleft() if fake.replies else Reply()
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status is not None:
                    self._send(reply.status, reply.body)
                    return
                if self.headers.get("Content-Type", "").split(";")[0] != "application/json":
                    self._send(415, web_message(415, "Unsupported Media Type"))
                    return
                self._send(*fake.answer(params, dict(self.headers), body))

            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json;charset=UTF-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeout tests)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def _payload_problems(body: Any, params: dict[str, str]) -> list[str]:
    """What real DHIS2 would refuse outright, plus what this project promises to send."""
    if not isinstance(body, dict) or not isinstance(body.get("dataValues"), list):
        return ["body must be a dataValueSet with dataValues"]
    problems = []
    if params.get("importStrategy") != "CREATE_AND_UPDATE":
        problems.append("importStrategy must be CREATE_AND_UPDATE")
    if params.get("idScheme") not in ("UID", "CODE"):
        problems.append("idScheme must be UID or CODE")
    if not body.get("dataSet"):
        problems.append("dataSet missing")
    for i, dv in enumerate(body["dataValues"]):
        if not isinstance(dv, dict):
            problems.append(f"dataValues[{i}] is not an object")
            continue
        for name in ("dataElement", "period", "orgUnit", "value"):
            if not isinstance(dv.get(name), str) or not dv[name]:
                problems.append(f"dataValues[{i}].{name} must be text")
        if not _PERIOD.match(str(dv.get("period", ""))):
            problems.append(f"dataValues[{i}].period {dv.get('period')!r} is not a period id")
    return problems
