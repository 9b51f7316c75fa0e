"""The records page: accepted records filtered by type and date, and the coordinator's undo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import Select, func, select

from schemas.commands import EVENT_KEYWORDS, RECORD_KEYWORDS
from schemas.outcomes import Undone
from schemas.tables import Record, Reporter, Survivor
from service.dashboard import access, bp, i18n
from service.dashboard.messages import PAGE_SIZE, page_count, page_number
from service.dashboard.privacy import SURVIVOR_ONLY, viewer_records
from service.dashboard.undo import undo_as_user
from service.web import db

# Event-shaped records carry their own place; survivor records carry the survivor's, which
# this page never shows (indicators.md: survivor place is not for display).
_PLACE_KEYWORDS = (*EVENT_KEYWORDS, "CC")
_COUNT_TAGS = (
    ("M", "m"),
    ("F", "f"),
    ("O", "o"),
    ("S", "students"),
    ("T", "teachers"),
    ("P", "parents"),
    ("Y", "youths"),
    ("C", "cbo"),
)


@dataclass(frozen=True)
class Row:
    id: int
    keyword: str
    activity_date: date
    details: str
    place: str
    code: str | None
    reporter: str | None
    channel: str
    status: str


def parse_day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def details(record: Record) -> str:
    """What was counted or given, without anything about who the survivor is."""
    parts: list[str] = []
    if record.total is not None:
        parts.append(i18n.num(record.total))
    tags = [
        f"{tag}{i18n.num(getattr(record, col))}"
        for tag, col in _COUNT_TAGS
        if getattr(record, col) is not None
    ]
    if tags:
        parts.append("(" + " ".join(tags) + ")")
    if record.day_code:
        parts.append(record.day_code)
    if record.members is not None:
        parts.append(f"{i18n.t('members')} {i18n.num(record.members)}")
    if record.service:
        parts.append(i18n.t(f"svc.{record.service}"))
    if record.referral_id is not None:
        parts.append(f"R{record.referral_id}")
    if record.outcome:
        parts.append(i18n.t(f"outcome.{record.outcome}"))
    if record.kinds:
        parts.append(record.kinds)
    if record.partner:
        parts.append(record.partner)
    if record.topic:  # TRN ... TOPIC: the training's topics (never in an SMS reply)
        parts.append(f"{i18n.t('topic')}: {record.topic}")
    return " ".join(parts)


def filtered(
    query: Select, keyword: str | None, start: date | None, end: date | None, status: str | None
) -> Select:
    if keyword:
        query = query.where(Record.keyword == keyword)
    if start:
        query = query.where(Record.activity_date >= start)
    if end:
        query = query.where(Record.activity_date <= end)
    if status:
        query = query.where(Record.status == status)
    return query


def filters() -> tuple[str | None, date | None, date | None, str | None]:
    """The records filters in the query string (type, from, to, status); bad ones are dropped."""
    keyword = request.args.get("type") if request.args.get("type") in RECORD_KEYWORDS else None
    start, end = parse_day(request.args.get("from")), parse_day(request.args.get("to"))
    status = (
        request.args.get("status")
        if request.args.get("status") in ("active", "cancelled")
        else None
    )
    return keyword, start, end, status


@bp.get("/records")
def records():  # type: ignore[no-untyped-def]
    keyword, start, end, status = filters()
    page = page_number()
    coordinator = access.is_coordinator()
    # Viewers are offered (and get) event records only: listing survivor records, even
    # without codes, would count survivors exactly (see privacy.viewer_records).
    keywords = (
        RECORD_KEYWORDS
        if coordinator
        else tuple(k for k in RECORD_KEYWORDS if k not in SURVIVOR_ONLY)
    )
    seen = () if coordinator else (viewer_records(),)
    query = filtered(
        select(Record, Reporter.name, Survivor.code)
        .outerjoin(Reporter, Reporter.id == Record.reporter_id)
        .outerjoin(Survivor, Survivor.id == Record.survivor_id)
        .where(*seen),
        keyword,
        start,
        end,
        status,
    ).order_by(Record.activity_date.desc(), Record.id.desc())
    total = (
        db().scalar(
            filtered(
                select(func.count()).select_from(Record).where(*seen), keyword, start, end, status
            )
        )
        or 0
    )
    rows = [
        Row(
            id=rec.id,
            keyword=rec.keyword,
            activity_date=rec.activity_date,
            details=details(rec),
            place=(rec.union or rec.upazila or "") if rec.keyword in _PLACE_KEYWORDS else "",
            code=code if coordinator else None,
            reporter=name,
            channel=rec.channel,
            status=rec.status,
        )
        for rec, name, code in db().execute(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    ]
    return render_template(
        "records.html",
        rows=rows,
        total=total,
        page=page,
        pages=page_count(total),
        keywords=keywords,
        keyword=keyword,
        start=start,
        end=end,
        status=status,
    )


@bp.get("/records/<int:record_id>/undo")
@access.coordinator_only
def confirm_undo(record_id: int):  # type: ignore[no-untyped-def]
    """A second look before cancelling: an undo cannot itself be undone."""
    found = (
        db()
        .execute(
            select(Record, Reporter.name, Survivor.code)
            .outerjoin(Reporter, Reporter.id == Record.reporter_id)
            .outerjoin(Survivor, Survivor.id == Record.survivor_id)
            .where(Record.id == record_id)
        )
        .first()
    )
    if found is None:
        abort(404)
    rec, name, code = found
    row = Row(
        id=rec.id,
        keyword=rec.keyword,
        activity_date=rec.activity_date,
        details=details(rec),
        place=(rec.union or rec.upazila or "") if rec.keyword in _PLACE_KEYWORDS else "",
        code=code,
        reporter=name,
        channel=rec.channel,
        status=rec.status,
    )
    return render_template(
        "confirm_undo.html", row=row, back=access.safe_next(request.args.get("next"))
    )


@bp.post("/records/<int:record_id>/undo")
@access.coordinator_only
def undo_record(record_id: int):  # type: ignore[no-untyped-def]
    user = access.current_user()
    assert user is not None  # the guard logged them in
    outcome = undo_as_user(db(), user, record_id)
    db().commit()
    if isinstance(outcome, Undone):
        flash(i18n.t("undo_done").format(n=record_id), "ok")
    else:
        code = outcome.errors[0].code.value if outcome.errors else "unknown_record"
        flash(i18n.t("undo_refused").format(n=record_id, why=i18n.t(f"err.{code}")), "error")
    return redirect(
        access.safe_next(request.form.get("next"))
        if request.form.get("next")
        else url_for("dashboard.records")
    )
