"""The row an inbound message is stored as, and the statements that insert such rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from schemas.envelope import InboundEnvelope
from schemas.provider_values import CLOCK, provider_key, received_time, storable
from schemas.status import MessageStatus
from schemas.tables import InboundMessage
from schemas.text import text_key
from workers.phones import to_e164
from workers.settings import Settings

Row = dict[str, Any]
TABLE: Any = InboundMessage.__table__


@lru_cache(maxsize=4)
def insert_statement(dialect: str) -> Any:
    """`INSERT .. ON CONFLICT DO NOTHING RETURNING id, provider, provider_id`, once per dialect.

    Executed with parameters (one row or many): no per-request statement build.
    """
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(TABLE)
        .on_conflict_do_nothing(index_elements=["provider", "provider_id"])
        .returning(TABLE.c.id, TABLE.c.provider, TABLE.c.provider_id)
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
    typed = ", ".join(f'"{name}" {TABLE.c[name].type.compile(dialect=dialect)}' for name in COLUMNS)
    # SQLAlchemy's JSON type stores None as JSON null (not SQL NULL); so does this.
    picked = names.replace('"extra"', "coalesce(r.\"extra\", 'null'::json)")
    return (
        f"INSERT INTO {TABLE.name} ({names}) SELECT {picked} "
        f"FROM json_to_recordset(%s::json) AS r({typed}) "
        "ON CONFLICT (provider, provider_id) DO NOTHING RETURNING id, provider, provider_id"
    )


def rows_as_json(rows: list[Row]) -> str:
    """The parameter of `pg_batch_insert_sql`: times as ISO 8601 with their offset."""
    return json.dumps([{name: row[name] for name in COLUMNS} for row in rows], default=_iso)


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a column value")


def _keepable(value: object) -> str | None:
    # A provider may send a number or an object where text belongs: kept as its text.
    if value is None:
        return None
    return storable(value if isinstance(value, str) else str(value))


def inbound_values(settings: Settings, envelope: InboundEnvelope) -> Row:
    """The row to insert for a message as received: cleaned, cut to the columns, E.164 sender.

    `provider_time` None: the provider sent none we could read. It is checked against the
    time stored (`stored_at`, default now: the queue passes the time the webhook got it) by
    `received_time`; a replaced one is kept in `extra` and the message flagged `clock`.
    """
    provider_time = envelope.provider_time
    now = envelope.stored_at or datetime.now(UTC)
    when, flagged = received_time(provider_time, now, settings.max_provider_lag_days)
    sender, text, to = _keepable(envelope.sender), _keepable(envelope.text), _keepable(envelope.to)
    kept = {str(_keepable(k)): _keepable(v) for k, v in (envelope.extra or {}).items()}
    if when is now and provider_time is not None:
        kept["provider_time"] = provider_time.isoformat()
    key = provider_key(envelope.provider_id)
    if key != envelope.provider_id.strip():
        kept["provider_id"] = storable(envelope.provider_id)  # the whole id, for tracing it back
    e164 = to_e164(sender, settings.default_region)
    return {
        "channel": envelope.channel,
        "provider": envelope.provider,
        "provider_id": key,
        # A sender that is not a phone number (alphanumeric id, junk) is kept as received.
        "sender": e164 or (sender[:40] if sender else None),
        "to": to[:40] if to else None,
        "text": text,
        "text_key": text_key(text) if text else None,
        "provider_time": when,
        "stored_at": now,
        "status": MessageStatus.RECEIVED.value,
        "extra": kept or None,
        "flags": CLOCK if flagged else None,
    }
