"""Server-side dashboard sessions: the cookie names a row, and logout deletes that row."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from schemas.tables import DashboardSession, User

# A login lasts a working day at most: a cookie left on a shared or seized device expires.
MAX_AGE = timedelta(hours=12)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def start(session: Session, user: User, now: datetime | None = None) -> str:
    """A new session row for `user` (flushed, not committed); returns the cookie's token."""
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    session.add(DashboardSession(id=_digest(token), user_id=user.id, created_at=now))
    # Expired rows of anyone go with each login, so the table stays the size of the logged-in.
    session.execute(delete(DashboardSession).where(DashboardSession.created_at < now - MAX_AGE))
    session.flush()
    return token


def user_for(session: Session, token: object, now: datetime | None = None) -> User | None:
    """The user of a live session token, or None (unknown, ended or expired)."""
    if not isinstance(token, str) or not token:
        return None
    row = session.execute(
        select(DashboardSession, User)
        .join(User, User.id == DashboardSession.user_id)
        .where(DashboardSession.id == _digest(token))
    ).first()
    if row is None:
        return None
    live, user = row
    if _aware(live.created_at) < (now or datetime.now(UTC)) - MAX_AGE:
        return None
    return user  # type: ignore[no-any-return]


def end(session: Session, token: object) -> None:
    """Forget the session (not committed); a missing or unknown token is fine."""
    if isinstance(token, str) and token:
        session.execute(delete(DashboardSession).where(DashboardSession.id == _digest(token)))
