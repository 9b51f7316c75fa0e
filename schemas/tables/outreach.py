"""What the service sends on its own: reminder/follow-up/digest sends and broadcasts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from schemas.tables.base import Base


class OutreachSend(Base):
    """One reminder, follow-up or digest sent for a reason: the guard against sending twice.

    (rule, reporter, subject, step) is unique, so a reason is texted once; (rule, reporter,
    day) is unique, so a person gets at most one message per rule per project day. Two
    workers running the same rules race to insert; the loser's transaction is rolled back.
    """

    __tablename__ = "outreach_sends"
    __table_args__ = (
        UniqueConstraint("rule", "reporter_id", "subject", "step", name="uq_outreach_reason"),
        UniqueConstraint("rule", "reporter_id", "day", name="uq_outreach_person_day"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(30))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"))
    subject: Mapped[str] = mapped_column(String(60))  # e.g. "R12", "since 2026-10-01"
    step: Mapped[int] = mapped_column(Integer)  # 1 reminder, 2 second reminder, 3 coordinator
    day: Mapped[date] = mapped_column(Date)  # project-time day it was sent
    outbound_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_messages.id"))
    created_at: Mapped[datetime]


class Broadcast(Base):
    """One text a coordinator sent to a group; its messages carry its id."""

    __tablename__ = "broadcasts"
    id: Mapped[int] = mapped_column(primary_key=True)
    group: Mapped[str] = mapped_column(String(400))  # as asked: all, a role, a place, phones
    text: Mapped[str] = mapped_column(Text)
    recipients: Mapped[int] = mapped_column(Integer)
    segments: Mapped[int] = mapped_column(Integer)  # total parts for every recipient
    created_by: Mapped[str] = mapped_column(String(60))  # "user:<id>" or "cli"
    created_at: Mapped[datetime]
