"""One reporter added, edited, deactivated or reactivated by hand (the dashboard's forms).

The checks and their one-line messages are the CSV import's (`workers.reporters.check_row`),
so a row typed into the form and the same row in a file are judged alike.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.tables import Reporter
from workers.reporters import ReporterRow, audit_change, check_row

EDITABLE = ("name", "role", "union", "language")


def _checked(fields: dict[str, str], region: str) -> ReporterRow | str:
    raw = {key: (fields.get(key) or "").strip() for key in ("phone", *EDITABLE)}
    row, problem = check_row(raw, region)
    return row if row is not None else (problem or "unreadable row")


def add_reporter(
    session: Session, fields: dict[str, str], *, region: str, actor: Actor
) -> Reporter | str:
    """A new reporter from the form's cells, or why not; a known phone is refused (edit it)."""
    row = _checked(fields, region)
    if isinstance(row, str):
        return row
    known = session.scalar(select(Reporter).where(Reporter.phone == row.phone))
    if known is not None:
        return f"phone {row.phone} is already registered ({known.name})"
    values: dict[str, object] = {
        "name": row.name,
        "role": row.role,
        "union": row.union,
        "upazila": row.upazila,
        "language": row.language,
        "active": True,
    }
    reporter = Reporter(phone=row.phone, created_at=datetime.now(UTC), **values)
    session.add(reporter)
    session.flush()
    audit_change(session, reporter, "create", values, actor)
    return reporter


def edit_reporter(
    session: Session, reporter: Reporter, fields: dict[str, str], *, region: str, actor: Actor
) -> dict[str, object] | str:
    """Name, role, union and language changed as typed (the phone is the key and stays).

    Returns the changed values (empty when nothing changed), or why the form was refused.
    """
    row = _checked({**fields, "phone": reporter.phone}, region)
    if isinstance(row, str):
        return row
    wanted: dict[str, object] = {
        "name": row.name,
        "role": row.role,
        "union": row.union,
        "upazila": row.upazila,
        "language": row.language,
    }
    changed = {k: v for k, v in wanted.items() if getattr(reporter, k) != v}
    for key, value in changed.items():
        setattr(reporter, key, value)
    if changed:
        audit_change(session, reporter, "update", changed, actor)
    session.flush()
    return changed


def set_active(session: Session, reporter: Reporter, active: bool, *, actor: Actor) -> bool:
    """Deactivate (a lost phone) or reactivate; past records stay. True when it changed."""
    if reporter.active == active:
        return False
    reporter.active = active
    audit_change(
        session, reporter, "reactivate" if active else "deactivate", {"active": active}, actor
    )
    session.flush()
    return True
