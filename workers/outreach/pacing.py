"""SMSGATE_RATE: how many outreach messages one Android phone may send now.

Android lets an app send about 30 SMS per 30 minutes without asking the user. Replies are
never held, so they count against the window first; outreach gets what is left, and what
does not fit stays queued for a later window (never dropped).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.tables import OutboundMessage
from workers.settings import Settings, SettingsError

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*([smh]?)\s*$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "": 60}


def parse_rate(raw: str) -> tuple[int, timedelta]:
    """`30/30m` -> (30, 30 minutes); `20/1h`, `10/600s`; a bare number of minutes too."""
    found = _RATE.match(raw)
    if not found or int(found.group(1)) < 1 or int(found.group(2)) < 1:
        raise SettingsError(f"SMSGATE_RATE must look like 30/30m (messages/window), got {raw!r}")
    window = timedelta(seconds=int(found.group(2)) * _UNIT[found.group(3)])
    return int(found.group(1)), window


def allowance(session: Session, settings: Settings, now: datetime) -> int:
    """Outreach messages the phone may still send in the current window."""
    limit, window = parse_rate(settings.smsgate_rate)
    used = session.scalar(
        select(func.count()).where(
            OutboundMessage.backend == "smsgate",
            OutboundMessage.attempts > 0,
            OutboundMessage.updated_at >= now - window,
        )
    )
    return max(0, limit - int(used or 0))
