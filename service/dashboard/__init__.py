"""The dashboard blueprint: browser pages for the M&E officer, coordinators and viewers.

The room's rule: one module per page or page group, templates in `templates/`, words in
`strings.toml` (English and Bangla). Pages read through SQLAlchemy and change data only
through `workers` functions (reporters, undo, imports, outreach), so the SMS and the
browser make the same records and audit entries. May import Flask, every other `service`
package, `workers` and `schemas`; nothing imports the dashboard but the app factory.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import HTTPException

from service.dashboard import access, i18n
from service.web import db, settings

log = logging.getLogger("ashshash.dashboard")

bp = Blueprint(
    "dashboard",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/dashboard-static",
)


def _upload_limits() -> None:
    # Before the guard: its CSRF check reads the form, which applies the body size limit.
    from service.dashboard.reporter_upload import raise_upload_limit

    raise_upload_limit()


bp.before_request(_upload_limits)
bp.before_request(access.guard)

# Scripts are never needed (no JS at all); inline style attributes carry the chart bar widths.
_CSP = (
    "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


@bp.record_once
def _cookie_policy(state) -> None:  # type: ignore[no-untyped-def]
    # The login cookie never rides on a cross-site POST (CSRF defence in depth).
    if state.app.config.get("SESSION_COOKIE_SAMESITE") is None:
        state.app.config["SESSION_COOKIE_SAMESITE"] = "Lax"


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", _CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        # Seen over HTTPS (directly or via a trusted proxy): browsers keep to HTTPS from now.
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint not in ("dashboard.static", "dashboard.font"):
        # Pages can hold survivor codes: keep them out of shared caches and the back button.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.app_template_global()
def t(key: str) -> str:
    return i18n.t(key)


@bp.context_processor
def _globals() -> dict[str, object]:
    tz = settings().timezone
    return {
        "user": access.current_user(),
        "is_coordinator": access.is_coordinator(),
        "csrf_token": access.csrf_token,
        "lang": i18n.current_lang(),
        "num": i18n.num,
        "day": i18n.day,
        "moment": lambda value: i18n.moment(value, tz),
    }


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
    from service import error_headers

    key = {400: "error_400", 403: "error_403", 404: "error_404"}.get(exc.code or 500, "error_500")
    return (
        render_template("error.html", message_key=key, code=exc.code),
        exc.code,
        error_headers(exc),
    )


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
    # A bug shows a plain page; the traceback goes to the log, never to the browser.
    log.exception("dashboard error")
    try:
        db().rollback()
        return render_template("error.html", message_key="error_500", code=500), 500
    except Exception:  # noqa: BLE001 - the database itself may be what failed
        log.exception("error page failed")
        return i18n.t("error_500"), 500, {"Content-Type": "text/plain; charset=utf-8"}


from service.dashboard import (  # noqa: E402,F401  (views attach themselves to bp)
    dhis2,
    exports,
    fonts,
    login,
    messages,
    outreach,
    overview,
    people,
    providers,
    records,
    report,
    reporter_upload,
    reporters,
    simulator,
    users,
)
