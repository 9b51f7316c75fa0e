"""What a viewer may see of survivor data: public counts only, small numbers hidden."""

from __future__ import annotations

from schemas.commands import EVENT_KEYWORDS

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
