"""Log masking: `/hooks/<token>/...` segments and configured secrets become `***` in every line.

Covers werkzeug's and gunicorn's request lines and the app's own records and tracebacks.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "***"
# The path segment after /hooks/ is the deployment's password, right or wrong: a near miss
# of the real token is as telling as the token itself.
_HOOK_SEGMENT = re.compile(r"(/hooks/)[^/\s?#\"']+")
# Loggers whose own records carry request lines: the dev server's and gunicorn's.
_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "ashshash")


def mask(text: str, secrets: Iterable[str] = ()) -> str:
    out = _HOOK_SEGMENT.sub(r"\1" + MASK, text)
    for secret in secrets:
        if secret and len(secret) >= 8:  # a short value would mask ordinary words
            out = out.replace(secret, MASK)
    return out


class MaskFilter(logging.Filter):
    """Rewrites a record's message (and formatted traceback) with the secrets masked."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message, self.secrets)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Format the traceback now so that its text, too, passes through the mask.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text, self.secrets)
        return True


_FILTER = MaskFilter()


def install(secrets: Iterable[str | None]) -> None:
    """Mask these secrets (and every hook token segment) in all log output; idempotent.

    Logger filters catch records made on the named loggers; handler filters on the root's
    handlers catch everything that propagates there (`ashshash.*`, libraries).
    """
    _FILTER.secrets.update(s for s in secrets if s)
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
