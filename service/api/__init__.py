"""The JSON API under /api/v1: bearer-token auth and the blueprint its routes hang on.

The room's rule: read-only JSON for other programs (records, indicators, the OpenAPI
document); viewers get the public, suppressed numbers. May import Flask, `service.web`,
`service.auth`, `service.reports` (the same indicator objects as the CLI), `workers` and
`schemas`; never the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from schemas.tables import User
from service.auth import user_for_token
from service.web import db

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def api_error(status: int, message: str) -> Response:
    response = jsonify(error=message)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="ashshash"'
    return response


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def require_token(view: Callable[..., Any]) -> Callable[..., Any]:
    """401 without a valid `Authorization: Bearer <token>`; the user is put on `g.api_user`.
    Then a 400 for any query parameter the description does not name."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        token = _bearer()
        if token is None:
            return api_error(401, "missing bearer token")
        user = user_for_token(db(), token)
        if user is None:
            return api_error(401, "invalid token")
        g.api_user = user
        refused = _only_described_parameters()
        if refused is not None:
            return refused
        return view(*args, **kwargs)

    return wrapped


def current_user() -> User:
    return g.api_user  # type: ignore[no-any-return]


def is_coordinator() -> bool:
    return current_user().role == "coordinator"


def _only_described_parameters() -> Response | None:
    """An unknown query parameter (a typo such as `form=`) is refused, not silently ignored."""
    from service.api.openapi import known_parameters

    path = request.path.removeprefix(bp.url_prefix or "")
    known = _KNOWN.setdefault("all", known_parameters()).get(path)
    if known is None:
        return None  # not a route: the 404 or 405 says so
    unknown = sorted(set(request.args) - known)
    if unknown:
        return api_error(400, f"unknown parameter {unknown[0]!r}: see /api/v1/openapi.json")
    return None


_KNOWN: dict[str, dict[str, frozenset[str]]] = {}


def load_routes() -> Blueprint:
    """The blueprint with every route module imported (each adds its routes to `bp`)."""
    from service.api import indicators, listing, openapi  # noqa: F401

    return bp
