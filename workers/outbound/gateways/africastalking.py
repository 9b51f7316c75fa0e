"""The `africastalking` backend: the official SDK, its traps handled, its answers classified."""

from __future__ import annotations

import json
import logging
from typing import Any

import urllib3
from africastalking.Service import DEFAULT_TIMEOUT_S, AfricasTalkingException

from workers.outbound.gateways import SendResult
from workers.outbound.gateways.at_transport import SMS, Timeout, base_url
from workers.settings import Settings, at_username_problem

log = logging.getLogger("ashshash.outbound")

# Per-recipient statusCode in the send response (Africa's Talking SMS API).
ACCEPTED_CODES = {100, 101, 102}  # Processed, Success (sent), Queued
# Low balance and the provider's own outages pass: a later attempt may go through.
RETRYABLE_CODES = {405, 500, 501, 502}
# RiskHold, InvalidSenderId, InvalidPhoneNumber, UnsupportedNumberType, UserInBlacklist,
# CouldNotRoute, DoNotDisturbRejection: sending the same message again cannot help.
PERMANENT_CODES = {401, 402, 403, 404, 406, 407, 409}
# The same outcomes, as words in `Message` when a response lists no recipients at all.
RETRYABLE_WORDS = {
    "insufficientbalance",
    "internalservererror",
    "gatewayerror",
    "rejectedbygateway",
}
# An HTTP error body that says the request itself (or our account) is wrong, not the network.
PERMANENT_HTTP_HINTS = ("authentication", "invalid", "missing", "not allowed", "forbidden")


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_dict(response: Any) -> dict | None:
    """The SDK returns a dict only for content type exactly `application/json`, else the text."""
    if isinstance(response, dict):
        return response
    if isinstance(response, (str, bytes)):
        try:
            parsed = json.loads(response)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def _code(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def classify(response: Any, to: str) -> SendResult:
    """One SendResult from the SDK's answer to a one-recipient send."""
    return classify_many(response, [to])[0]


def classify_many(response: Any, numbers: list[str]) -> list[SendResult]:
    """One SendResult per number, in order, from the answer to a send with that list."""
    body = _as_dict(response)
    data = body.get("SMSMessageData") if body else None
    if not isinstance(data, dict):
        # Accepted over HTTP but unreadable: resending could text the person twice.
        unreadable = SendResult(
            ok=False, status="unreadable", error=_clip(f"unreadable response: {response!r}")
        )
        return [unreadable] * len(numbers)
    recipients = [r for r in data.get("Recipients") or [] if isinstance(r, dict)]
    if not recipients:
        # e.g. 201 {"Message": "InvalidSenderId", "Recipients": []}: nothing was sent.
        message = str(data.get("Message") or "no recipients in response")
        retryable = message.replace(" ", "").lower() in RETRYABLE_WORDS
        nothing = SendResult(
            ok=False, status=_clip(message, 60), error=_clip(message), retryable=retryable
        )
        return [nothing] * len(numbers)
    by_number = {str(r.get("number")): r for r in recipients}
    if len(numbers) == 1:
        # One number asked: its entry, even where the provider wrote the number its own way.
        return [_recipient(by_number.get(numbers[0], recipients[0]))]
    results = []
    for number in numbers:
        entry = by_number.get(number)
        if entry is None:
            # Not in the answer: the provider may or may not have sent it, so it is not
            # sent again (that could text the person twice); the reason says so.
            results.append(
                SendResult(
                    ok=False, status="not-listed", error="not listed in Africa's Talking's answer"
                )
            )
        else:
            results.append(_recipient(entry))
    return results


def _recipient(mine: dict[str, Any]) -> SendResult:
    code = _code(mine.get("statusCode"))
    status = _clip(str(mine.get("status") or code or "unknown"), 60)
    message_id = mine.get("messageId")
    provider_id = str(message_id) if message_id not in (None, "", "None") else None
    cost = mine.get("cost")
    cost = str(cost) if cost not in (None, "", "0") else None
    if code in ACCEPTED_CODES:
        return SendResult(ok=True, status=status, provider_id=provider_id, cost=cost)
    retryable = code in RETRYABLE_CODES or (
        code is not None and code >= 500 and code not in PERMANENT_CODES
    )
    return SendResult(
        ok=False,
        status=status,
        provider_id=provider_id,
        error=_clip(f"{status} ({code})"),
        retryable=retryable,
    )


def _http_error(exc: AfricasTalkingException) -> SendResult:
    # The SDK raises for any non-2xx answer with only the body as the message (no status
    # code), so the body's words decide: a refusal of our request or account is permanent,
    # anything else (5xx pages, proxies, empty bodies) is treated as an outage.
    text = str(exc)
    permanent = any(hint in text.lower() for hint in PERMANENT_HTTP_HINTS)
    return SendResult(
        ok=False,
        status="http-error",
        error=_clip(f"Africa's Talking refused the request: {text or 'empty body'}"),
        retryable=not permanent,
    )


class AfricasTalkingGateway:
    """Sends through Africa's Talking; every provider or network failure becomes a result."""

    name = "africastalking"

    def __init__(self, settings: Settings, timeout: Timeout = DEFAULT_TIMEOUT_S) -> None:
        base = base_url(settings.at_api_base)
        if not settings.at_api_key:
            # Every send would be refused; say so once, plainly, instead of per message.
            raise ValueError("SMS_BACKEND=africastalking needs AT_API_KEY (and AT_USERNAME)")
        if not settings.at_username.strip():
            raise ValueError(at_username_problem(settings.with_(sms_backend="africastalking")))
        self._sms = SMS(
            settings.at_username.strip(), settings.at_api_key, base, settings.send_concurrency
        )
        self._sender_id = settings.at_sender_id or None
        self._timeout = timeout

    @property
    def messaging_url(self) -> str:
        return self._sms._make_url("/messaging")

    def send(self, to: str, text: str) -> SendResult:
        return self.send_many([to], text)[0]

    def send_many(self, numbers: list[str], text: str) -> list[SendResult]:
        """One request for `text` to every number (the API takes a comma-separated list)."""

        def every(result: SendResult) -> list[SendResult]:
            return [result] * len(numbers)

        try:
            response = self._sms.send(
                text, list(numbers), sender_id=self._sender_id, timeout=self._timeout
            )
        except ValueError as exc:  # the SDK's own check of the numbers' shape
            if len(numbers) > 1:
                # One bad number fails the whole list in the SDK: ask for each alone.
                return [self.send_many([number], text)[0] for number in numbers]
            return every(SendResult(ok=False, status="invalid-number", error=_clip(str(exc))))
        except AfricasTalkingException as exc:
            return every(_http_error(exc))
        except urllib3.exceptions.TimeoutError as exc:
            if isinstance(exc, urllib3.exceptions.NewConnectionError):
                # A refused or unroutable connection (urllib3 files it under timeouts).
                return every(_unreachable(exc))
            return every(
                SendResult(
                    ok=False,
                    status="timeout",
                    error="Africa's Talking did not answer in time",
                    retryable=True,
                )
            )
        except urllib3.exceptions.HTTPError as exc:
            return every(_unreachable(exc))
        results = classify_many(response, list(numbers))
        refused = [r for r in results if not r.ok]
        if refused:
            log.warning(
                "Africa's Talking did not accept %d of %d: %s",
                len(refused),
                len(results),
                refused[0].error,
            )
        return results


def _unreachable(exc: urllib3.exceptions.HTTPError) -> SendResult:
    """A network failure: retryable, named by its kind, never by its text (which may hold
    the URL and its query)."""
    connection = (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ProtocolError)
    kind = "ConnectionError" if isinstance(exc, connection) else type(exc).__name__
    return SendResult(
        ok=False,
        status="network-error",
        error=_clip(f"could not reach Africa's Talking: {kind}"),
        retryable=True,
    )


def create(settings: Settings) -> AfricasTalkingGateway:
    return AfricasTalkingGateway(settings)
