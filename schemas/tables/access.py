"""Dashboard access: logged-in sessions (hashed tokens) and failed logins (hashed keys)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from schemas.tables.base import Base


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
