"""What accepted commands make: records, survivors (a code, no name) and referrals."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Computed,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from schemas.report_bits import report_bits_sql
from schemas.tables.base import Base


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
