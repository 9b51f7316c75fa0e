"""The Flask application factory: settings in, app out; nothing connects at import time.

The room's rule (`service/`, the front door): HTTP (webhooks in `hooks/`, the JSON API in
`api/`, the dashboard in `dashboard/`), the donor report (`reports/`), DHIS2 values
(`dhis2/`) and the `ashshash` command line (`cli/`). It may import `workers` and `schemas`
and anything web-facing (Flask, click); nothing below imports it back, so the direction
service -> workers -> schemas holds (tests/test_architecture.py checks it). A view or a
command opens and commits the session; the work itself is done by `workers` functions.
"""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify
from werkzeug.exceptions import HTTPException

from workers.db import session_factory
from workers.settings import Settings, load_settings

log = logging.getLogger("ashshash")


def error_headers(exc: HTTPException) -> list[tuple[str, str]]:
    """The headers an HTTP error carries besides its body (a 405's `Allow`, a 401's challenge)."""
    return [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["SECRET_KEY"] = settings.secret_key
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.extensions["ashshash.settings"] = settings
    app.extensions["ashshash.sessions"] = session_factory(settings)
    from service import logmask, transport

    transport.install(app, settings)
    logmask.install((settings.webhook_token, settings.metrics_token))

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        return jsonify(error=exc.name, detail=exc.description), exc.code, error_headers(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        # A bug must never show a traceback to a user or a provider; it goes to the log.
        log.exception("unhandled error")
        return jsonify(error="Internal Server Error"), 500

    from service.blueprints import register_blueprints

    register_blueprints(app)
    return app
