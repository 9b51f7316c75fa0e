"""`GET /metrics`: Prometheus text read from the database and Redis, right for any worker count.

Counts come from the tables rather than in-process counters, so every gunicorn worker
answers the same numbers without prometheus_client's multiprocess directory.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, request
from sqlalchemy import func, select

from schemas.status import MessageStatus
from schemas.tables import InboundMessage, OutboundMessage
from service.web import db, settings

bp = Blueprint("metrics", __name__)

LATENCY_WINDOW = timedelta(hours=1)
LATENCY_SAMPLE = 20000  # newest processed messages looked at; bounds the query's cost
QUANTILES = (0.5, 0.9, 0.99)


def _label(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _family(name: str, kind: str, help_text: str) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]


def _messages() -> list[str]:
    lines = _family(
        "ashshash_inbound_messages", "gauge", "Stored inbound messages by channel/status."
    )
    rows = db().execute(
        select(InboundMessage.channel, InboundMessage.status, func.count(InboundMessage.id))
        .group_by(InboundMessage.channel, InboundMessage.status)
        .order_by(InboundMessage.channel, InboundMessage.status)
    )
    for channel, status, count in rows:
        lines.append(
            f'ashshash_inbound_messages{{channel="{_label(channel)}",status="{_label(status)}"}} '
            f"{count}"
        )
    lines += _family("ashshash_outbound_messages", "gauge", "Stored outbound messages by status.")
    rows = db().execute(
        select(OutboundMessage.status, func.count(OutboundMessage.id))
        .group_by(OutboundMessage.status)
        .order_by(OutboundMessage.status)
    )
    for status, count in rows:
        lines.append(f'ashshash_outbound_messages{{status="{_label(status)}"}} {count}')
    return lines


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _latency() -> list[str]:
    """Seconds from stored to processed, for messages processed in the last hour."""
    since = datetime.now(UTC) - LATENCY_WINDOW
    # The newest rows by primary key (an index walk, not a scan of the whole table).
    rows = db().execute(
        select(InboundMessage.stored_at, InboundMessage.processed_at)
        .order_by(InboundMessage.id.desc())
        .limit(LATENCY_SAMPLE)
    )
    values = sorted(
        max(0.0, (_aware(done) - _aware(stored)).total_seconds())
        for stored, done in rows
        if done is not None and _aware(done) >= since
    )
    name = "ashshash_job_latency_seconds"
    lines = _family(name, "summary", "Stored-to-processed time of inbound messages, last hour.")
    for q in QUANTILES:
        value = values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")
        lines.append(f'{name}{{quantile="{q}"}} {value:.6g}')
    lines.append(f"{name}_sum {sum(values):.6g}")
    lines.append(f"{name}_count {len(values)}")
    return lines


def _queue() -> list[str]:
    from workers.queue import QueueUnavailable, queue_depth

    pending = db().scalar(
        select(func.count(InboundMessage.id)).where(InboundMessage.status == MessageStatus.RECEIVED)
    )
    lines = _family("ashshash_inbound_pending", "gauge", "Stored inbound messages not processed.")
    lines.append(f"ashshash_inbound_pending {pending or 0}")
    try:
        depth, up = queue_depth(settings()), 1
    except QueueUnavailable:
        depth, up = {}, 0
    lines += _family("ashshash_queue_depth", "gauge", "RQ jobs waiting, by queue.")
    lines += [f'ashshash_queue_depth{{queue="{name}"}} {count}' for name, count in depth.items()]
    lines += _family("ashshash_queue_up", "gauge", "1 when the queue answers (or runs in-process).")
    lines.append(f"ashshash_queue_up {up}")
    return lines


def _authorised() -> bool:
    """True without METRICS_TOKEN; with it, only for `Authorization: Bearer <METRICS_TOKEN>`."""
    expected = settings().metrics_token
    if not expected:
        return True
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), expected.encode()
    )


@bp.get("/metrics")
def metrics() -> Response:
    if not _authorised():
        # Queue depths and message counts tell an outsider how the project is working.
        return Response(
            "metrics need a bearer token (METRICS_TOKEN)\n",
            status=401,
            mimetype="text/plain",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    lines = _messages() + _queue() + _latency()
    return Response("\n".join(lines) + "\n", mimetype="text/plain; version=0.0.4")
