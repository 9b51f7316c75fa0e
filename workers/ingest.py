"""Store an inbound message exactly once per (provider, provider id), before anything else."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, make_transient_to_detached

from schemas.provider_values import CLOCK, provider_key, received_time, storable
from schemas.tables import InboundMessage
from schemas.text import text_key
from workers.phones import to_e164
from workers.settings import Settings

_TABLE: Any = InboundMessage.__table__
RECEIVED = "received"


@lru_cache(maxsize=4)
def insert_statement(dialect: str) -> Any:
    """`INSERT .. ON CONFLICT DO NOTHING RETURNING id, provider, provider_id`, once per dialect.

    Executed with parameters (one row or many): no per-request statement build.
    """
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(_TABLE)
        .on_conflict_do_nothing(index_elements=["provider", "provider_id"])
        .returning(_TABLE.c.id, _TABLE.c.provider, _TABLE.c.provider_id)
    )


# The columns a stored message is written with (the rest start empty).
COLUMNS = (
    "channel",
    "provider",
    "provider_id",
    "sender",
    "to",
    "text",
    "text_key",
    "provider_time",
    "stored_at",
    "status",
    "extra",
    "flags",
)


@lru_cache(maxsize=1)
def pg_batch_insert_sql() -> str:
    """PostgreSQL: `insert_statement` for a batch passed as one JSON array (`%s`).

    N rows of bound parameters cost the driver a statement conversion per batch size and
    ~30 us of CPU per row; one JSON text is dumped by `json.dumps` in C, and the statement
    never changes, so it is converted once and prepared once by the server.
    """
    dialect = postgresql.dialect()
    names = ", ".join(f'"{name}"' for name in COLUMNS)
    typed = ", ".join(
        f'"{name}" {_TABLE.c[name].type.compile(dialect=dialect)}' for name in COLUMNS
    )
    # SQLAlchemy's JSON type stores None as JSON null (not SQL NULL); so does this.
    picked = names.replace('"extra"', "coalesce(r.\"extra\", 'null'::json)")
    return (
        f"INSERT INTO {_TABLE.name} ({names}) SELECT {picked} "
        f"FROM json_to_recordset(%s::json) AS r({typed}) "
        "ON CONFLICT (provider, provider_id) DO NOTHING RETURNING id, provider, provider_id"
    )


def rows_as_json(rows: list[dict[str, Any]]) -> str:
    """The parameter of `pg_batch_insert_sql`: times as ISO 8601 with their offset."""
    return json.dumps([{name: row[name] for name in COLUMNS} for row in rows], default=_iso)


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a column value")


def _insert_ignoring_duplicates(session: Session, values: dict[str, Any]) -> InboundMessage | None:
    # INSERT .. ON CONFLICT DO NOTHING RETURNING as the transaction's first statement: one
    # round trip for a new message; concurrent deliveries of one id never raise; on SQLite
    # the write lock is taken (waiting on busy_timeout) before any read snapshot goes stale.
    # Core, not the ORM's bulk insert: this is the webhook's hot path.
    conn = session.connection()  # Core execution: the ORM layer adds nothing to an INSERT
    new_id = conn.execute(insert_statement(conn.dialect.name), values).scalar()
    if new_id is None:
        return None
    message = InboundMessage(id=new_id, **values)
    # The row is in the database already: attach the object as persistent, without a query.
    make_transient_to_detached(message)
    session.add(message)
    return message


def _keepable(value: object) -> str | None:
    # A provider may send a number or an object where text belongs: kept as its text.
    if value is None:
        return None
    return storable(value if isinstance(value, str) else str(value))


def inbound_values(
    settings: Settings,
    *,
    channel: str,
    provider: str,
    provider_id: str,
    sender: str | None,
    text: str | None,
    provider_time: datetime | None,
    to: str | None = None,
    extra: dict | None = None,
    stored_at: datetime | None = None,
) -> dict[str, Any]:
    """The row to insert for a message as received: cleaned, cut to the columns, E.164 sender.

    `provider_time` None: the provider sent none we could read. It is checked against the
    time stored (`stored_at`, default now: the queue passes the time the webhook got it) by
    `received_time`; a replaced one is kept in `extra` and the message flagged `clock`.
    """
    if provider_time is not None and provider_time.tzinfo is None:
        raise ValueError("provider_time must be timezone-aware")
    now = stored_at or datetime.now(UTC)
    when, flagged = received_time(provider_time, now, settings.max_provider_lag_days)
    sender, text, to = _keepable(sender), _keepable(text), _keepable(to)
    kept = {str(_keepable(k)): _keepable(v) for k, v in (extra or {}).items()}
    if when is now and provider_time is not None:
        kept["provider_time"] = provider_time.isoformat()
    key = provider_key(provider_id)
    if key != provider_id.strip():
        kept["provider_id"] = storable(provider_id)  # the whole id, for tracing it back
    e164 = to_e164(sender, settings.default_region)
    return {
        "channel": channel,
        "provider": provider,
        "provider_id": key,
        # A sender that is not a phone number (alphanumeric id, junk) is kept as received.
        "sender": e164 or (sender[:40] if sender else None),
        "to": to[:40] if to else None,
        "text": text,
        "text_key": text_key(text) if text else None,
        "provider_time": when,
        "stored_at": now,
        "status": RECEIVED,
        "extra": kept or None,
        "flags": CLOCK if flagged else None,
    }


def store_inbound(
    session: Session,
    settings: Settings,
    *,
    channel: str,
    provider: str,
    provider_id: str,
    sender: str | None,
    text: str | None,
    provider_time: datetime | None,
    to: str | None = None,
    extra: dict | None = None,
    stored_at: datetime | None = None,
) -> tuple[InboundMessage, bool]:
    """The stored row and whether it is new. Does not commit."""
    values = inbound_values(
        settings,
        channel=channel,
        provider=provider,
        provider_id=provider_id,
        sender=sender,
        text=text,
        provider_time=provider_time,
        to=to,
        extra=extra,
        stored_at=stored_at,
    )
    message = _insert_ignoring_duplicates(session, values)
    if message is not None:
        return message, True
    existing = session.scalars(
        select(InboundMessage).where(
            InboundMessage.provider == values["provider"],
            InboundMessage.provider_id == values["provider_id"],
        )
    ).one()
    return existing, False


def dispatch(settings: Settings, message_id: int) -> None:
    """After commit: get a stored message processed (in-process, or by the RQ drain job)."""
    from workers.drain import drain_inbound
    from workers.inbound_job import process_inbound
    from workers.queue import enqueue, wake

    if settings.redis_url:
        wake(settings, drain_inbound, message_id)
    else:
        enqueue(settings, process_inbound, message_id)


def store_raw(payload: dict[str, Any], settings: Settings | None = None) -> None:
    """Job: store a message the webhook queued while the database was down, then process it.

    The one job that carries data instead of ids: the data had nowhere else to live. If the
    database is still down it raises, and RQ retries it with backoff.
    """
    from workers.db import session_scope
    from workers.runtime import current_settings

    settings = settings or current_settings()
    fields = dict(payload)
    for name in ("provider_time", "stored_at"):
        if fields.get(name):
            fields[name] = datetime.fromisoformat(fields[name])
    with session_scope(settings) as session:
        message, created = store_inbound(session, settings, **fields)
        message_id, pending = message.id, created or message.status == "received"
    if pending:
        dispatch(settings, message_id)
