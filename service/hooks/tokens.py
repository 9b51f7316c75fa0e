"""The webhook path secret: constant-time check, logged refusal, 404 that stores nothing."""

from __future__ import annotations

import hmac
import logging

from flask import abort, request

from workers.settings import Settings

log = logging.getLogger("ashshash.hooks")


def token_matches(settings: Settings, token: str | None) -> bool:
    """True when `token` is the deployment's WEBHOOK_TOKEN (compared in constant time)."""
    expected = settings.webhook_token.encode()
    given = (token or "").encode()
    # An empty configured token must never match an empty path segment.
    return bool(expected) and hmac.compare_digest(expected, given)


def require_token(settings: Settings, token: str | None) -> None:
    """Abort with 404 (as if the route did not exist) unless the token matches."""
    if token_matches(settings, token):
        return
    # Never log the token that was tried: it may be a near-miss of the real one.
    log.warning(
        "webhook refused: wrong token from %s for %s",
        request.remote_addr,
        request.url_rule.rule if request.url_rule else request.path.rsplit("/", 2)[-1],
    )
    abort(404)
