"""A reporters CSV imported from the dashboard in slices, so a large file shows its progress.

The upload is stored (`ReporterImport`), then each call of `advance` checks and upserts the
next rows for about a second and commits nothing itself; the page that shows the progress bar
calls it again until the file is done. The rows, checks and messages are exactly those of
`ashshash reporters import` (`workers.reporters`); only the slicing is added here.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.tables import ReporterImport
from workers.reporters import ImportReport, audit_import, import_rows, parse_csv_text

SLICE_SECONDS = 1.0
MIN_SLICE_ROWS = 50  # rows per slice at least, so even a slow machine moves on


def start_import(session: Session, user_id: int, filename: str, text: str) -> ReporterImport:
    """Store an uploaded file; CsvError (raised before anything is stored) when it is unusable."""
    rows = parse_csv_text(text)
    now = datetime.now(UTC)
    job = ReporterImport(
        user_id=user_id,
        filename=filename[:200],
        csv_text=text,
        total=len(rows),
        done=0,
        status="running",
        result={"imported": 0, "updated": 0, "unchanged": 0, "problems": [], "seen": {}},
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    session.flush()
    return job


def report_of(job: ReporterImport) -> ImportReport:
    result: dict[str, Any] = job.result or {}
    return ImportReport(
        imported=int(result.get("imported", 0)),
        updated=int(result.get("updated", 0)),
        unchanged=int(result.get("unchanged", 0)),
        problems=[(int(line), str(why)) for line, why in result.get("problems", [])],
    )


def advance(
    session: Session,
    job: ReporterImport,
    *,
    region: str,
    actor: Actor,
    seconds: float | None = None,
) -> ReporterImport:
    """Import the next slice of rows (about `seconds` of work); finish and audit at the end."""
    if job.status != "running" or job.csv_text is None:
        return job
    rows = parse_csv_text(job.csv_text)
    report = report_of(job)
    seen: dict[str, int] = dict((job.result or {}).get("seen", {}))
    deadline = time.monotonic() + (SLICE_SECONDS if seconds is None else seconds)
    position = job.done
    while position < len(rows):
        end = min(len(rows), position + MIN_SLICE_ROWS)
        import_rows(session, rows[position:end], report, seen, region=region, actor=actor)
        position = end
        if time.monotonic() >= deadline:
            break
    job.done = position
    job.updated_at = datetime.now(UTC)
    if position >= len(rows):
        job.status = "done"
        job.csv_text = None  # names and phones are in the reporters table now; drop the copy
        seen = {}
        audit_import(session, report, actor=actor)
    # A new dict, so the JSON column is seen as changed.
    job.result = {
        "imported": report.imported,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "problems": [[line, why] for line, why in report.problems],
        "seen": seen,
    }
    session.flush()
    return job
