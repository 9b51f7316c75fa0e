"""Dashboard users managed in the browser: invite, role, deactivation, one-time reset links.

No email is sent: an invitation or a reset is a one-time link that the coordinator sees once
and passes on. Only the link's hash is stored; it works once, within RESET_HOURS.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from schemas.actor import Actor
from schemas.tables import User
from service.auth import MIN_PASSWORD, ROLES, UserError, create_user, token_hash
from workers.apply.audit import audit

RESET_HOURS = 48


def _audit(session: Session, by: User, action: str, target: User, **detail: object) -> None:
    audit(
        session,
        actor=Actor.user(by.id),
        action=action,
        entity="users",
        entity_id=target.id,
        inbound_id=None,
        detail={"email": target.email, "by": by.email, **detail},
    )


def invite(session: Session, by: User, email: str, role: str) -> tuple[User, str]:
    """A new user who sets their own password through the returned one-time token."""
    # A random password nobody knows: the account is usable only through the link.
    user = create_user(session, email, role, secrets.token_urlsafe(32))
    _audit(session, by, "create", user, role=role)
    return user, issue_reset(session, by, user, action=None)


def issue_reset(session: Session, by: User, user: User, action: str | None = "reset") -> str:
    """A fresh one-time token for `user` (an earlier one stops working)."""
    token = secrets.token_urlsafe(32)
    user.reset_hash = token_hash(token)
    user.reset_expires_at = datetime.now(UTC) + timedelta(hours=RESET_HOURS)
    if action:
        _audit(session, by, action, user)
    session.flush()
    return token


def user_for_reset(session: Session, token: str) -> User | None:
    """The user a reset token belongs to while it is unused and unexpired, else None."""
    if not token or len(token) > 100:
        return None
    digest = token_hash(token)
    user = session.scalars(select(User).where(User.reset_hash == digest)).first()
    if user is None or not hmac.compare_digest(user.reset_hash or "", digest):
        return None
    expires = user.reset_expires_at
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    if not user.active or expires is None or expires < datetime.now(UTC):
        return None
    return user


def _check_new(password: str, again: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError("password_short")
    if password != again:
        raise UserError("password_mismatch")


def use_reset(session: Session, token: str, password: str, again: str) -> User:
    """Set the password through a token and spend the token. UserError names the problem."""
    user = user_for_reset(session, token)
    if user is None:
        raise UserError("reset_invalid")
    _check_new(password, again)
    user.password_hash = generate_password_hash(password)
    user.reset_hash = None
    user.reset_expires_at = None
    _audit(session, user, "password", user, via="link")
    session.flush()
    return user


def change_password(session: Session, user: User, current: str, password: str, again: str) -> None:
    """A user's own password, changed after proving the current one."""
    if not check_password_hash(user.password_hash, current or ""):
        raise UserError("password_wrong")
    _check_new(password, again)
    user.password_hash = generate_password_hash(password)
    _audit(session, user, "password", user, via="own")
    session.flush()


def set_role(session: Session, by: User, user: User, role: str) -> bool:
    """Change another user's role; nobody changes their own (no coordinator locks all out)."""
    if role not in ROLES:
        raise UserError("bad_role")
    if user.id == by.id:
        raise UserError("not_yourself")
    if user.role == role:
        return False
    old, user.role = user.role, role
    _audit(session, by, "role", user, old=old, new=role)
    session.flush()
    return True


def set_active(session: Session, by: User, user: User, active: bool) -> bool:
    """Deactivate (login, API token and reset links stop working) or reactivate a user."""
    if user.id == by.id:
        raise UserError("not_yourself")
    if user.active == active:
        return False
    user.active = active
    if not active:
        user.reset_hash = None
        user.reset_expires_at = None
    _audit(session, by, "reactivate" if active else "deactivate", user)
    session.flush()
    return True
