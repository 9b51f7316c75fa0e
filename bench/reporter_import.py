"""Dashboard CSV import in slices (with its progress bar) against the one-shot import.

Run: .venv/bin/python bench/reporter_import.py [--rows N] [--database-url URL]
Imports the same generated file (N new reporters, every 20th row bad) twice into an empty
database: once as `ashshash reporters import` does (one call), once as the dashboard does
(stored upload, then `advance` a slice at a time, each slice re-reading the CSV), and prints
rows/s for both and their ratio. The baseline is measured in the same run, so the ratio can
be read on any machine. Without --database-url it uses a temporary SQLite file; a given
database must hold no reporters (the benchmark deletes what it imports).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, text  # noqa: E402

from schemas.actor import Actor  # noqa: E402
from schemas.tables import AuditEntry, Reporter, ReporterImport, User  # noqa: E402
from workers.db import dispose_engines, session_factory  # noqa: E402
from workers.migrate import upgrade  # noqa: E402
from workers.reporter_import import advance, start_import  # noqa: E402
from workers.reporters import import_csv  # noqa: E402
from workers.settings import Settings  # noqa: E402

UNIONS = ("Nalta", "Kulla", "Anulia", "Bhomra", "শ্রীউলা")


def make_csv(rows: int) -> str:
    lines = ["phone,name,role,union,language"]
    for n in range(rows):
        union = "Atlantis" if n % 20 == 19 else UNIONS[n % len(UNIONS)]
        lines.append(f"0171{n:07d},Reporter {n},activist,{union},bn")
    return "\n".join(lines) + "\n"


def _empty(settings: Settings) -> None:
    with session_factory(settings)() as session:
        for table in (ReporterImport, AuditEntry, Reporter):
            session.execute(delete(table))
        session.commit()


def one_shot(settings: Settings, csv_text: str) -> float:
    _empty(settings)
    start = time.perf_counter()
    with session_factory(settings)() as session:
        import_csv(session, csv_text, actor=Actor.system())  # as the command line does
        session.commit()
    return time.perf_counter() - start


def sliced(settings: Settings, csv_text: str) -> tuple[float, int]:
    _empty(settings)
    with session_factory(settings)() as session:
        user = session.query(User).first()
        if user is None:
            user = User(
                email="bench@example.org",
                role="coordinator",
                password_hash="x",
                created_at=datetime.now(UTC),
            )
            session.add(user)
            session.commit()
        start = time.perf_counter()
        job = start_import(session, user.id, "bench.csv", csv_text)
        session.commit()
        slices = 0
        while job.status == "running":  # what the progress page does, one load per slice
            advance(session, job, region="BD", actor=Actor.user(user.id))
            session.commit()
            slices += 1
        return time.perf_counter() - start, slices


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        settings = Settings(database_url=url, instance_path=tmp)
        upgrade(settings)
        with session_factory(settings)() as session:
            if session.scalar(text("SELECT count(*) FROM reporters")):
                raise SystemExit("the benchmark deletes what it imports: give it an empty database")
        csv_text = make_csv(args.rows)
        base = one_shot(settings, csv_text)
        took, slices = sliced(settings, csv_text)
        _empty(settings)
        dispose_engines()
    print(f"rows {args.rows}, database {url.split(':', 1)[0]}")
    print(f"one call (ashshash reporters import): {args.rows / base:,.0f} rows/s ({base:.2f} s)")
    print(f"dashboard, {slices} slices:            {args.rows / took:,.0f} rows/s ({took:.2f} s)")
    print(f"ratio sliced / one call: {took / base:.2f}")


if __name__ == "__main__":
    main()
