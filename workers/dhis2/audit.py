"""Each push (who, when, period, counts, conflicts) as an audit log row, and the latest ones."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.tables import AuditEntry
from workers.dhis2.push import PushOutcome

ACTION = "dhis2_push"
MAX_CONFLICTS = 50  # an audit row stays small; the count says how many there were


def record_push(
    session: Session,
    *,
    actor: str,
    period: str,
    periods: list[str],
    dry_run: bool,
    values: int,
    outcome: PushOutcome,
) -> AuditEntry:
    """Add (not commit) the audit row of one push, whatever its outcome."""
    summary = outcome.summary
    detail: dict[str, Any] = {
        "period": period,
        "periods": periods,
        "dry_run": dry_run,
        "values": values,
        "ok": outcome.ok,
        "http_status": outcome.http_status,
        "attempts": outcome.attempts,
        "message": outcome.message,
        "status": summary.status if summary else None,
        "counts": summary.counts() if summary else None,
        "conflict_count": len(summary.conflicts) if summary else 0,
        "conflicts": [c.as_dict() for c in summary.conflicts[:MAX_CONFLICTS]] if summary else [],
    }
    entry = AuditEntry(
        at=datetime.now(UTC),
        actor=actor[:60],
        action=ACTION,
        entity="dhis2",
        entity_id=None,
        inbound_id=None,
        detail=detail,
    )
    session.add(entry)
    return entry


def recent_pushes(session: Session, limit: int = 10) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == ACTION)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )
