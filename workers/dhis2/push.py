"""POST a dataValueSets document to DHIS2: retries on timeouts and 5xx, clear words for 401/403."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from schemas.dhis2.summary import ImportSummary, read_summary

log = logging.getLogger("ashshash.dhis2")

TIMEOUT = 60.0  # seconds per attempt: a large import on a busy national server is slow
ATTEMPTS = 3
BACKOFF = 2.0  # seconds before the second attempt, doubled before each next one


@dataclass
class PushOutcome:
    """What happened: `ok` when DHIS2 read the whole payload without a conflict."""

    ok: bool
    message: str  # one line for people
    http_status: int | None = None
    summary: ImportSummary | None = None
    attempts: int = 0


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "..."


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def post_data_values(
    url: str,
    token: str,
    payload: dict[str, Any],
    *,
    dry_run: bool,
    id_scheme: str,
    timeout: float | None = None,
    attempts: int | None = None,
    backoff: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    session: requests.Session | None = None,
) -> PushOutcome:
    """Send `payload` to `<url>/api/dataValueSets` and read DHIS2's import summary.

    The token travels only in the Authorization header; nothing here logs it or the payload.
    Timeout, attempts and backoff default to the module's constants, read at call time.
    """
    timeout = TIMEOUT if timeout is None else timeout
    attempts = ATTEMPTS if attempts is None else attempts
    backoff = BACKOFF if backoff is None else backoff
    base = (url or "").strip().rstrip("/")
    if not base.startswith(("http://", "https://")):
        return PushOutcome(
            False,
            "no DHIS2 server: set DHIS2_URL or url in dhis2.toml to its address (https://...)",
        )
    if not token:
        return PushOutcome(
            False,
            "DHIS2_TOKEN is not set: create a personal access token"
            " in DHIS2 (profile > personal access tokens)",
        )
    http = session or requests.Session()
    params = {
        "dryRun": "true" if dry_run else "false",
        "importStrategy": "CREATE_AND_UPDATE",
        "idScheme": id_scheme.upper(),
        "async": "false",
    }
    headers = {"Authorization": f"ApiToken {token}", "Accept": "application/json"}
    sent = payload.get("dataValues", [])
    last = ""
    for attempt in range(1, attempts + 1):
        if attempt > 1:
            sleep(backoff * 2 ** (attempt - 2))
        try:
            response = http.post(
                f"{base}/api/dataValueSets",
                params=params,
                json=payload,
                headers=headers,
                timeout=timeout,
            )
        except requests.Timeout:
            last = f"DHIS2 did not answer within {timeout:g} s"
            log.warning("dhis2 push attempt %d: timeout", attempt)
            continue
        except requests.RequestException as exc:
            last = _clip(f"DHIS2 unreachable ({type(exc).__name__})")
            log.warning("dhis2 push attempt %d: %s", attempt, type(exc).__name__)
            continue
        status = response.status_code
        log.info("dhis2 push attempt %d: HTTP %d", attempt, status)
        if status >= 500:
            last = f"DHIS2 server error (HTTP {status})"
            continue
        return _outcome(response, sent, attempt)
    return PushOutcome(False, f"{last}; gave up after {attempts} attempts", attempts=attempts)


def _outcome(response: requests.Response, sent: list[dict[str, str]], attempt: int) -> PushOutcome:
    status = response.status_code
    body = _json(response)
    if status == 401:
        return PushOutcome(
            False,
            "DHIS2 refused the token (401): check that DHIS2_TOKEN is a"
            " current personal access token of this server",
            status,
            attempts=attempt,
        )
    if status == 403:
        return PushOutcome(
            False,
            "DHIS2 accepted the token but its user may not import this"
            " data (403): ask the DHIS2 administrator for data entry"
            " rights on the data set and org units",
            status,
            attempts=attempt,
        )
    summary = read_summary(body, sent)
    if summary is not None:
        ok = status < 300 and summary.status != "ERROR" and not summary.conflicts
        prefix = "" if ok else f"DHIS2 reported {summary.status} (HTTP {status}): "
        return PushOutcome(ok, prefix + summary.line(), status, summary, attempt)
    message = body.get("message") if isinstance(body, dict) else None
    text = _clip(message) if message else _clip(response.text or response.reason or "")
    if status == 409:
        # A conflict is an answer about the data: sending it again cannot change it.
        return PushOutcome(
            False, f"DHIS2 refused the import (409): {text}", status, attempts=attempt
        )
    return PushOutcome(
        False, f"unexpected DHIS2 answer (HTTP {status}): {text}", status, attempts=attempt
    )
