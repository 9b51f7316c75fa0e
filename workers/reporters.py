"""Registered senders: CSV import (idempotent by phone), listing and deactivation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.commands import Lang, Place, Role
from schemas.places import load_gazetteer
from schemas.tables import Reporter
from workers.apply.audit import audit
from workers.phones import to_e164
from workers.reporter_csv import COLUMNS, CsvError, decode_csv, parse_csv_text, read_csv

# Re-exported: the command line and the dashboard read files through this module.
__all__ = [
    "COLUMNS",
    "CsvError",
    "ImportReport",
    "ReporterRow",
    "audit_change",
    "audit_import",
    "check_row",
    "deactivate",
    "decode_csv",
    "import_csv",
    "import_rows",
    "list_reporters",
    "parse_csv_text",
    "read_csv",
]

NAME_MAX = 120
_IN_CHUNK = 500  # phones per IN (...) lookup, well under every driver's parameter limit


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)

    @property
    def skipped(self) -> int:
        return len(self.problems)

    def summary(self) -> str:
        return f"imported {self.imported}, updated {self.updated}, skipped {self.skipped}"


@dataclass(frozen=True)
class ReporterRow:
    phone: str
    name: str
    role: str
    union: str | None
    upazila: str | None
    language: str


def import_csv(
    session: Session,
    path_or_text: str | Path,
    *,
    region: str = "BD",
    actor: Actor,
) -> ImportReport:
    """Add or update reporters from CSV; bad rows are reported by line number and skipped.

    Running the same file twice changes nothing (reporters are keyed by E.164 phone).
    The dashboard's import runs the same rows in slices (workers.reporter_import); this is
    the whole file as one slice.
    """
    rows = read_csv(path_or_text)
    report = ImportReport()
    import_rows(session, rows, report, {}, region=region, actor=actor)
    audit_import(session, report, actor=actor)
    return report


def import_rows(
    session: Session,
    rows: list[tuple[int, dict[str, str]]],
    report: ImportReport,
    seen: dict[str, int],
    *,
    region: str = "BD",
    actor: Actor,
) -> None:
    """Check and upsert `rows`, adding to `report`; `seen` maps phones to their first line.

    The rows already registered are read in one query and the changes written in one flush:
    a query per row made a 10,000-row file take minutes on PostgreSQL.
    """
    good: list[ReporterRow] = []
    for line, raw in rows:
        row, problem = check_row(raw, region)
        if row is not None and row.phone in seen:
            problem = f"phone {row.phone} already on line {seen[row.phone]}"
            row = None
        if row is None:
            report.problems.append((line, problem or "unreadable row"))
            continue
        seen[row.phone] = line
        good.append(row)
    known: dict[str, Reporter] = {}
    phones = [row.phone for row in good]
    for start in range(0, len(phones), _IN_CHUNK):
        chunk = phones[start : start + _IN_CHUNK]
        known.update(
            (r.phone, r) for r in session.scalars(select(Reporter).where(Reporter.phone.in_(chunk)))
        )
    changes = [_upsert(session, row, known.get(row.phone), report) for row in good]
    session.flush()  # new reporters get their ids for the audit entries
    for reporter, action, values in changes:
        if action:
            audit_change(session, reporter, action, values, actor)
    session.flush()


def audit_import(session: Session, report: ImportReport, *, actor: Actor) -> None:
    audit(
        session,
        actor=actor,
        action="import",
        entity="reporters",
        entity_id=None,
        inbound_id=None,
        detail={"imported": report.imported, "updated": report.updated, "skipped": report.skipped},
    )


def list_reporters(session: Session, *, include_inactive: bool = True) -> list[Reporter]:
    query = select(Reporter).order_by(Reporter.role, Reporter.name, Reporter.phone)
    if not include_inactive:
        query = query.where(Reporter.active.is_(True))
    return list(session.scalars(query))


def deactivate(session: Session, phone: str, *, region: str = "BD", actor: Actor) -> Reporter:
    """Stop a number from reporting; its past records stay. LookupError when unknown."""
    e164 = to_e164(phone, region)
    reporter = session.scalar(select(Reporter).where(Reporter.phone == e164)) if e164 else None
    if reporter is None:
        raise LookupError(f"no reporter with phone {phone}")
    if reporter.active:
        reporter.active = False
        audit(
            session,
            actor=actor,
            action="deactivate",
            entity="reporters",
            entity_id=reporter.id,
            inbound_id=None,
            detail={"phone": reporter.phone},
        )
    return reporter


def check_row(raw: dict[str, str], region: str) -> tuple[ReporterRow | None, str | None]:
    """One row's cells checked as the import checks them: the row, or why not (one line)."""
    if "__error__" in raw:
        return None, raw["__error__"]
    phone = to_e164(raw.get("phone"), region)
    if phone is None:
        return None, f"phone {raw.get('phone')!r} is not a phone number"
    name = raw.get("name", "")
    if not name:
        return None, "name is empty"
    if len(name) > NAME_MAX:
        return None, f"name longer than {NAME_MAX} characters"
    role = raw.get("role", "").lower()
    if role not in {r.value for r in Role}:
        return None, f"role {raw.get('role')!r} is not activist, counsellor or coordinator"
    language = (raw.get("language") or "en").lower()
    if language not in {lang.value for lang in Lang}:
        return None, f"language {raw.get('language')!r} is not en or bn"
    union_text = raw.get("union", "")
    if not union_text:
        if role != Role.COORDINATOR:
            return None, "union is empty (only coordinators may have none)"
        return ReporterRow(phone, name, role, None, None, language), None
    place = _union(union_text)
    if isinstance(place, str):
        return None, place
    return ReporterRow(phone, name, role, place.union, place.upazila, language), None


def _union(text: str) -> Place | str:
    """The gazetteer's union (English or Bangla name, or a listed alias), or why not.

    No near matches: a registration is typed at a desk, and a wrong union would
    silently misplace every event the reporter sends without a place."""
    gazetteer = load_gazetteer()
    try:
        return gazetteer.union(text)
    except KeyError:
        pass
    guess = gazetteer.match(text)
    if isinstance(guess, Place):
        hint = f"did you mean {guess.name}?" if guess.union else "that is an upazila, not a union"
    else:
        hint = f"closest: {guess.detail.get('suggestions')}"
    return f"union {text!r} is not a union of the district ({hint})"


def _upsert(
    session: Session, row: ReporterRow, reporter: Reporter | None, report: ImportReport
) -> tuple[Reporter, str | None, dict[str, object]]:
    """Add or change one reporter (not flushed); the audit action and values, if any."""
    values: dict[str, object] = {
        "name": row.name,
        "role": row.role,
        "union": row.union,
        "upazila": row.upazila,
        "language": row.language,
        "active": True,
    }
    if reporter is None:
        reporter = Reporter(phone=row.phone, created_at=datetime.now(UTC), **values)
        session.add(reporter)
        report.imported += 1
        return reporter, "create", values
    changed = {k: v for k, v in values.items() if getattr(reporter, k) != v}
    if not changed:
        report.unchanged += 1
        return reporter, None, {}
    for key, value in changed.items():
        setattr(reporter, key, value)
    report.updated += 1
    return reporter, "update", changed


def audit_change(
    session: Session,
    reporter: Reporter,
    action: str,
    values: Mapping[str, object],
    actor: Actor,
) -> None:
    """One audit entry per reporter created or changed, with the new values."""
    audit(
        session,
        actor=actor,
        action=action,
        entity="reporters",
        entity_id=reporter.id,
        inbound_id=None,
        detail={"phone": reporter.phone, **values},
    )
