"""Survivors (codes only) and referrals (open / overdue / done) pages."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from flask import render_template, request
from sqlalchemy import func, select

from schemas.status import RecordStatus
from schemas.tables import Record, Referral, Survivor
from service.dashboard import access, bp
from service.dashboard.messages import PAGE_SIZE, page_count, page_number
from service.dashboard.overview import OVERDUE_DAYS, local_today
from service.dashboard.privacy import public_count
from service.web import db, settings

SERVICE_ORDER = ("NA", "IC", "FC", "CERT", "REF", "REFOUT", "EMG", "SUP")
REFERRAL_STATES = ("open", "overdue", "done", "no")


def _services(survivor_ids: list[int]) -> dict[int, Counter[str]]:
    """Active records per survivor and keyword: what each survivor has received."""
    found: dict[int, Counter[str]] = defaultdict(Counter)
    if not survivor_ids:
        return found
    rows = (
        db()
        .execute(
            select(Record.survivor_id, Record.keyword, func.count())
            .where(Record.survivor_id.in_(survivor_ids), Record.status == RecordStatus.ACTIVE)
            .where(Record.keyword != "ENR")
            .group_by(Record.survivor_id, Record.keyword)
        )
        .all()
    )
    for sid, keyword, n in rows:
        found[sid][keyword] = n
    return found


def _public_survivor_counts() -> list[tuple[str, int | str]]:
    active = Survivor.active.is_(True)
    enrolled = db().scalar(select(func.count()).where(active)) or 0
    children = db().scalar(select(func.count()).where(active, Survivor.is_child.is_(True))) or 0
    served = dict(
        db()
        .execute(
            select(Record.keyword, func.count(func.distinct(Record.survivor_id)))
            .where(Record.status == RecordStatus.ACTIVE, Record.survivor_id.is_not(None))
            .where(Record.keyword != "ENR")
            .group_by(Record.keyword)
        )
        .all()
    )
    counts: list[tuple[str, int | str]] = [
        ("enrolled", public_count(enrolled)),
        ("children", public_count(children)),
    ]
    counts += [(f"kw.{kw}", public_count(served.get(kw, 0))) for kw in SERVICE_ORDER]
    return counts


@bp.get("/survivors")
def survivors():  # type: ignore[no-untyped-def]
    if not access.is_coordinator():
        return render_template(
            "survivors.html",
            rows=[],
            counts=_public_survivor_counts(),
            total=0,
            page=1,
            pages=1,
            code="",
        )
    code = "".join(ch for ch in request.args.get("code", "") if ch.isdigit())[:6]
    query = select(Survivor).order_by(Survivor.enrolled_on.desc(), Survivor.id.desc())
    count = select(func.count()).select_from(Survivor)
    if code:
        query = query.where(Survivor.code.startswith(code))
        count = count.where(Survivor.code.startswith(code))
    page = page_number()
    found = db().scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    services = _services([s.id for s in found])
    # Only what a coordinator needs to follow a case: never sex, age or place on screen.
    rows = [
        {
            "code": s.code,
            "enrolled_on": s.enrolled_on,
            "child": s.is_child,
            "active": s.active,
            "services": [(kw, services[s.id][kw]) for kw in SERVICE_ORDER if services[s.id][kw]],
        }
        for s in found
    ]
    total = db().scalar(count) or 0
    return render_template(
        "survivors.html",
        rows=rows,
        counts=None,
        total=total,
        page=page,
        pages=page_count(total),
        code=code,
    )


@bp.get("/referrals")
def referrals():  # type: ignore[no-untyped-def]
    today = local_today(settings().timezone)
    cutoff = today - timedelta(days=OVERDUE_DAYS)
    state = request.args.get("state") if request.args.get("state") in REFERRAL_STATES else "open"
    base = select(Referral, Survivor.code).join(Survivor, Survivor.id == Referral.survivor_id)
    base = base.where(Referral.active.is_(True))
    conditions = {
        "open": (Referral.outcome.is_(None),),
        "overdue": (Referral.outcome.is_(None), Referral.referred_on < cutoff),
        "done": (Referral.outcome == "DONE",),
        "no": (Referral.outcome == "NO",),
    }
    tallies = {
        name: db().scalar(select(func.count()).where(Referral.active.is_(True), *conds)) or 0
        for name, conds in conditions.items()
    }
    coordinator = access.is_coordinator()
    rows = []
    if coordinator:
        query = base.where(*conditions[state]).order_by(Referral.referred_on, Referral.id)
        rows = [
            {
                "id": ref.id,
                "code": code,
                "service": ref.service,
                "referred_on": ref.referred_on,
                "days_open": (today - ref.referred_on).days if ref.outcome is None else None,
                "overdue": ref.outcome is None and ref.referred_on < cutoff,
                "outcome": ref.outcome,
                "outcome_on": ref.outcome_on,
            }
            for ref, code in db().execute(query.limit(500))
        ]
    shown = {k: (v if coordinator else public_count(v)) for k, v in tallies.items()}
    return render_template(
        "referrals.html",
        rows=rows,
        state=state,
        states=REFERRAL_STATES,
        tallies=shown,
        overdue_days=OVERDUE_DAYS,
    )
