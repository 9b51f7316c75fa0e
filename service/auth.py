"""Dashboard and API users: creation, password login and bearer API tokens (stored hashed)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from schemas.tables import User

ROLES = ("coordinator", "viewer")
MIN_PASSWORD = 8
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A fixed hash to check against when the email is unknown, so that a wrong email and a
# wrong password take the same time (no user enumeration by timing).
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class UserError(ValueError):
    """A user request that cannot be done; the message is one line, safe to show."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def find_user(session: Session, email: str) -> User | None:
    wanted = normalise_email(email)
    return session.scalars(select(User).where(func.lower(User.email) == wanted)).first()


def create_user(session: Session, email: str, role: str, password: str) -> User:
    """Add a user (not committed). Raises UserError for a bad email, role or password."""
    address = normalise_email(email)
    if not _EMAIL.match(address):
        raise UserError(f"not an email address: {email!r}")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password must be at least {MIN_PASSWORD} characters")
    if find_user(session, address) is not None:
        raise UserError(f"user {address} already exists")
    user = User(
        email=address,
        role=role,
        password_hash=generate_password_hash(password),
        created_at=datetime.now(UTC),
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user with that email and password, or None (same cost either way)."""
    user = find_user(session, email or "")
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    # Checked after the hash, so a deactivated account costs the same time as any other.
    return user if user.active else None


def issue_token(session: Session, email: str) -> str:
    """A new API token for the user (replacing any earlier one); only its hash is stored."""
    user = find_user(session, email)
    if user is None:
        raise UserError(f"no user {normalise_email(email)}")
    token = secrets.token_urlsafe(32)
    user.token_hash = token_hash(token)
    session.flush()
    return token


def user_for_token(session: Session, token: str | None) -> User | None:
    """The user holding this API token, or None for a missing or unknown token."""
    if not token:
        return None
    digest = token_hash(token)
    user = session.scalars(select(User).where(User.token_hash == digest)).first()
    # The lookup is by hash, so timing reveals nothing about the token; compare anyway.
    if user is None or not hmac.compare_digest(user.token_hash or "", digest):
        return None
    return user if user.active else None
