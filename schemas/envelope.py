"""InboundEnvelope: one received message as every channel hands it to the store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class InboundEnvelope:
    """A message as a channel decoded it, before anything is built on it.

    `provider_id` is unique per `provider` (a repeat of it is the same message). The
    provider's values are data to check, not facts: the store cleans the text, reads the
    sender as E.164 and checks `provider_time` (None: none could be read) against
    `stored_at`, the time it reached us (None: the time it is stored).
    """

    channel: str  # sms | ussd
    provider: str  # at | smsgate | ussd | web | cli
    provider_id: str
    sender: str | None
    text: str | None
    provider_time: datetime | None
    to: str | None = None
    extra: Mapping[str, Any] | None = field(default=None, hash=False)
    stored_at: datetime | None = None

    def __post_init__(self) -> None:
        for name in ("provider_time", "stored_at"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{name} must be timezone-aware")

    def arrived(self, when: datetime) -> InboundEnvelope:
        """The same message with the time it reached us, if it has none yet."""
        return self if self.stored_at is not None else replace(self, stored_at=when)

    def to_payload(self) -> dict[str, Any]:
        """JSON-safe (times as ISO 8601 with their offset): the queue's copy of the message."""
        return {
            "channel": self.channel,
            "provider": self.provider,
            "provider_id": self.provider_id,
            "sender": self.sender,
            "text": self.text,
            "provider_time": _iso(self.provider_time),
            "to": self.to,
            "extra": dict(self.extra) if self.extra is not None else None,
            "stored_at": _iso(self.stored_at),
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> InboundEnvelope:
        """The envelope `to_payload` gave (also the keyword dict earlier releases queued)."""
        return cls(
            channel=payload["channel"],
            provider=payload["provider"],
            provider_id=payload["provider_id"],
            sender=payload.get("sender"),
            text=payload.get("text"),
            provider_time=_time(payload.get("provider_time")),
            to=payload.get("to"),
            extra=payload.get("extra"),
            stored_at=_time(payload.get("stored_at")),
        )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
