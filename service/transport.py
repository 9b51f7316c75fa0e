"""HTTPS awareness: trust X-Forwarded-* only from PROXY_COUNT proxies; Secure cookies on HTTPS."""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from workers.settings import Settings


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie is `Secure` whenever the request came over HTTPS.

    Flask's SESSION_COOKIE_SECURE is one fixed value; here it follows the request, so one
    deployment can answer on plain HTTP locally (`ashshash serve`) and on HTTPS behind a proxy
    without the login cookie ever crossing the internet in clear.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        if app.config.get("SESSION_COOKIE_SECURE"):
            return True
        return has_request_context() and request.is_secure


def install(app: Flask, settings: Settings) -> None:
    """Apply the proxy headers of exactly PROXY_COUNT proxies (none by default: a client could
    forge them), and the HTTPS-aware session cookie."""
    if settings.proxy_count:
        n = settings.proxy_count
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n
        )
    app.session_interface = HttpsAwareSessionInterface()
