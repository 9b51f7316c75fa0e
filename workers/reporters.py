"""Registered senders: CSV import (idempotent by phone), listing and deactivation."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.commands import Lang, Place, Role
from schemas.places import load_gazetteer
from schemas.tables import Reporter
from workers.apply.audit import audit
from workers.phones import to_e164

COLUMNS = ("phone", "name", "role", "union", "language")
REQUIRED = ("phone", "name", "role", "union")
NAME_MAX = 120


class CsvError(ValueError):
    """The file as a whole cannot be read (missing, not UTF-8, no usable header)."""


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
    actor: str | None = None,
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


def read_csv(path_or_text: str | Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, cells by column) for every data row; CsvError when the file is unusable."""
    return _read_rows(_load_text(path_or_text))


def parse_csv_text(text: str) -> list[tuple[int, dict[str, str]]]:
    """Like read_csv for text that is never taken as a file name (an upload)."""
    return _read_rows(text)


def import_rows(
    session: Session,
    rows: list[tuple[int, dict[str, str]]],
    report: ImportReport,
    seen: dict[str, int],
    *,
    region: str = "BD",
    actor: str | None = None,
) -> None:
    """Check and upsert `rows`, adding to `report`; `seen` maps phones to their first line."""
    for line, raw in rows:
        row, problem = check_row(raw, region)
        if row is not None and row.phone in seen:
            problem = f"phone {row.phone} already on line {seen[row.phone]}"
            row = None
        if row is None:
            report.problems.append((line, problem or "unreadable row"))
            continue
        seen[row.phone] = line
        _upsert(session, row, report, actor)
    session.flush()


def audit_import(session: Session, report: ImportReport, *, actor: str | None = None) -> None:
    audit(
        session,
        reporter=None,
        action="import",
        entity="reporters",
        entity_id=None,
        inbound_id=None,
        detail={"imported": report.imported, "updated": report.updated, "skipped": report.skipped},
        actor=actor,
    )


def list_reporters(session: Session, *, include_inactive: bool = True) -> list[Reporter]:
    query = select(Reporter).order_by(Reporter.role, Reporter.name, Reporter.phone)
    if not include_inactive:
        query = query.where(Reporter.active.is_(True))
    return list(session.scalars(query))


def deactivate(
    session: Session, phone: str, *, region: str = "BD", actor: str | None = None
) -> Reporter:
    """Stop a number from reporting; its past records stay. LookupError when unknown."""
    e164 = to_e164(phone, region)
    reporter = session.scalar(select(Reporter).where(Reporter.phone == e164)) if e164 else None
    if reporter is None:
        raise LookupError(f"no reporter with phone {phone}")
    if reporter.active:
        reporter.active = False
        audit(
            session,
            reporter=None,
            action="deactivate",
            entity="reporters",
            entity_id=reporter.id,
            inbound_id=None,
            detail={"phone": reporter.phone},
            actor=actor,
        )
    return reporter


def _load_text(path_or_text: str | Path) -> str:
    """A Path, or a str naming an existing file, is read; any other str is the CSV itself."""
    is_path = isinstance(path_or_text, Path) or (
        "\n" not in path_or_text and "," not in path_or_text
    )
    if not is_path:
        return str(path_or_text)
    path = Path(path_or_text)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return decode_csv(raw, str(path))


def decode_csv(raw: bytes, name: str) -> str:
    """A file's bytes as text; CsvError when it is not UTF-8 (Excel's plain "CSV" is not)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError(f"{name} is not UTF-8 text (save it as CSV UTF-8)") from exc


def _read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for every non-blank data row; line 1 is the header."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        line = reader.line_num
        if header is None:
            if not any(c.strip() for c in cells):
                continue
            header = [c.strip().lower() for c in cells]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise CsvError(
                    f"line {line}: header lacks column(s) {', '.join(missing)}; "
                    f"expected {','.join(COLUMNS)}"
                )
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            rows.append((line, {"__error__": f"{len(cells)} cells, header has {len(header)}"}))
            continue
        rows.append(
            (
                line,
                {
                    name: (cells[i].strip() if i < len(cells) else "")
                    for i, name in enumerate(header)
                },
            )
        )
    if header is None:
        raise CsvError(f"empty file: expected a header {','.join(COLUMNS)}")
    return rows


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


def _upsert(session: Session, row: ReporterRow, report: ImportReport, actor: str | None) -> None:
    reporter = session.scalar(select(Reporter).where(Reporter.phone == row.phone))
    values = {
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
        session.flush()
        report.imported += 1
        audit_change(session, reporter, "create", values, actor)
        return
    changed = {k: v for k, v in values.items() if getattr(reporter, k) != v}
    if not changed:
        report.unchanged += 1
        return
    for key, value in changed.items():
        setattr(reporter, key, value)
    report.updated += 1
    audit_change(session, reporter, "update", changed, actor)


def audit_change(
    session: Session, reporter: Reporter, action: str, values: Mapping[str, object],
    actor: str | None,
) -> None:
    """One audit entry per reporter created or changed, with the new values."""
    audit(
        session,
        reporter=None,
        action=action,
        entity="reporters",
        entity_id=reporter.id,
        inbound_id=None,
        detail={"phone": reporter.phone, **values},
        actor=actor,
    )
