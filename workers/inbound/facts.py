"""What a batch reads once for all its messages, and each message's facts, always passed on."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from schemas.outcomes import Duplicate
from schemas.tables import InboundMessage, Reporter


@dataclass(frozen=True)
class Facts:
    """Facts from a batch's batch-wide queries, still true when the message's turn comes.

    `reporter` is the sender's registered reporter (active or not; None: a stranger). Whether
    the message has a record or a reply holds for the whole batch: only processing the
    message itself writes them. The duplicate answer holds only for the first message of its
    (sender, text) in the batch, and only when the first copy found is not itself a duplicate
    (whose status takes another query); otherwise `duplicate_checked` is False and the
    decision looks for a duplicate itself.
    """

    reporter: Reporter | None
    has_record: bool
    has_reply: bool
    duplicate_checked: bool = False
    duplicate: Duplicate | None = None


def reporters_of(session: Session, messages: list[InboundMessage]) -> dict[str, Reporter]:
    """The batch's senders that are registered, by phone, in one query.

    Reporters the session holds already (USSD and the simulator loaded the caller to draw
    their screens) are the very objects the query would return: no round trip for them."""
    phones = {m.sender for m in messages if m.sender}
    found: dict[str, Reporter] = {}
    for held in session.identity_map.values():
        # The loaded state only: reading an expired attribute would itself query.
        phone = inspect(held).dict.get("phone") if isinstance(held, Reporter) else None
        if phone in phones:
            found[phone] = held  # type: ignore[assignment]
    missing = phones - found.keys()
    if missing:
        found.update(
            (r.phone, r)
            for r in session.scalars(select(Reporter).where(Reporter.phone.in_(missing)))
        )
    return found


def with_rows(
    session: Session, column: InstrumentedAttribute[int | None], ids: list[int]
) -> set[int]:
    """Which of `ids` appear in `column` (a record's or reply's inbound id), in one query."""
    if not ids:
        return set()
    return {i for i in session.scalars(select(column).where(column.in_(ids))) if i is not None}
