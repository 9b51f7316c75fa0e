"""What a viewer may see of survivor data: public counts only, small numbers hidden."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select

from schemas.commands import EVENT_KEYWORDS, SURVIVOR_KEYWORDS
from schemas.tables import InboundMessage, OutboundMessage, Record

# The Counter Trafficking Data Collaborative's threshold (indicators.md: k = 11).
K_THRESHOLD = 11


def public_count(n: int) -> int | str:
    """Counts from 1 to 10 are shown as "<11" so that no small group can be singled out."""
    return f"<{K_THRESHOLD}" if 0 < n < K_THRESHOLD else n


def viewer_may_read(keyword: str | None) -> bool:
    """A viewer may read a message's text only when it made an event record (no survivor data)."""
    return keyword in EVENT_KEYWORDS


def mask_phone(phone: str | None) -> str:
    """+8801712345678 -> +88017•••••678: enough to tell numbers apart, not to call them."""
    if not phone:
        return "—"
    if len(phone) <= 7:
        return "•" * len(phone)
    return phone[:6] + "•" * (len(phone) - 9) + phone[-3:]


# Records about one survivor (CC is a community session: participants, not survivor data).
SURVIVOR_ONLY = tuple(k for k in SURVIVOR_KEYWORDS if k != "CC")


def viewer_records() -> ColumnElement[bool]:
    """The records a viewer may count: any list or tally of the others would give exact
    survivor numbers (an "enrolment 1" bar, "1 found"), so viewers get event records only."""
    return Record.keyword.not_in(SURVIVOR_ONLY)


def viewer_inbound() -> ColumnElement[bool]:
    """Messages a viewer may count: all but those that made survivor records."""
    survivor_records = select(Record.id).where(Record.keyword.in_(SURVIVOR_ONLY))
    return or_(
        InboundMessage.record_id.is_(None), InboundMessage.record_id.not_in(survivor_records)
    )


def viewer_outbound() -> ColumnElement[bool]:
    """Outbound messages a viewer may count: all but replies to survivor reports."""
    hidden = select(InboundMessage.id).where(~viewer_inbound())
    return or_(OutboundMessage.inbound_id.is_(None), OutboundMessage.inbound_id.not_in(hidden))
