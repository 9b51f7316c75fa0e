"""The messages page: inbound and outbound, filtered by status, with rejection reasons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template, request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from schemas.status import MessageStatus, OutboundStatus
from schemas.tables import InboundMessage, OutboundMessage, Record, Reporter
from service.dashboard import access, bp
from service.dashboard.display import clip
from service.dashboard.overview import reason_label
from service.dashboard.privacy import (
    mask_phone,
    viewer_inbound,
    viewer_may_read,
    viewer_outbound,
)
from service.web import db

PAGE_SIZE = 50
IN_STATUSES = tuple(MessageStatus)
OUT_STATUSES = (
    OutboundStatus.QUEUED,
    OutboundStatus.SENT,
    OutboundStatus.DELIVERED,
    OutboundStatus.FAILED,
)
# Warnings the pipeline writes into inbound_messages.flags that the page can filter by.
FLAGS = ("clock",)


@dataclass(frozen=True)
class Row:
    id: int
    at: datetime | None
    phone: str
    who: str | None
    channel: str
    text: str
    hidden: bool
    status: str
    reason: str | None
    record_id: int | None
    flags: tuple[str, ...] = ()  # e.g. ("clock",): the provider's time was not trusted


def page_number() -> int:
    raw = request.args.get("page", "1")
    return max(1, min(int(raw), 100_000)) if raw.isdigit() else 1


def page_count(total: int) -> int:
    """Pages of PAGE_SIZE rows needed for `total` rows; an empty listing still has page 1."""
    return max(1, -(-total // PAGE_SIZE))


def conditions(direction: str, status: str | None, flag: str | None) -> list[Any]:
    """The filters shown on screen as WHERE clauses (the CSV export applies the same)."""
    table: Any = OutboundMessage if direction == "out" else InboundMessage
    conds: list[Any] = [table.status == status] if status else []
    if not access.is_coordinator():
        # Rows of survivor reports, even with their text hidden, would count survivors.
        conds.append(viewer_outbound() if direction == "out" else viewer_inbound())
    if flag == "clock" and direction == "in":
        conds.append(InboundMessage.flags.like("%clock%"))
    return conds


def _page_of(
    query: Select, table: type, conds: list[Any], order: tuple, offset: int
) -> tuple[Sequence[Any], int]:
    """One page of `query` in `order` and the count of all its rows, both kept to `conds`."""
    count = select(func.count()).select_from(table).where(*conds)
    query = query.where(*conds)
    found = db().execute(query.order_by(*order).offset(offset).limit(PAGE_SIZE)).all()
    return found, db().scalar(count) or 0


def _user_email(msg: InboundMessage) -> str | None:
    extra = msg.extra if isinstance(msg.extra, dict) else {}
    email = extra.get("email") if msg.provider == "dashboard" else None
    return str(email) if email else None


def _inbound(conds: list[Any], offset: int) -> tuple[list[Row], int]:
    query: Select = (
        select(InboundMessage, Reporter.name, Record.keyword)
        .outerjoin(Reporter, Reporter.id == InboundMessage.reporter_id)
        .outerjoin(Record, Record.id == InboundMessage.record_id)
    )
    order = (InboundMessage.provider_time.desc(), InboundMessage.id.desc())
    found, total = _page_of(query, InboundMessage, conds, order, offset)
    rows = []
    coordinator = access.is_coordinator()
    for msg, name, keyword in found:
        hidden = not coordinator and not viewer_may_read(keyword)
        rows.append(
            Row(
                id=msg.id,
                at=msg.provider_time,
                phone=(msg.sender or "—") if coordinator else mask_phone(msg.sender),
                # Dashboard undos have no reporter: name the user who made them.
                who=name or (_user_email(msg) if coordinator else None),
                channel=f"{msg.channel}/{msg.provider}",
                text="" if hidden else clip(msg.text),
                hidden=hidden,
                status=msg.status,
                reason=reason_label(msg.reason) if msg.status == MessageStatus.REJECTED else None,
                record_id=msg.record_id,
                flags=tuple((msg.flags or "").split()),
            )
        )
    return rows, total


def _outbound(conds: list[Any], offset: int) -> tuple[list[Row], int]:
    source = aliased(InboundMessage)
    query: Select = (
        select(OutboundMessage, Reporter.name, Record.keyword, source.record_id)
        .outerjoin(source, source.id == OutboundMessage.inbound_id)
        .outerjoin(Reporter, Reporter.phone == OutboundMessage.to)
        .outerjoin(Record, Record.id == source.record_id)
    )
    order = (OutboundMessage.created_at.desc(), OutboundMessage.id.desc())
    found, total = _page_of(query, OutboundMessage, conds, order, offset)
    rows = []
    coordinator = access.is_coordinator()
    for msg, name, keyword, record_id in found:
        hidden = not coordinator and not viewer_may_read(keyword)
        rows.append(
            Row(
                id=msg.id,
                at=msg.created_at,
                phone=msg.to if coordinator else mask_phone(msg.to),
                who=name,
                channel=f"{msg.kind}/{msg.backend}",
                text="" if hidden else clip(msg.text),
                hidden=hidden,
                status=msg.status,
                reason=clip(msg.failure_reason, 80)
                if msg.status == OutboundStatus.FAILED
                else None,
                record_id=record_id,
            )
        )
    return rows, total


def filters() -> tuple[str, str | None, str | None]:
    """Direction, status and flag from the query string; unknown values are dropped."""
    direction = "out" if request.args.get("direction") == "out" else "in"
    statuses = OUT_STATUSES if direction == "out" else IN_STATUSES
    status = request.args.get("status") if request.args.get("status") in statuses else None
    flag = request.args.get("flag") if request.args.get("flag") in FLAGS else None
    return direction, status, flag


@bp.get("/messages")
def messages():  # type: ignore[no-untyped-def]
    direction, status, flag = filters()
    statuses = OUT_STATUSES if direction == "out" else IN_STATUSES
    page = page_number()
    fetch = _outbound if direction == "out" else _inbound
    rows, total = fetch(conditions(direction, status, flag), (page - 1) * PAGE_SIZE)
    return render_template(
        "messages.html",
        rows=rows,
        total=total,
        page=page,
        pages=page_count(total),
        direction=direction,
        status=status,
        statuses=statuses,
        flag=flag,
        flags=FLAGS,
    )
