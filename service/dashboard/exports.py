"""Records and messages as CSV for analysts, filtered as on screen.

Coordinators get every row as stored. Viewers get the versions the screen shows them: phone
numbers masked, survivor message texts left out, and no survivor-level record rows; survivor
records come as counts per type and month with 1 to 10 written `<11` (k = 11).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from flask import Response, stream_with_context
from sqlalchemy import select
from sqlalchemy.orm import aliased

from schemas.commands import SURVIVOR_KEYWORDS
from schemas.tables import InboundMessage, OutboundMessage, Record, Reporter, Survivor
from service.dashboard import access, bp, messages, records
from service.dashboard.privacy import mask_phone, public_count, viewer_may_read
from service.web import db

# CC is event-shaped (a community session, no survivor); every other one is survivor data.
SURVIVOR_ONLY = tuple(k for k in SURVIVOR_KEYWORDS if k != "CC")
RECORD_COUNTS = ("total", "m", "f", "o", "students", "teachers", "parents", "youths", "cbo")
RECORD_COLUMNS = (
    "id",
    "type",
    "activity_date",
    "records",
    *RECORD_COUNTS,
    "day_code",
    "members",
    "service",
    "referral",
    "outcome",
    "kinds",
    "partner",
    "upazila",
    "union",
    "code",
    "reporter",
    "channel",
    "status",
    "received_at",
)
MESSAGE_COLUMNS = (
    "id",
    "direction",
    "time",
    "phone",
    "reporter",
    "channel",
    "text",
    "status",
    "reason",
    "flags",
    "record",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BATCH = 1000


def cell(value: Any) -> str:
    """A CSV cell; free text that a spreadsheet would run as a formula is quoted with `'`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def text_cell(value: str | None) -> str:
    text = value or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(name: str, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Response:
    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        # A byte-order mark so that Excel opens Bangla names as UTF-8.
        writer.writerow(header)
        yield "\ufeff" + buffer.getvalue()
        for row in rows:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([cell(v) for v in row])
            yield buffer.getvalue()

    # The rows are read while the response streams, so the request's session must stay open.
    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _record_row(rec: Record, name: str | None, code: str | None) -> list[Any]:
    place = rec.keyword not in SURVIVOR_ONLY  # a survivor's place is never exported
    return [
        rec.id,
        rec.keyword,
        rec.activity_date,
        1,
        *(getattr(rec, c) for c in RECORD_COUNTS),
        rec.day_code,
        rec.members,
        rec.service,
        rec.referral_id,
        rec.outcome,
        rec.kinds,
        rec.partner,
        rec.upazila if place else None,
        rec.union if place else None,
        code,
        text_cell(name),
        rec.channel,
        rec.status,
        rec.received_at,
    ]


def _survivor_summary(query: Any) -> list[list[Any]]:
    """Survivor records per (type, month, status), small counts shown as <11."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for keyword, day, status in db().execute(query):
        counts[(keyword, day.strftime("%Y-%m"), status)] += 1
    rows = []
    for (keyword, month, status), n in sorted(counts.items()):
        row: dict[str, Any] = dict.fromkeys(RECORD_COLUMNS)
        row.update(type=keyword, activity_date=month, records=public_count(n), status=status)
        rows.append([row[c] for c in RECORD_COLUMNS])
    return rows


@bp.get("/records.csv")
def records_csv():  # type: ignore[no-untyped-def]
    keyword, start, end, status = records.filters()
    query = records.filtered(
        select(Record, Reporter.name, Survivor.code)
        .outerjoin(Reporter, Reporter.id == Record.reporter_id)
        .outerjoin(Survivor, Survivor.id == Record.survivor_id),
        keyword,
        start,
        end,
        status,
    ).order_by(Record.activity_date, Record.id)
    coordinator = access.is_coordinator()
    if coordinator:

        def rows() -> Iterator[list[Any]]:
            for rec, name, code in db().execute(query.execution_options(yield_per=_BATCH)):
                yield _record_row(rec, name, code)

        return _csv("records.csv", RECORD_COLUMNS, rows())
    events = query.where(Record.keyword.not_in(SURVIVOR_ONLY))
    survivor = records.filtered(
        select(Record.keyword, Record.activity_date, Record.status).where(
            Record.keyword.in_(SURVIVOR_ONLY)
        ),
        keyword,
        start,
        end,
        status,
    )
    event_rows = [_record_row(rec, name, None) for rec, name, _code in db().execute(events)]
    header = [c for c in RECORD_COLUMNS if c != "code"]
    drop = RECORD_COLUMNS.index("code")
    public = [
        [v for i, v in enumerate(row) if i != drop]
        for row in [*event_rows, *_survivor_summary(survivor)]
    ]
    return _csv("records-public.csv", header, public)


def _inbound_rows(conds: list[Any], coordinator: bool) -> Iterator[list[Any]]:
    query = (
        select(InboundMessage, Reporter.name, Record.keyword)
        .outerjoin(Reporter, Reporter.id == InboundMessage.reporter_id)
        .outerjoin(Record, Record.id == InboundMessage.record_id)
        .where(*conds)
        .order_by(InboundMessage.provider_time, InboundMessage.id)
    )
    for msg, name, keyword in db().execute(query.execution_options(yield_per=_BATCH)):
        shown = coordinator or viewer_may_read(keyword)
        yield [
            msg.id,
            "in",
            msg.provider_time,
            msg.sender if coordinator else mask_phone(msg.sender),
            text_cell(name),
            f"{msg.channel}/{msg.provider}",
            text_cell(msg.text) if shown else "",
            msg.status,
            text_cell(msg.reason),
            msg.flags,
            msg.record_id,
        ]


def _outbound_rows(conds: list[Any], coordinator: bool) -> Iterator[list[Any]]:
    source = aliased(InboundMessage)
    query = (
        select(OutboundMessage, Reporter.name, Record.keyword, source.record_id)
        .outerjoin(source, source.id == OutboundMessage.inbound_id)
        .outerjoin(Reporter, Reporter.phone == OutboundMessage.to)
        .outerjoin(Record, Record.id == source.record_id)
        .where(*conds)
        .order_by(OutboundMessage.created_at, OutboundMessage.id)
    )
    for msg, name, keyword, record_id in db().execute(query.execution_options(yield_per=_BATCH)):
        shown = coordinator or viewer_may_read(keyword)
        yield [
            msg.id,
            "out",
            msg.created_at,
            msg.to if coordinator else mask_phone(msg.to),
            text_cell(name),
            f"{msg.kind}/{msg.backend}",
            text_cell(msg.text) if shown else "",
            msg.status,
            text_cell(msg.failure_reason),
            None,
            record_id,
        ]


@bp.get("/messages.csv")
def messages_csv():  # type: ignore[no-untyped-def]
    direction, status, flag = messages.filters()
    conds = messages.conditions(direction, status, flag)
    coordinator = access.is_coordinator()
    fetch = _outbound_rows if direction == "out" else _inbound_rows
    name = f"messages-{direction}" + ("" if coordinator else "-public") + ".csv"
    return _csv(name, MESSAGE_COLUMNS, fetch(conds, coordinator))
