"""A webhook body without Content-Length (chunked) is held to MAX_BODY_BYTES like a declared one.

Werkzeug limits such a stream by cutting it at the limit: the form parser then says 413, but
`get_data` hands back the first MAX_BODY_BYTES as if that were the body (a JSON webhook
stored cut). Read it here, up to one byte past the limit, before any view touches it.
"""

from __future__ import annotations

import io

from flask import abort, current_app, request

CHUNK = 64 * 1024


def enforce_body_limit() -> None:
    """413 for an undeclared body longer than MAX_CONTENT_LENGTH; else make it a declared one."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    environ = request.environ
    if limit is None or request.content_length is not None or request.method != "POST":
        return
    stream = environ.get("wsgi.input")
    if stream is None:
        return
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        part = stream.read(min(CHUNK, limit + 1 - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    if size > limit:
        abort(413)
    body = b"".join(parts)
    # Before the first read of `request.stream` (a cached property): the views see a
    # plain body of known length.
    # (The WSGI request's own keys, not settings: `update` keeps them apart from the
    # environment variables tests/test_compose.py looks for.)
    environ.update({"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))})
    environ.pop("HTTP_TRANSFER_ENCODING", None)
