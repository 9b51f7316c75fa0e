"""SQLAlchemy 2 declarative tables: declarations only, no sessions and no queries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from schemas.report_bits import report_bits_sql


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True)}


class Reporter(Base):
    """A registered sender: known only by phone; survivors are never reporters."""

    __tablename__ = "reporters"
    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)  # E.164
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))  # activist | counsellor | coordinator
    union: Mapped[str | None] = mapped_column(String(60))  # English gazetteer union name
    upazila: Mapped[str | None] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(2), default="en")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


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


class Survivor(Base):
    """A survivor known only by a random code: no name, no contact details."""

    __tablename__ = "survivors"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    sex: Mapped[str] = mapped_column(String(1))
    age: Mapped[int] = mapped_column(Integer)
    is_child: Mapped[bool] = mapped_column(Boolean)
    upazila: Mapped[str | None] = mapped_column(String(60))
    union: Mapped[str | None] = mapped_column(String(60))
    enrolled_on: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False once its ENR is undone
    created_at: Mapped[datetime]


class Referral(Base):
    """A referral R<id> to a service; its outcome follows the latest active REF R<n> record."""

    __tablename__ = "referrals"
    id: Mapped[int] = mapped_column(primary_key=True)  # shown as R<id>
    survivor_id: Mapped[int] = mapped_column(ForeignKey("survivors.id"))
    service: Mapped[str] = mapped_column(String(12))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"))
    referred_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(4))  # DONE | NO | None (open)
    outcome_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


# The rows of ix_records_survivor_pass. A query uses the index only when its WHERE states
# both conditions, 'active' as a literal (a bound value would hide it from a generic plan).
_SURVIVOR_PASS = "status = 'active' AND survivor_id IS NOT NULL"


class Record(Base):
    """One accepted command: an event, a survivor service, a referral or its outcome."""

    __tablename__ = "records"
    __table_args__ = (
        # The counts and sums carried along (PostgreSQL INCLUDE) let the report's event and
        # international day queries read the index alone.
        Index(
            "ix_records_kw_date",
            "keyword",
            "status",
            "activity_date",
            postgresql_include=[
                "day_code",
                "total",
                "m",
                "f",
                "o",
                "students",
                "teachers",
                "parents",
                "youths",
                "cbo",
            ],
        ),
        Index("ix_records_survivor", "survivor_id", "keyword", "activity_date"),
        Index("ix_records_place", "upazila", "union"),
        # Date ranges over every record (the dashboard's month by keyword, listings).
        Index(
            "ix_records_period",
            "activity_date",
            "status",
            "survivor_id",
            "keyword",
            "service",
            "partner",
            "members",
        ),
        # Completed referrals without visiting the table (their rows lie scattered in it).
        Index("ix_records_outcome", "keyword", "outcome", "activity_date", "status", "referral_id"),
        # Exactly what the report's per-survivor pass reads (an index-only scan of one
        # period): active survivor records only, so no status to check and no events to skip.
        Index(
            "ix_records_survivor_pass",
            "activity_date",
            "survivor_id",
            "report_bits",
            "members",
            postgresql_where=text(_SURVIVOR_PASS),
            sqlite_where=text(_SURVIVOR_PASS),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)  # the record number users see
    inbound_id: Mapped[int] = mapped_column(ForeignKey("inbound_messages.id"), unique=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"))
    channel: Mapped[str] = mapped_column(String(10))
    keyword: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | cancelled
    activity_date: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime]  # provider time of the source message
    total: Mapped[int | None] = mapped_column(Integer)
    m: Mapped[int | None] = mapped_column(Integer)
    f: Mapped[int | None] = mapped_column(Integer)
    o: Mapped[int | None] = mapped_column(Integer)
    students: Mapped[int | None] = mapped_column(Integer)
    teachers: Mapped[int | None] = mapped_column(Integer)
    parents: Mapped[int | None] = mapped_column(Integer)
    youths: Mapped[int | None] = mapped_column(Integer)
    cbo: Mapped[int | None] = mapped_column(Integer)
    day_code: Mapped[str | None] = mapped_column(String(8))
    # Events: the event's place. Survivor records: the survivor's registered place, copied
    # at write time so that filters by upazila/union are one indexed lookup.
    upazila: Mapped[str | None] = mapped_column(String(60))
    union: Mapped[str | None] = mapped_column(String(60))
    survivor_id: Mapped[int | None] = mapped_column(ForeignKey("survivors.id"))
    members: Mapped[int | None] = mapped_column(Integer)
    service: Mapped[str | None] = mapped_column(String(12))
    referral_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(4))
    kinds: Mapped[str | None] = mapped_column(String(60))  # EMG kinds, space separated
    partner: Mapped[str | None] = mapped_column(String(20))
    topic: Mapped[str | None] = mapped_column(Text)  # TRN ... TOPIC free text, never replied
    # The survivor was under 18 at enrolment: copied at write time, like the place, so that
    # the report counts children without a join to survivors.
    survivor_child: Mapped[bool] = mapped_column(Boolean, default=False)
    # The survivor count this record feeds as one bit, plus the child bit
    # (schemas/report_bits.py). Computed by the database on every write, so it cannot drift
    # from keyword, service, partner and survivor_child.
    report_bits: Mapped[int] = mapped_column(Integer, Computed(report_bits_sql(), persisted=True))
    created_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[int | None] = mapped_column(Integer)  # inbound message id of the UNDO


class AuditEntry(Base):
    """Every change: who, when, what, and from which message."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(60))  # "reporter:<id>", "user:<id>", "system"
    action: Mapped[str] = mapped_column(String(30))  # create | cancel | lang | import | ...
    entity: Mapped[str] = mapped_column(String(30))  # table name
    entity_id: Mapped[int | None] = mapped_column(Integer)
    inbound_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict | None] = mapped_column(JSON)


class User(Base):
    """A dashboard / API user (M&E officer, coordinator, viewer)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # coordinator | viewer
    password_hash: Mapped[str] = mapped_column(String(300))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    # A deactivated user can neither log in nor use an API token; the row stays for the audit.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    # A one-time password reset link: only its hash is kept, and it stops working when used.
    reset_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    reset_expires_at: Mapped[datetime | None]


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


class DashboardSession(Base):
    """A logged-in browser: the cookie carries a token, only its hash is kept; logout deletes."""

    __tablename__ = "dashboard_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]


class LoginFailure(Base):
    """One failed dashboard login, under a hashed key (account+address, or address alone).

    Only used when REDIS_URL is unset; with Redis the same counts live there.
    """

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))  # sha256 hex: no email or address in clear
    at: Mapped[datetime] = mapped_column(index=True)
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)


class ReporterImport(Base):
    """A reporters CSV uploaded on the dashboard, imported a slice at a time (progress shown)."""

    __tablename__ = "reporter_imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(200))
    csv_text: Mapped[str | None] = mapped_column(Text)  # cleared once the import is done
    total: Mapped[int] = mapped_column(Integer, default=0)  # data rows in the file
    done: Mapped[int] = mapped_column(Integer, default=0)  # rows checked so far
    status: Mapped[str] = mapped_column(String(10), default="running")  # running | done
    # Counts, the per-row problems and the phones seen so far (JSON, see workers.reporter_import)
    result: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


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
