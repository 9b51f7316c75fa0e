"""Provider problems on the overview: refused phone webhooks (clock skew) and held-back replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.status import OutboundStatus
from schemas.tables import OutboundMessage
from service.dashboard import bp
from service.hooks.refusals import recent_refusals
from service.web import db
from workers.outbound.send import CONFIG_FAULT

WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Notices:
    refused: list[tuple[datetime, dict]]  # (when, {"device", "skew_s", "reason"})
    held: int  # replies kept queued because the backend is set up wrong
    held_reason: str | None  # the newest such reason, without its marker

    def __bool__(self) -> bool:
        return bool(self.refused or self.held)


def provider_notices(session: Session, now: datetime | None = None) -> Notices:
    since = (now or datetime.now(UTC)) - WINDOW
    held_q = select(OutboundMessage).where(
        OutboundMessage.status == OutboundStatus.QUEUED,
        OutboundMessage.failure_reason.like(f"{CONFIG_FAULT}%"),
    )
    held = session.scalar(select(func.count()).select_from(held_q.subquery())) or 0
    newest = session.scalar(
        held_q.with_only_columns(OutboundMessage.failure_reason)
        .order_by(OutboundMessage.updated_at.desc())
        .limit(1)
    )
    reason = newest[len(CONFIG_FAULT) :] if newest else None
    return Notices(recent_refusals(session, since), held, reason)


@bp.app_context_processor
def _notices() -> dict[str, object]:
    # Called by the overview template only (lazily): other pages pay nothing.
    return {"provider_notices": lambda: provider_notices(db())}
