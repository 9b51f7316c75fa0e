"""Request-scoped access to the settings and a database session."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from workers.settings import Settings


def settings() -> Settings:
    return current_app.extensions["ashshash.settings"]  # type: ignore[no-any-return]


def db() -> Session:
    """The request's session; closed at teardown. Views commit explicitly."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["ashshash.sessions"]()
    return g.db_session  # type: ignore[no-any-return]
