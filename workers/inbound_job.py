"""The per-message job: process stored messages by id, each in its own transaction."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.tables import InboundMessage
from workers.db import write_lock
from workers.inbound import DB_DOWN, PENDING, process_message
from workers.outbound.send import send_outbound
from workers.settings import Settings

log = logging.getLogger("ashshash.inbound")


def _lock(session: Session, message_id: int) -> InboundMessage | None:
    write_lock(session)  # SQLite: no row locks; the one write lock, held until the commit
    query = select(InboundMessage).where(InboundMessage.id == message_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.scalar(query)


def process_inbound(*ids: int, settings: Settings | None = None) -> None:
    """Job: process stored messages by id; a message already processed is left alone."""
    from workers.db import session_scope
    from workers.queue import enqueue
    from workers.runtime import current_settings

    settings = settings or current_settings()
    for message_id in ids:
        try:
            with session_scope(settings) as session:
                message = _lock(session, message_id)
                if message is None or message.status != PENDING:
                    continue
                outbound_id = process_message(session, settings, message).outbound_id
        except DB_DOWN:
            raise  # an outage: RQ retries with backoff, the sweep finds it later
        except Exception as exc:
            log.exception("processing inbound %s failed", message_id)
            mark_failed(settings, message_id, exc)
            continue
        if outbound_id is not None:
            enqueue(settings, send_outbound, outbound_id)


def mark_failed(settings: Settings, message_id: int, exc: Exception) -> None:
    """A bug, not a user mistake: keep the message, say why; `ashshash requeue` retries it."""
    from workers.db import session_scope

    with session_scope(settings) as session:
        message = session.get(InboundMessage, message_id)
        if message is not None and message.status == PENDING:
            message.status = "failed"
            message.reason = f"{type(exc).__name__}: {exc}"[:200]
