"""The door every channel hands its messages through: `accept(settings, envelope)`.

Accept, persist, enqueue, acknowledge: the message is stored under its unique (provider,
provider id) and handed on to be processed; if the database is down, the raw envelope goes
to the queue (`store_raw`) instead; if both are down, `Unavailable` is raised, and the
webhook answers 503 so the provider retries. Nothing is acknowledged that is not kept.

USSD and the simulator show the answer on the screen they are drawing: `accept_now`
stores in their transaction and processes the message at once, as a batch of one through
the one processing path, without texting the answer.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy.orm import Session

from schemas.envelope import InboundEnvelope
from schemas.status import MessageStatus
from schemas.tables import InboundMessage
from workers.db import DB_DOWN
from workers.inbound.decide import ProcessResult
from workers.inbound.jobs import dispatch, store_raw
from workers.inbound.process import process_one
from workers.inbound.store import Stored, store_grouped, store_inbound
from workers.queue import QueueUnavailable, enqueue_strict
from workers.settings import Settings

log = logging.getLogger("ashshash.inbound.accept")


class Unavailable(RuntimeError):
    """Neither the database nor the queue could keep the message: the provider must retry."""


@dataclass(frozen=True)
class Kept:
    """Where `accept` kept a message: its stored row, or (database down) the queue."""

    stored: Stored | None  # None: queued raw for `store_raw`, no row yet

    @property
    def queued_raw(self) -> bool:
        return self.stored is None


def accept(settings: Settings, envelope: InboundEnvelope) -> Kept:
    """Keep one message: stored and handed on to be processed, or queued raw.

    Stored and committed when this returns (the commit shared with concurrent callers); a
    failure after that (handing it on) is the sweep's to fix. Raises `Unavailable` when
    neither the database nor the queue could keep it.
    """
    try:
        return Kept(store_grouped(settings, envelope, dispatch))
    except DB_DOWN as exc:
        _queue_raw(settings, envelope, exc)
        return Kept(None)


def _queue_raw(settings: Settings, envelope: InboundEnvelope, exc: Exception) -> None:
    """Database down: the queue keeps the raw message until `store_raw` can store it."""
    # The time it arrived travels with it: the clock rule compares against that, not the
    # time the queue finally stored it.
    payload = envelope.arrived(datetime.now(UTC)).to_payload()
    try:
        # RQ ids allow [A-Za-z0-9_-] only; a provider id may hold anything, so hash it.
        raw_id = envelope.provider_id.encode(errors="surrogatepass")
        digest = hashlib.sha256(raw_id).hexdigest()[:24]
        job_id = f"store_raw-{envelope.provider}-{digest}"
        enqueue_strict(settings, store_raw, payload, job_id=job_id)
    except QueueUnavailable as qexc:
        log.error("database and queue both down (%s; %s): the provider must retry", exc, qexc)
        raise Unavailable(f"database: {type(exc).__name__}; queue: {qexc}") from exc
    log.warning(
        "database down (%s): %s message %s queued raw",
        type(exc).__name__,
        envelope.provider,
        envelope.provider_id[:60],
    )


class Answered(NamedTuple):
    """`accept_now`'s message and, if this call processed it, the result (None: a repeat)."""

    message: InboundMessage
    result: ProcessResult | None


def accept_now(session: Session, settings: Settings, envelope: InboundEnvelope) -> Answered:
    """Store the message in the caller's transaction and process it now, as a batch of one
    through the one processing path, answered on screen (never by SMS). A repeat of a
    message already processed is not processed again. Does not commit; a database that is
    down raises (the caller's screen says so: there is nobody to queue an answer for)."""
    message, created = store_inbound(session, settings, envelope)
    if not created or message.status != MessageStatus.RECEIVED:
        # A retry of a hop already stored (the status check also covers a driver that
        # reports the skipped insert as a new row).
        return Answered(message, None)
    return Answered(message, process_one(session, settings, message, reply_by_sms=False))
