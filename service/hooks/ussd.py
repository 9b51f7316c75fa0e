"""Africa's Talking USSD: each hop answered from its `text` path; Save goes through the SMS path."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Response, abort, request
from sqlalchemy import select

from schemas.commands import Lang, Role
from schemas.parse import load_context
from schemas.provider_values import provider_key, storable
from schemas.tables import UssdEvent
from schemas.ussd import Screen, ShowRecent, Submission, menu
from schemas.ussd.end import busy, not_registered, recent_screen
from service.hooks import bp
from service.web import db, settings
from workers.inbound.ussd import caller, language, recent_records, save
from workers.phones import to_e164

log = logging.getLogger("ashshash.hooks.ussd")

KEPT = ("serviceCode", "networkCode")  # provider fields worth keeping with a saved hop


def _now() -> datetime:
    # AT sends no time with a hop: the activity date is read against the moment it arrives.
    return datetime.now(UTC)


def _answer(screen: Screen) -> Response:
    return Response(screen.body, status=200, mimetype="text/plain")


def _field(name: str) -> str:
    value = request.form.get(name, "").strip()
    if not value:
        abort(400, description=f"missing field: {name}")
    return value


@bp.post("/at/ussd")
def at_ussd() -> Response:
    session_id = storable(_field("sessionId"))
    phone = storable(_field("phoneNumber"))
    path = storable(request.form.get("text", ""))
    cfg = settings()
    session = db()
    lang = Lang.EN
    try:
        reporter = caller(session, cfg, phone)
        if reporter is None:
            return _answer(not_registered())
        lang = language(reporter)
        ctx = load_context(cfg.timezone, cfg.max_backdate_days)
        now = _now()
        result = menu(path, Role(reporter.role), lang, reporter.union, now, ctx)
        if isinstance(result, ShowRecent):
            return _answer(recent_screen(recent_records(session, reporter), lang))
        if isinstance(result, Submission):
            extra = {k: request.form[k][:60] for k in KEPT if k in request.form}
            screen = save(
                session,
                cfg,
                reporter=reporter,
                session_id=session_id,
                phone=phone,
                command=result.command,
                received=now,
                extra=extra,
            )
            session.commit()
            return _answer(screen)
        return _answer(result)
    except Exception:
        # The caller is waiting on a phone screen: an END line, never a traceback.
        log.exception("USSD hop failed (session %s)", session_id)
        try:
            session.rollback()
        except Exception:  # noqa: BLE001 - the database is already the problem being reported
            log.warning("rollback after a failed USSD hop failed too")
        return _answer(busy(lang))


@bp.post("/at/ussd-events")
def at_ussd_events() -> tuple[str, int]:
    """End-of-session notice: kept for the dashboard (abandoned sessions), once per status."""
    form = request.form
    # Any text is kept, but as text a database can hold (no NUL) and ids cut to fit.
    session_id = provider_key(_field("sessionId"))
    status = storable(form.get("status", "").strip())[:20] or None
    session = db()
    seen = session.scalar(
        select(UssdEvent.id)
        .where(UssdEvent.session_id == session_id, UssdEvent.status == status)
        .limit(1)
    )
    if seen is None:
        named = {"sessionId", "status", "phoneNumber", "input", "errorMessage"}
        phone = storable(form.get("phoneNumber") or "")
        session.add(
            UssdEvent(
                session_id=session_id,
                status=status,
                phone=to_e164(phone, settings().default_region) or phone[:40] or None,
                input=storable(form.get("input") or "") or None,
                error_message=storable(form.get("errorMessage") or "")[:300] or None,
                received_at=datetime.now(UTC),
                extra={storable(k): storable(form[k][:200]) for k in form if k not in named}
                or None,
            )
        )
        session.commit()
    return "OK", 200
