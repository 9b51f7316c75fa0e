"""Who sends and who looks: reporters and their CSV imports, dashboard users, the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from schemas.tables.base import Base


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
