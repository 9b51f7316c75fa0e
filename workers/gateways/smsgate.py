"""The `smsgate` backend: an Android phone running SMS Gateway for Android sends through its SIM."""

from __future__ import annotations

import logging
from typing import Any

import requests

from workers.gateways import SendResult
from workers.settings import Settings

log = logging.getLogger("ashshash.outbound")

TIMEOUT = (5.0, 20.0)  # connect, read: a phone on a local network answers fast or not at all
# The request itself or our credentials are wrong: the same request again cannot succeed.
PERMANENT_HTTP = {400, 401, 403, 404, 405, 413, 422}


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "..."


class SmsGateGateway:
    """POST {SMSGATE_URL}/message with basic auth: the app's local (or cloud) server API."""

    name = "smsgate"

    def __init__(self, url: str | None, user: str | None, password: str | None,
                 session: requests.Session | None = None) -> None:
        self.url = (url or "").strip().rstrip("/")
        self.auth = (user or "", password or "")
        self.http = session or requests.Session()

    def send(self, to: str, text: str) -> SendResult:
        if not self.url.startswith(("http://", "https://")):
            return SendResult(ok=False, error="SMSGATE_URL is not set to an http(s) URL")
        body: dict[str, Any] = {
            "textMessage": {"text": text}, "phoneNumbers": [to], "withDeliveryReport": True,
        }
        try:
            response = self.http.post(f"{self.url}/message", json=body, auth=self.auth,
                                      timeout=TIMEOUT)
        except requests.Timeout:
            return SendResult(ok=False, error="phone gateway timed out", retryable=True)
        except requests.RequestException as exc:
            return SendResult(ok=False, error=_clip(f"phone gateway unreachable: {exc}"),
                              retryable=True)
        return _result(response)


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _result(response: requests.Response) -> SendResult:
    data = _json(response)
    if response.ok:
        message_id = data.get("id")
        state = str(data.get("state") or "Pending")
        if not message_id:
            return SendResult(ok=False, status=state, retryable=True,
                              error="phone gateway accepted the message but gave no id")
        if state == "Failed":
            reason = _recipient_error(data) or "failed on the phone"
            return SendResult(ok=False, status=state, provider_id=str(message_id), error=reason)
        return SendResult(ok=True, status=state, provider_id=str(message_id))
    why = data.get("message") or data.get("error") or response.text or response.reason
    return SendResult(
        ok=False,
        status=str(response.status_code),
        error=_clip(f"phone gateway HTTP {response.status_code}: {why}"),
        retryable=response.status_code not in PERMANENT_HTTP,
    )


def _recipient_error(data: dict[str, Any]) -> str | None:
    for recipient in data.get("recipients") or []:
        if isinstance(recipient, dict) and recipient.get("error"):
            return _clip(str(recipient["error"]))
    return None


def create(settings: Settings) -> SmsGateGateway:
    return SmsGateGateway(settings.smsgate_url, settings.smsgate_user, settings.smsgate_password)
