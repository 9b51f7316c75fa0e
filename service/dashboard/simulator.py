"""The phone simulator: a message typed here goes through the real pipeline; the reply shows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import render_template, request
from sqlalchemy import select

from schemas.envelope import InboundEnvelope
from schemas.tables import InboundMessage, Reporter
from service.dashboard import access, bp
from service.dashboard.display import clip
from service.web import db, settings
from workers.inbound.accept import accept_now

PROVIDER = "web"
MAX_TEXT = 480  # three SMS parts; the parser rejects longer texts with its own message
RECENT = 10


def _reporters() -> list[Reporter]:
    return list(
        db()
        .scalars(select(Reporter).where(Reporter.active.is_(True)).order_by(Reporter.name))
        .all()
    )


def _recent() -> list[InboundMessage]:
    return list(
        db()
        .scalars(
            select(InboundMessage)
            .where(InboundMessage.provider == PROVIDER)
            .order_by(InboundMessage.id.desc())
            .limit(RECENT)
        )
        .all()
    )


@bp.route("/simulator", methods=["GET", "POST"])
@access.coordinator_only
def simulator():  # type: ignore[no-untyped-def]
    result = None
    error = None
    phone = request.form.get("phone", "").strip()[:40] or request.form.get("reporter", "")[:40]
    text = request.form.get("text", "")[:MAX_TEXT]
    if request.method == "POST":
        if not phone or not text.strip():
            error = "sim_missing"
        else:
            session = db()
            now = datetime.now(UTC)
            envelope = InboundEnvelope(
                channel="sms",
                provider=PROVIDER,
                provider_id=f"sim-{uuid.uuid4().hex}",
                sender=phone,
                text=text,
                provider_time=now,
                extra={"user_id": access.current_user().id},  # type: ignore[union-attr]
            )
            # Shown on screen, not texted: the simulator must never reach a real phone. The
            # id is new each time, so the message is always processed here (a batch of one).
            message, processed = accept_now(session, settings(), envelope)
            session.commit()
            result = {
                "sender": message.sender or phone,
                "status": message.status,
                "reply": processed.reply_text if processed is not None else None,
                "record_id": message.record_id,
            }
    return render_template(
        "simulator.html",
        reporters=_reporters(),
        result=result,
        error=error,
        phone=request.form.get("phone", ""),
        # The reporters page links here with ?reporter=<phone> to preselect one.
        chosen=request.values.get("reporter", "")[:40],
        text=text,
        recent=[(m, clip(m.text, 80)) for m in _recent()],
        max_text=MAX_TEXT,
    )
