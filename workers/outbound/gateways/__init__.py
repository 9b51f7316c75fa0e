"""The one small protocol every SMS backend speaks, and the choice of backend from settings.

The room's rule: one module per provider (`outbox`, `africastalking`, `smsgate`), each a
`Gateway` that sends a batch of same-text messages and returns one `SendResult` per
recipient; nothing here reads or writes the database (send.py records the results). May
import `workers.settings`, `schemas` and the provider's client library; never Flask or
`service`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Protocol

from workers.settings import Settings


@dataclass(frozen=True, kw_only=True)
class SendResult:
    """What a backend says about one attempt to send one message.

    ok: the provider accepted the message (it may still fail to deliver later).
    status: the provider's own word for this attempt ("Success", "outbox", "InvalidSenderId").
    provider_id: the id delivery reports will carry, when the provider gives one.
    cost: the provider's cost string as given ("KES 0.8000"), when it gives one.
    error: why it was not accepted, in words fit for the dashboard.
    retryable: a later attempt may succeed (outage, timeout, low balance); else permanent.
    config_fault: the backend itself is set up wrong (a gateway URL answering 404): the
        message is kept queued however many attempts fail, and the dashboard shows the fault.
    """

    ok: bool
    status: str | None = None
    provider_id: str | None = None
    cost: str | None = None
    error: str | None = None
    retryable: bool = False
    config_fault: bool = False


class Gateway(Protocol):
    """A backend: sends one text to one E.164 number and never raises for provider errors.

    Provider refusals, HTTP errors, timeouts and connection errors come back as a SendResult
    with ok=False (retryable set as appropriate); only bugs raise.
    """

    name: str

    def send(self, to: str, text: str) -> SendResult: ...


# Backend name -> module under workers.outbound.gateways. Each module exposes `create(settings)`
# returning a Gateway; modules are imported only when chosen, so an optional backend's
# dependencies never load for deployments that do not use it.
_MODULES = {
    "outbox": "outbox",
    "africastalking": "africastalking",
    "smsgate": "smsgate",
}


class UnknownBackendError(ValueError):
    """SMS_BACKEND names no backend this build knows."""


def gateway_for(settings: Settings) -> Gateway:
    """The backend named by settings.sms_backend (SMS_BACKEND)."""
    module_name = _MODULES.get(settings.sms_backend)
    if module_name is None:
        raise UnknownBackendError(f"SMS_BACKEND {settings.sms_backend!r} is not a known backend")
    module = import_module(f"workers.outbound.gateways.{module_name}")
    gateway: Gateway = module.create(settings)
    return gateway
