"""Who gets no reply although the message is processed: floods, loops, impossible numbers.

Every message is still stored and processed; these rules only decide whether an SMS goes
back, because each reply costs money and an auto-responder answers every reply it gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.commands import ErrorCode
from schemas.outcomes import Outcome, Rejected
from schemas.provider_values import with_flag
from schemas.replies.pause import with_pause_notice
from schemas.tables import InboundMessage
from workers.apply.records import aware
from workers.outbound.throttle import Budget, Pressure
from workers.phones import to_e164
from workers.settings import Settings

# The same text from one number answered this often within the hour: an auto-responder
# (or a stuck phone) repeating itself; further copies are processed without a reply.
LOOP_REPEATS = 3
EMPTY_AGAIN = timedelta(minutes=10)


@dataclass(frozen=True)
class Verdict:
    reply: str | None
    flag: str | None = None  # a word for inbound_messages.flags: throttled | loop


@lru_cache(maxsize=8192)
def possible_number(sender: str) -> bool:
    """A number `phonenumbers` finds possible; a 39-digit "+888…" is not, and gets nothing."""
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(sender, None))
    except phonenumbers.NumberParseException:
        return False


def own_number(settings: Settings, message: InboundMessage) -> bool:
    """The sender is one of the service's own numbers (the number written to, our sender
    id): answering would be talking to ourselves."""
    sender = message.sender
    listed = [n.strip() for n in settings.own_numbers.split(",") if n.strip()]
    ours = {message.to, settings.at_sender_id, *listed}
    ours |= {to_e164(n, settings.default_region) for n in list(ours) if n}
    return sender in {n for n in ours if n}


def is_empty(outcome: Outcome) -> bool:
    return (
        isinstance(outcome, Rejected)
        and bool(outcome.errors)
        and outcome.errors[0].code == ErrorCode.EMPTY
    )


def empty_again(session: Session, message: InboundMessage) -> bool:
    """Another empty (separators-only) SMS from this number in the 10 minutes before."""
    if not message.sender:
        return False
    when = aware(message.provider_time)
    query = select(InboundMessage.id).where(
        InboundMessage.sender == message.sender,
        InboundMessage.reason == ErrorCode.EMPTY.value,
        InboundMessage.provider_time >= when - EMPTY_AGAIN,
        InboundMessage.provider_time <= when,
    )
    if message.id is not None:
        query = query.where(InboundMessage.id != message.id)
    return session.scalar(query.limit(1)) is not None


def budget(session: Session, settings: Settings, message: InboundMessage) -> Budget:
    """This message's place in its number's hourly reply budget (decided before parsing: a
    throttled sender's message is read strictly)."""
    if not message.sender or settings.sender_hourly_limit <= 0:
        return Budget.OPEN
    return Pressure(session, [message]).budget(settings, message)


def guard(
    session: Session,
    settings: Settings,
    message: InboundMessage,
    outcome: Outcome,
    reply: str | None,
    lang: str,
    spent: Budget,
) -> Verdict:
    """The reply to send (None: none) and the flag to set, after floods and loops."""
    if not reply or not message.sender:
        return Verdict(reply)
    if not possible_number(message.sender):
        return Verdict(None)
    if own_number(settings, message):
        return Verdict(None, "loop")
    if is_empty(outcome) and not settings.empty_repeat_reply and empty_again(session, message):
        return Verdict(None)
    pressure = Pressure(session, [message])
    if pressure.echoes_a_reply(message) or pressure.answered_same_text(message) >= LOOP_REPEATS:
        return Verdict(None, "loop")
    if spent is Budget.SPENT:
        return Verdict(None, "throttled")
    if spent is Budget.LAST:
        return Verdict(with_pause_notice(reply, lang))
    return Verdict(reply)


def add_flag(message: InboundMessage, flag: str | None) -> None:
    """Add a word to the message's space-separated flags (kept within the column's 60)."""
    if not flag:
        return
    message.flags = with_flag(message.flags, flag)[:60]


def calm(settings: Settings, pressure: Pressure, message: InboundMessage, pending: int) -> bool:
    """True when `guard` would let this message's reply through unchanged, whatever it says,
    with `pending` messages of this number (itself included) still to answer: a drain batch
    then answers it from memory; anything else goes the single path, which guards exactly."""
    sender = message.sender
    return bool(
        sender
        and possible_number(sender)
        and not own_number(settings, message)
        and not pressure.near_limit(settings, message, pending)
        and pressure.answered_same_text(message) == 0
        and not pressure.echoes_a_reply(message)
    )
