"""Benchmark: the 2021 JSON report over 1,000,000 records in PostgreSQL, against a plain count(*);
then each document format (pdf, docx, xlsx, English and Bangla) against that JSON baseline.

    .venv/bin/python bench/report.py [--records 1000000] [--url postgresql+psycopg://...]

Recreates the schema from the migration, loads realistic traffic (survivors with their
services, events, days, some cancelled) with COPY (not the pipeline: that is benchmarked
elsewhere), runs VACUUM ANALYZE, then times both queries in the same run and prints a
markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from report_data import DEFAULT_URL, load  # noqa: E402
from sqlalchemy import text  # noqa: E402

from schemas.periods import Period  # noqa: E402
from service.reports.build import build_report  # noqa: E402
from service.reports.indicators import Scope, indicators  # noqa: E402
from service.reports.render import render  # noqa: E402
from workers.db import session_factory  # noqa: E402
from workers.settings import Settings  # noqa: E402


def interleaved(count, report, repeat: int) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    """(count seconds, report seconds) pairs, alternated so that both meet the same load
    (the machine is shared); one warm-up of each first, as a running server would be."""
    count()
    report()
    pairs = []
    for _ in range(repeat):
        t = time.perf_counter()
        count()
        c = time.perf_counter() - t
        t = time.perf_counter()
        report()
        pairs.append((c, time.perf_counter() - t))
    return pairs


GOALS = {"pdf": 3.0, "docx": 3.0, "xlsx": 5.0}


def time_documents(session, settings, scope, json_report, repeat: int):  # type: ignore[no-untyped-def]
    """{(format, lang): (seconds per run, JSON report seconds measured beside it)}: the whole
    request, as `ashshash report --format F` does it (indicators, tables, render)."""
    out = {}
    for fmt in ("pdf", "docx", "xlsx"):
        for lang in ("en", "bn"):

            def one(lang: str = lang, fmt: str = fmt) -> None:
                built = build_report(
                    session, settings, scope, public=False, breakdowns=True, lang=lang
                )
                render(built, fmt)
                session.rollback()

            one()  # warm-up
            runs, base = [], []
            for _ in range(repeat):
                t = time.perf_counter()
                json_report()
                base.append(time.perf_counter() - t)
                t = time.perf_counter()
                one()
                runs.append(time.perf_counter() - t)
            out[(fmt, lang)] = (runs, statistics.median(base))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default=DEFAULT_URL)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--doc-repeat", type=int, default=3)
    ap.add_argument("--skip-load", action="store_true")
    args = ap.parse_args()
    settings = Settings(database_url=args.url, secret_key="bench", webhook_token="bench")
    if not args.skip_load:
        print(f"loaded {args.records} records in {load(settings, args.records):.1f} s")
    session = session_factory(settings)()
    scope = Scope(Period(date(2021, 1, 1), date(2021, 12, 31)))
    total = session.scalar(text("SELECT count(*) FROM records"))
    in_2021 = session.scalar(
        text(
            "SELECT count(*) FROM records WHERE activity_date BETWEEN '2021-01-01' AND '2021-12-31'"
        )
    )

    def count() -> None:
        session.scalar(text("SELECT count(*) FROM records"))
        session.rollback()

    def report() -> None:
        json.dumps(indicators(session, scope))
        session.rollback()  # ends the transaction as a request or the CLI would

    pairs = interleaved(count, report, args.repeat)
    documents = time_documents(session, settings, scope, report, args.doc_repeat)
    session.close()
    counts, reports = [c for c, _ in pairs], [r for _, r in pairs]
    ratio = statistics.median(r / c for c, r in pairs)
    ms = lambda v: f"{v * 1000:.0f} ms"  # noqa: E731
    print(
        "\n| records | in 2021 | count(*) median (best) | 2021 JSON report median (best)"
        " | report / count (median of pairs) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {total:,} | {in_2021:,} | {ms(statistics.median(counts))} ({ms(min(counts))})"
        f" | {ms(statistics.median(reports))} ({ms(min(reports))}) | {ratio:.1f}x |"
    )
    ok = statistics.median(reports) < 1.0 and ratio < 5.0
    print(f"\ngoal (report < 1 s and < 5x count): {'met' if ok else 'NOT met'}")
    print("\n| format | lang | seconds median (best), query + render | / JSON report |")
    print("| --- | --- | ---: | ---: |")
    met = True
    for (fmt, lang), (runs, base) in documents.items():
        med = statistics.median(runs)
        met &= med < GOALS[fmt]
        print(f"| {fmt} | {lang} | {med:.2f} s ({min(runs):.2f} s) | {med / base:.1f}x |")
    print(f"\ngoal (pdf, docx < 3 s; xlsx < 5 s): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
