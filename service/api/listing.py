"""GET /api/v1/records and /api/v1/messages: stored rows, newest first, limit/offset pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import jsonify
from sqlalchemy import Select, func, select

from schemas.commands import RECORD_KEYWORDS, SURVIVOR_KEYWORDS
from schemas.status import RecordStatus
from schemas.tables import InboundMessage, OutboundMessage, Record, Reporter, Survivor
from service.api import api_error, bp, is_coordinator, require_token
from service.api.params import BadRequest, choice, day, given, moment, page
from service.web import db, settings
from workers.phones import to_e164

# Event-shaped CC carries no survivor; every other survivor keyword is survivor data.
_SURVIVOR_ONLY = tuple(k for k in SURVIVOR_KEYWORDS if k != "CC")


def _paginated(query: Select[Any], limit: int, offset: int, dump: Any) -> Any:
    total = db().scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db().execute(query.limit(limit).offset(offset)).all()
    items = [dump(*row) for row in rows]
    next_offset = offset + limit if offset + limit < (total or 0) else None
    return jsonify(items=items, total=total, limit=limit, offset=offset, next_offset=next_offset)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def _record(rec: Record, code: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": rec.id,
        "type": rec.keyword,
        "status": rec.status,
        "activity_date": rec.activity_date.isoformat(),
        "received_at": _iso(rec.received_at),
        "reporter_id": rec.reporter_id,
        "channel": rec.channel,
        "upazila": rec.upazila,
        "union": rec.union,
    }
    fields = {
        "total": rec.total,
        "M": rec.m,
        "F": rec.f,
        "O": rec.o,
        "students": rec.students,
        "teachers": rec.teachers,
        "parents": rec.parents,
        "youths": rec.youths,
        "cbo": rec.cbo,
        "day_code": rec.day_code,
        "survivor_code": code,
        "members": rec.members,
        "service": rec.service,
        "referral": rec.referral_id,
        "outcome": rec.outcome,
        "kinds": rec.kinds.split() if rec.kinds else None,
        "partner": rec.partner,
        "topic": rec.topic,
    }
    out.update({k: v for k, v in fields.items() if v is not None})
    return out


@bp.get("/records")
@require_token
def list_records():  # type: ignore[no-untyped-def]
    try:
        limit, offset = page()
        start, end = day("from"), day("to")
        q = (
            select(Record, Survivor.code)
            .outerjoin(Survivor, Survivor.id == Record.survivor_id)
            .where(Record.status == RecordStatus.ACTIVE)
            .order_by(Record.id.desc())
        )
        kind = choice("type", RECORD_KEYWORDS)
        if kind:
            q = q.where(Record.keyword == kind)
        if not is_coordinator():
            # Record-level survivor rows would undo the privacy floor viewers get.
            q = q.where(Record.keyword.not_in(_SURVIVOR_ONLY))
        if start:
            q = q.where(Record.activity_date >= start)
        if end:
            q = q.where(Record.activity_date <= end)
        reporter = given("reporter")
        if reporter is not None:
            q = q.where(_reporter_filter(reporter))
    except BadRequest as exc:
        return api_error(400, str(exc))
    return _paginated(q, limit, offset, _record)


def _reporter_filter(raw: str) -> Any:
    if raw.isdigit() and len(raw) < 9:
        return Record.reporter_id == int(raw)
    phone = to_e164(raw, settings().default_region)
    if phone is None:
        raise BadRequest("reporter must be a reporter id or a phone number")
    return Record.reporter_id.in_(select(Reporter.id).where(Reporter.phone == phone))


def _inbound(msg: InboundMessage) -> dict[str, Any]:
    return {
        "id": msg.id,
        "direction": "in",
        "channel": msg.channel,
        "provider": msg.provider,
        "provider_id": msg.provider_id,
        "phone": msg.sender,
        "text": msg.text,
        "status": msg.status,
        "reason": msg.reason,
        "record_id": msg.record_id,
        "provider_time": _iso(msg.provider_time),
        "processed_at": _iso(msg.processed_at),
    }


def _outbound(msg: OutboundMessage) -> dict[str, Any]:
    return {
        "id": msg.id,
        "direction": "out",
        "phone": msg.to,
        "text": msg.text,
        "kind": msg.kind,
        "backend": msg.backend,
        "status": msg.status,
        "provider_id": msg.provider_id,
        "cost": msg.cost,
        "failure_reason": msg.failure_reason,
        "inbound_id": msg.inbound_id,
        "created_at": _iso(msg.created_at),
        "updated_at": _iso(msg.updated_at),
    }


# Per direction: the table, its phone and time columns, and how one row is written out.
_DIRECTIONS: dict[str, tuple[Any, Any, Any, Callable[[Any], dict[str, Any]]]] = {
    "in": (InboundMessage, InboundMessage.sender, InboundMessage.provider_time, _inbound),
    "out": (OutboundMessage, OutboundMessage.to, OutboundMessage.created_at, _outbound),
}


@bp.get("/messages")
@require_token
def list_messages():  # type: ignore[no-untyped-def]
    if not is_coordinator():
        # Raw texts carry survivor codes and senders' numbers: coordinators only.
        return api_error(403, "messages are for coordinators")
    try:
        limit, offset = page()
        since = moment("since")
        direction = choice("direction", tuple(_DIRECTIONS)) or "in"
        status = given("status")
        raw_phone = given("phone")
        phone = to_e164(raw_phone, settings().default_region) if raw_phone is not None else None
        if raw_phone is not None and phone is None:
            raise BadRequest("phone is not a phone number")
        table, phone_col, time_col, as_json = _DIRECTIONS[direction]
        query = select(table).order_by(time_col.desc(), table.id.desc())
        query = query.where(*_filters(phone_col, table.status, time_col, phone, status, since))
        return _paginated(query, limit, offset, as_json)
    except BadRequest as exc:
        return api_error(400, str(exc))


def _filters(
    phone_col: Any,
    status_col: Any,
    time_col: Any,
    phone: str | None,
    status: str | None,
    since: datetime | None,
) -> list[Any]:
    conds = []
    if phone:
        conds.append(phone_col == phone)
    if status:
        conds.append(status_col == status)
    if since:
        conds.append(time_col >= since)
    return conds
