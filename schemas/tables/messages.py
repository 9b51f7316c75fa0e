"""Messages in and out: inbound (every channel), outbound replies and notices, USSD ends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from schemas.tables.base import Base


class InboundMessage(Base):
    """Every message as received, stored before anything else happens to it."""

    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("provider", "provider_id", name="uq_inbound_provider_id"),
        Index("ix_inbound_status", "status"),
        Index("ix_inbound_sender_key", "sender", "text_key", "provider_time"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))  # sms | ussd
    provider: Mapped[str] = mapped_column(String(20))  # at | smsgate | ussd | cli | web
    provider_id: Mapped[str] = mapped_column(String(120))
    sender: Mapped[str | None] = mapped_column(String(40))  # E.164 when parseable; purged later
    to: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str | None] = mapped_column(Text)  # raw, as received; purged later
    text_key: Mapped[str | None] = mapped_column(String(64))  # hash of normalised text (dedupe)
    provider_time: Mapped[datetime]
    stored_at: Mapped[datetime]
    # received -> accepted | rejected | duplicate | ignored | failed (a bug, retried by requeue)
    status: Mapped[str] = mapped_column(String(12), default="received")
    reason: Mapped[str | None] = mapped_column(String(200))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("reporters.id"))
    record_id: Mapped[int | None] = mapped_column(Integer)  # the record it made or points at
    processed_at: Mapped[datetime | None]
    extra: Mapped[dict | None] = mapped_column(JSON)  # provider fields kept as received
    # Space-separated warnings about the message itself, e.g. "clock" (provider time not trusted).
    flags: Mapped[str | None] = mapped_column(String(60))


class OutboundMessage(Base):
    """A reply or notice, stored first and then sent by a job."""

    __tablename__ = "outbound_messages"
    __table_args__ = (
        Index("ix_outbound_status", "status"),
        Index("ix_outbound_provider_id", "provider_id"),
        Index("ix_outbound_to_kind", "to", "kind", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    inbound_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"), unique=True)
    to: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    # reply | not_registered | manual
    kind: Mapped[str] = mapped_column(String(20), default="reply")
    backend: Mapped[str] = mapped_column(String(20))
    # queued -> sent -> delivered | failed; provider_status keeps the provider's own word
    status: Mapped[str] = mapped_column(String(12), default="queued")
    provider_status: Mapped[str | None] = mapped_column(String(20))
    provider_id: Mapped[str | None] = mapped_column(String(120))
    cost: Mapped[str | None] = mapped_column(String(40))
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # SMS parts the text takes (what the monthly budget counts), and its broadcast if any.
    segments: Mapped[int | None] = mapped_column(Integer)
    broadcast_id: Mapped[int | None] = mapped_column(Integer, index=True)


class UssdEvent(Base):
    """An end-of-session notice from the USSD provider (abandoned sessions matter)."""

    __tablename__ = "ussd_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(120))
    status: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(40))
    input: Mapped[str | None] = mapped_column(Text)
    error_message: Mapped[str | None] = mapped_column(String(300))
    received_at: Mapped[datetime]
    extra: Mapped[dict | None] = mapped_column(JSON)
