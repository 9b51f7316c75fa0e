"""Broadcasts: one text to a group (all, a role, an upazila, a union, or phones), stored once
with its messages in one transaction, then sent by the outreach queue in chunks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.replies.sms_length import segments
from schemas.tables import Broadcast, OutboundMessage, Reporter
from workers.db import session_scope
from workers.outbound.send import queue_reply
from workers.outreach.sending import enqueue_outreach
from workers.phones import to_e164
from workers.settings import Settings

ROLES = {
    "activist": "activist",
    "activists": "activist",
    "counsellor": "counsellor",
    "counsellors": "counsellor",
    "coordinator": "coordinator",
    "coordinators": "coordinator",
}
MAX_TEXT = 612  # four GSM-7 parts: a broadcast may be longer than a reply, not unbounded


class GroupError(ValueError):
    """The group names nobody this service knows, or the text cannot be sent."""


@dataclass(frozen=True)
class Plan:
    group: str
    text: str
    phones: list[str]
    per_message: int  # segments each recipient's message takes
    unknown: list[str]  # phones given that are not registered (still sent to)

    @property
    def segments(self) -> int:
        return self.per_message * len(self.phones)


def _phones(session: Session, group: str, region: str) -> tuple[list[str], list[str]]:
    active = select(Reporter.phone).where(Reporter.active.is_(True)).order_by(Reporter.id)
    word = group.strip()
    if word.lower() == "all":
        return list(session.scalars(active)), []
    if word.lower() in ROLES:
        return list(session.scalars(active.where(Reporter.role == ROLES[word.lower()]))), []
    for column in (Reporter.upazila, Reporter.union):
        found = list(session.scalars(active.where(func.lower(column) == word.lower())))
        if found:
            return found, []
    if any(ch.isdigit() for ch in word):
        phones: list[str] = []
        bad: list[str] = []
        for raw in word.replace(";", ",").split(","):
            if raw.strip():
                number = to_e164(raw.strip(), region)
                (phones if number else bad).append(number or raw.strip())
        if bad:
            raise GroupError(f"not a phone number: {bad[0]}")
        known = set(session.scalars(select(Reporter.phone).where(Reporter.phone.in_(phones))))
        unique = list(dict.fromkeys(phones))
        return unique, [p for p in unique if p not in known]
    raise GroupError(
        f"no one in group {group!r}: use all, a role (activist, counsellor, coordinator), "
        "an upazila, a union, or phone numbers separated by commas"
    )


def plan(session: Session, settings: Settings, group: str, text: str) -> Plan:
    """Who would get `text` and what it costs in segments; GroupError when it cannot go."""
    text = text.strip()
    if not text:
        raise GroupError("the text is empty")
    if len(text) > MAX_TEXT:
        raise GroupError(f"the text is {len(text)} characters; at most {MAX_TEXT}")
    phones, unknown = _phones(session, group, settings.default_region)
    if not phones:
        raise GroupError(f"no active reporter in group {group!r}")
    return Plan(group.strip(), text, phones, segments(text)[2], unknown)


def create(settings: Settings, group: str, text: str, actor: str) -> tuple[int, Plan]:
    """Store the broadcast and every message in one transaction, then enqueue the sending."""
    with session_scope(settings) as session:
        the_plan = plan(session, settings, group, text)
        broadcast = Broadcast(
            group=the_plan.group[:400],
            text=the_plan.text,
            recipients=len(the_plan.phones),
            segments=the_plan.segments,
            created_by=actor[:60],
            created_at=datetime.now(UTC),
        )
        session.add(broadcast)
        session.flush()
        for phone in the_plan.phones:
            queue_reply(
                session,
                settings,
                to=phone,
                text=the_plan.text,
                inbound_id=None,
                kind="broadcast",
                flush=False,
                broadcast_id=broadcast.id,
            )
        session.flush()
        broadcast_id = broadcast.id
        ids = list(
            session.scalars(
                select(OutboundMessage.id)
                .where(OutboundMessage.broadcast_id == broadcast_id)
                .order_by(OutboundMessage.id)
            )
        )
    enqueue_outreach(settings, ids, f"b{broadcast_id}")
    return broadcast_id, the_plan


def statuses(session: Session, broadcast_id: int) -> list[OutboundMessage]:
    return list(
        session.scalars(
            select(OutboundMessage)
            .where(OutboundMessage.broadcast_id == broadcast_id)
            .order_by(OutboundMessage.id)
        )
    )
