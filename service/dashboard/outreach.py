"""Outreach pages (coordinators): what went out and what it cost this month, what is due now
and why (or why it is held), and broadcasts: recipients and cost before Send, status after."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select

from schemas.actor import Actor
from schemas.outreach.config import ConfigError
from schemas.tables import Broadcast, OutboundMessage
from service.dashboard import access, bp
from service.web import db, settings
from workers.outbound.send import OUTREACH_KINDS
from workers.outreach import broadcast as broadcasts
from workers.outreach import budget
from workers.outreach.run import run_rules

RECENT = 50


@bp.get("/outreach")
@access.coordinator_only
def outreach():  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    uses = budget.use_by_kind(db(), settings(), now)
    state = budget.state(db(), settings(), now)
    try:
        report, config_error = run_rules(settings(), now=now, dry_run=True), None
    except ConfigError as exc:
        report, config_error = None, str(exc)
    recent = (
        db()
        .scalars(
            select(OutboundMessage)
            .where(OutboundMessage.kind.in_(OUTREACH_KINDS))
            .order_by(OutboundMessage.id.desc())
            .limit(RECENT)
        )
        .all()
    )
    sent_broadcasts = db().scalars(select(Broadcast).order_by(Broadcast.id.desc()).limit(20)).all()
    return render_template(
        "outreach.html",
        uses=uses,
        state=state,
        report=report,
        config_error=config_error,
        recent=recent,
        broadcasts=sent_broadcasts,
    )


@bp.route("/outreach/broadcast", methods=["GET", "POST"])
@access.coordinator_only
def broadcast_new():  # type: ignore[no-untyped-def]
    group = (request.form.get("group") or request.args.get("group") or "").strip()[:400]
    text = (request.form.get("text") or "").strip()
    if request.method == "GET":
        return render_template("broadcast.html", group=group, text=text, plan=None, error=None)
    try:
        if request.form.get("action") == "send":
            user = access.current_user()
            assert user is not None  # coordinator_only logged them in
            actor = str(Actor.user(user.id))  # the broadcast's created_by, as audit names users
            broadcast_id, _ = broadcasts.create(settings(), group, text, actor=actor)
            return redirect(url_for("dashboard.broadcast_status", broadcast_id=broadcast_id))
        plan = broadcasts.plan(db(), settings(), group, text)
    except broadcasts.GroupError as exc:
        return render_template(
            "broadcast.html", group=group, text=text, plan=None, error=str(exc)
        ), 400
    return render_template("broadcast.html", group=group, text=text, plan=plan, error=None)


@bp.get("/outreach/broadcast/<int:broadcast_id>")
@access.coordinator_only
def broadcast_status(broadcast_id: int):  # type: ignore[no-untyped-def]
    sent = db().get(Broadcast, broadcast_id)
    if sent is None:
        abort(404)
    messages = broadcasts.statuses(db(), broadcast_id)
    tally: dict[str, int] = {}
    for message in messages:
        tally[message.status] = tally.get(message.status, 0) + 1
    return render_template("broadcast_status.html", b=sent, messages=messages, tally=tally)
