"""The `smsgate` backend: an Android phone running SMS Gateway for Android sends through its SIM."""

from __future__ import annotations

import logging
from typing import Any

import requests

from workers.outbound.gateways import SendResult
from workers.settings import Settings

log = logging.getLogger("ashshash.outbound")

TIMEOUT = (5.0, 20.0)  # connect, read: a phone on a local network answers fast or not at all
# The request itself is wrong: the same request again cannot succeed.
PERMANENT_HTTP = {400, 405, 413, 422}
# The route (404) or our credentials (401, 403) are wrong: every message would get the same
# answer, so none is failed for it; they wait queued and the dashboard shows the fault.
CONFIG_HTTP = {401, 403, 404}
# `/messages` is the route of the app since v1.28 and of its official client; `/message`
# is the older name, marked for removal on the server (after 2025-12-31), tried only
# when `/messages` answers 404 (an app older than v1.28).
ROUTES = ("/messages", "/message")
MIN_APP_VERSION = "1.39"  # `textMessage` in the local server's send request


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "..."


class SmsGateGateway:
    """POST {SMSGATE_URL}/messages with basic auth: the app's local (or cloud) server API."""

    name = "smsgate"

    def __init__(
        self,
        url: str | None,
        user: str | None,
        password: str | None,
        session: requests.Session | None = None,
    ) -> None:
        self.url = (url or "").strip().rstrip("/")
        self.auth = (user or "", password or "")
        self.http = session or requests.Session()
        self.route = ROUTES[0]  # moves to the old route once only it answers

    def send(self, to: str, text: str) -> SendResult:
        if not self.url.startswith(("http://", "https://")):
            return SendResult(ok=False, error="SMSGATE_URL is not set to an http(s) URL")
        body: dict[str, Any] = {
            "textMessage": {"text": text},
            "phoneNumbers": [to],
            "withDeliveryReport": True,
        }
        try:
            response = self._post(self.route, body)
            if response.status_code == 404:
                other = next(route for route in ROUTES if route != self.route)
                fallback = self._post(other, body)
                if fallback.status_code != 404:
                    log.warning(
                        "phone gateway: %s answers 404, %s works; using %s",
                        self.route,
                        other,
                        other,
                    )
                    self.route, response = other, fallback
        except requests.Timeout:
            return SendResult(ok=False, error="phone gateway timed out", retryable=True)
        except requests.RequestException as exc:
            return SendResult(
                ok=False, error=_clip(f"phone gateway unreachable: {exc}"), retryable=True
            )
        return _result(response, f"{self.url}{self.route}")

    def _post(self, route: str, body: dict[str, Any]) -> requests.Response:
        return self.http.post(f"{self.url}{route}", json=body, auth=self.auth, timeout=TIMEOUT)


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _result(response: requests.Response, url: str) -> SendResult:
    data = _json(response)
    if response.ok:
        message_id = data.get("id")
        state = str(data.get("state") or "Pending")
        if not message_id:
            return SendResult(
                ok=False,
                status=state,
                retryable=True,
                error="phone gateway accepted the message but gave no id",
            )
        if state == "Failed":
            reason = _recipient_error(data) or "failed on the phone"
            return SendResult(ok=False, status=state, provider_id=str(message_id), error=reason)
        return SendResult(ok=True, status=state, provider_id=str(message_id))
    code = response.status_code
    why = data.get("message") or data.get("error") or response.text or response.reason
    if code == 404:
        why = (
            f"no send route at {url} (check SMSGATE_URL: the app's address, e.g. "
            "http://192.168.1.20:8080, or https://api.sms-gate.app/3rdparty/v1)"
        )
    elif code in (401, 403):
        why = f"{why} (check SMSGATE_USER and SMSGATE_PASSWORD)"
    elif code == 500:
        # An app older than v1.39 has no `textMessage` and fails on it with a 500.
        why = (
            f"{why} (an SMS Gateway app older than v{MIN_APP_VERSION} answers this way: "
            "update the app on the phone)"
        )
    return SendResult(
        ok=False,
        status=str(code),
        error=_clip(f"phone gateway HTTP {code}: {why}"),
        retryable=code not in PERMANENT_HTTP,
        config_fault=code in CONFIG_HTTP,
    )


def _recipient_error(data: dict[str, Any]) -> str | None:
    for recipient in data.get("recipients") or []:
        if isinstance(recipient, dict) and recipient.get("error"):
            return _clip(str(recipient["error"]))
    return None


def create(settings: Settings) -> SmsGateGateway:
    return SmsGateGateway(settings.smsgate_url, settings.smsgate_user, settings.smsgate_password)
