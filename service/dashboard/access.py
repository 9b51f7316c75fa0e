"""Who is logged in, what their role lets them do, and the CSRF token every POST form carries."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, redirect, request, session, url_for

from schemas.tables import User
from service.dashboard import sessions
from service.web import db

F = TypeVar("F", bound=Callable[..., Any])

COORDINATOR = "coordinator"
# Reachable without a login: the login page, the language switch, the stylesheet and font, and
# the one-time password link (the token in its URL is the proof).
PUBLIC_ENDPOINTS = frozenset(
    {
        "dashboard.login",
        "dashboard.set_lang",
        "dashboard.static",
        "dashboard.font",
        "dashboard.reset_password",
    }
)


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf() -> None:
    """Every POST must echo the session's token; a forged cross-site form cannot know it."""
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf", "")
    if not expected or not hmac.compare_digest(str(sent), str(expected)):
        abort(400, description="csrf")


def current_user() -> User | None:
    if "user" not in g:
        # The cookie only names a server-side session: one ended by logout finds no user,
        # and a deactivated user's open session ends with their next click.
        user = sessions.user_for(db(), session.get("sid"))
        g.user = user if user is not None and user.active else None
    return g.user  # type: ignore[no-any-return]


def is_coordinator() -> bool:
    user = current_user()
    return user is not None and user.role == COORDINATOR


def log_in(user: User) -> None:
    # A fresh session on login: a token planted before login cannot ride into the new one.
    lang = session.get("lang")
    session.clear()
    session["sid"] = sessions.start(db(), user)
    db().commit()
    if lang:
        session["lang"] = lang
    session["csrf"] = secrets.token_urlsafe(32)
    g.user = user


def log_out() -> None:
    # Deleted on the server: a copy of the cookie taken before logout no longer logs in.
    sessions.end(db(), session.get("sid"))
    db().commit()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def guard():  # type: ignore[no-untyped-def]
    """Runs before every dashboard view: the CSRF check on any POST, then login."""
    if request.endpoint in PUBLIC_ENDPOINTS and request.method != "POST":
        return None
    if request.method == "POST":
        check_csrf()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if current_user() is None:
        return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))
    return None


def coordinator_only(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not is_coordinator():
            abort(403)
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def safe_next(target: str | None) -> str:
    """Only a local path may follow login, so the login page cannot bounce users elsewhere.

    Browsers drop tabs and newlines inside URLs ("/<tab>/evil" becomes "//evil"), so any
    whitespace or control character disqualifies the target too.
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target)
    ):
        return target
    return url_for("dashboard.overview")
