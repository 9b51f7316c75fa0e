"""The report page's DHIS2 part: a coordinator's push button and the list of recent pushes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import flash, redirect, request, url_for
from sqlalchemy import select

from schemas.actor import Actor
from schemas.tables import User
from service.dashboard import access, bp, i18n
from service.dhis2.run import Dhis2Error, audit_push, outcome_lines, prepare, send
from service.web import db, settings
from workers.dhis2.audit import recent_pushes

MAX_LINES = 12  # flash lines after a push; the audit row and the CLI keep every conflict
# A browser waits for the answer: two shorter attempts instead of the command line's three
# of a minute. A retry after a time-out is safe: DHIS2 counts values it already has as ignored.
PAGE_TIMEOUT = 30.0
PAGE_ATTEMPTS = 2


@dataclass
class PushRow:
    at: datetime
    who: str
    period: str
    dry_run: bool
    ok: bool
    result: str
    conflicts: list[str]


@bp.app_template_global()
def dhis2_pushes() -> list[PushRow]:
    """The latest pushes (audit rows), newest first, for the report page."""
    entries = recent_pushes(db())
    ids = {
        int(e.actor[5:]) for e in entries if e.actor.startswith("user:") and e.actor[5:].isdigit()
    }
    emails: dict[int, str] = {}
    if ids:
        for uid, email in db().execute(select(User.id, User.email).where(User.id.in_(ids))):
            emails[uid] = email
    rows = []
    for e in entries:
        d: dict[str, Any] = e.detail or {}
        if e.actor.startswith("user:") and e.actor[5:].isdigit():
            who = emails.get(int(e.actor[5:]), e.actor)
        else:
            who = f"{i18n.t('dhis2_cli')} ({e.actor.partition(':')[2]})"
        conflicts = [
            ", ".join(x for x in (c.get("data_element"), c.get("org_unit"), c.get("period")) if x)
            + f": {c.get('message')}"
            for c in d.get("conflicts", [])
        ]
        rows.append(
            PushRow(
                e.at,
                who,
                str(d.get("period", "")),
                bool(d.get("dry_run")),
                bool(d.get("ok")),
                str(d.get("message", "")),
                conflicts,
            )
        )
    return rows


@bp.post("/report/dhis2-push")
@access.coordinator_only
def dhis2_push():  # type: ignore[no-untyped-def]
    user = access.current_user()
    assert user is not None  # the guard logged them in
    period = request.form.get("period", "").strip()[:20]
    dry_run = request.form.get("dry_run") == "1"
    back = url_for("dashboard.report", period=period) if period else url_for("dashboard.report")
    if not period:
        flash(f"DHIS2: {i18n.t('dhis2_hint')}", "error")
        return redirect(back + "#dhis2")
    try:
        prepared = prepare(db(), settings(), period)
    except Dhis2Error as exc:
        flash(f"DHIS2: {exc}", "error")
        return redirect(back + "#dhis2")
    # The queries are done: end their transaction before waiting on DHIS2.
    db().commit()
    if prepared.problems:
        flash(
            f"DHIS2: {len(prepared.problems)} problem(s) in the mapping; nothing was sent.", "error"
        )
        for problem in prepared.problems[:MAX_LINES]:
            flash(problem.message, "error")
        return redirect(back + "#dhis2")
    outcome = send(
        settings(), prepared, dry_run=dry_run, timeout=PAGE_TIMEOUT, attempts=PAGE_ATTEMPTS
    )
    audit_push(
        db(), prepared, outcome, period=period, dry_run=dry_run, actor=str(Actor.user(user.id))
    )
    db().commit()
    lines = outcome_lines(outcome, dry_run)
    extra = len(lines) - MAX_LINES
    for line in lines[:MAX_LINES]:
        text = line.strip()
        flash(
            text if text.startswith("DHIS2") else f"DHIS2: {text}", "ok" if outcome.ok else "error"
        )
    if extra > 0:
        flash(f"DHIS2: … and {extra} more conflicts (see the list below)", "error")
    return redirect(back + "#dhis2")
