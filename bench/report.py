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
import random
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from schemas.periods import Period  # noqa: E402
from schemas.tables import Base  # noqa: E402
from service.reports.build import build_report  # noqa: E402
from service.reports.indicators import Scope, indicators  # noqa: E402
from service.reports.render import render  # noqa: E402
from workers.db import get_engine, session_factory  # noqa: E402
from workers.migrate import upgrade  # noqa: E402
from workers.settings import Settings  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/ashshash_repbench"
START, END = date(2019, 11, 1), date(2022, 8, 31)
SPAN = (END - START).days
UPAZILAS = {
    "Assasuni": ["Anulia", "Kadakati", "Khajra", "Pratapnagar"],
    "Debhata": ["Kulia", "Noapara", "Parulia", "Sakhipur"],
    "Kalaroa": ["Keralkata", "Kaila", "Jallabad", "Helatala"],
    "Kaliganj": ["Nalta", "Ratanpur", "Tarali", "Bishnupur"],
    "Satkhira Sadar": ["Labsa", "Bhomra", "Balli", "Agardari"],
    "Shyamnagar": ["Gabura", "Munshiganj", "Atulia", "Kaikhali"],
    "Tala": ["Khesra", "Magura", "Tentulia", "Kumira"],
}
PLACES = [(u, n) for u, unions in UPAZILAS.items() for n in unions]
EVENTS = ["MEET", "UPD", "LED", "SCH", "COM", "AWR", "YTH", "TRN", "DAY", "CC"]
RECORD_COLS = (
    "id",
    "inbound_id",
    "reporter_id",
    "channel",
    "keyword",
    "status",
    "activity_date",
    "received_at",
    "total",
    "m",
    "f",
    "o",
    "students",
    "teachers",
    "parents",
    "youths",
    "cbo",
    "day_code",
    "upazila",
    "union",
    "survivor_id",
    "members",
    "service",
    "referral_id",
    "outcome",
    "kinds",
    "partner",
    "survivor_child",
    "created_at",
    "topic",
)
EMG_KINDS = ("HEALTH", "TRAUMA", "COUNSEL", "SHELTER")
TOPICS = ("facilitation", "communication", "survivor reintegration", "advocacy")


def _record(
    rid: int,
    kw: str,
    day: date,
    place: tuple[str, str],
    rng: random.Random,
    survivor: int | None = None,
    child: bool = False,
    **extra: object,
) -> tuple[object, ...]:
    at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=5)
    row: dict[str, object] = dict.fromkeys(RECORD_COLS)
    row.update(
        id=rid,
        inbound_id=rid,
        reporter_id=1 + rid % 50,
        channel="sms",
        keyword=kw,
        status="cancelled" if rng.random() < 0.02 else "active",
        activity_date=day,
        received_at=at,
        upazila=place[0],
        union=place[1],
        survivor_id=survivor,
        survivor_child=child,
        created_at=at,
        **extra,
    )
    return tuple(row[c] for c in RECORD_COLS)


def generate(
    n_records: int, seed: int = 1
) -> tuple[list[tuple[object, ...]], Iterator[tuple[object, ...]]]:
    """(survivor rows, record rows): about 90% survivor services, 10% events."""
    rng = random.Random(seed)
    n_survivors = int(n_records * 0.9 / 7.5)
    codes = rng.sample(range(100000, 1000000), n_survivors)
    survivors = []
    for i in range(n_survivors):
        up, un = rng.choice(PLACES)
        age = rng.randint(10, 50)
        day = START + timedelta(days=rng.randrange(SPAN - 30))
        survivors.append(
            (
                i + 1,
                str(codes[i]),
                rng.choice("FFFM"),
                age,
                age < 18,
                up,
                un,
                day,
                True,
                datetime.combine(day, datetime.min.time(), UTC),
            )
        )

    def rows() -> Iterator[tuple[object, ...]]:
        rid = 0
        while rid < n_records:
            if rng.random() < 0.12:
                rid += 1
                kw = rng.choice(EVENTS)
                total = rng.randint(10, 400)
                m = rng.randint(0, total)
                extra: dict[str, object] = {}
                if kw == "SCH":
                    extra.update(
                        students=total // 2,
                        teachers=total // 10,
                        parents=total - total // 2 - total // 10,
                    )
                if kw == "TRN":
                    extra["topic"] = rng.choice(TOPICS)
                yield _record(
                    rid,
                    kw,
                    START + timedelta(days=rng.randrange(SPAN)),
                    rng.choice(PLACES),
                    rng,
                    total=total,
                    m=m,
                    f=total - m,
                    o=0,
                    day_code="IWD" if kw == "DAY" else None,
                    **extra,
                )
                continue
            s = survivors[rng.randrange(n_survivors)]
            sid, child, place, enrolled = s[0], s[4], (s[5], s[6]), s[7]
            plan = ["ENR", "NA"] + ["IC"] * rng.randint(1, 4) + ["FC"] * rng.randint(0, 3)
            plan += ["CERT"] * (rng.random() < 0.7) + ["REF", "REFOUT"] * (rng.random() < 0.4)
            plan += ["EMG"] * (rng.random() < 0.05) + ["SUP"] * (rng.random() < 0.2)
            for kw in plan:
                rid += 1
                day = min(enrolled + timedelta(days=rng.randrange(0, 200)), END)
                extra = {}
                if kw == "EMG":
                    extra["kinds"] = " ".join(rng.sample(EMG_KINDS, rng.randint(1, 3)))
                if kw == "FC":
                    extra["members"] = rng.randint(1, 6)
                if kw == "REF":
                    extra["service"] = rng.choice(["HEALTH"] * 8 + ["LEGAL", "SHELTER"])
                if kw == "REFOUT":
                    extra.update(referral_id=rid - 1, outcome=rng.choice(["DONE", "NO"]))
                if kw == "SUP":
                    extra["partner"] = "PRAN"
                yield _record(rid, kw, day, place, rng, survivor=sid, child=child, **extra)
                if rid >= n_records:
                    return

    return survivors, rows()


def load(settings: Settings, n_records: int) -> float:
    engine = get_engine(settings.database_url)
    with engine.begin() as conn:
        # Until the first release the schema is one migration that is regenerated in place;
        # an upgrade would leave a database made from an older version of it as it was.
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    upgrade(settings)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    started = time.perf_counter()
    survivors, records = generate(n_records)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        now = datetime.now(UTC)
        with cur.copy(
            'COPY reporters (id, phone, name, role, "union", upazila, language,'
            " active, created_at) FROM STDIN"
        ) as cp:
            for i in range(1, 51):
                cp.write_row(
                    (
                        i,
                        f"+88017110{i:05d}",
                        f"R{i}",
                        "counsellor",
                        "Nalta",
                        "Kaliganj",
                        "en",
                        True,
                        now,
                    )
                )
        with cur.copy(
            'COPY survivors (id, code, sex, age, is_child, upazila, "union",'
            " enrolled_on, active, created_at) FROM STDIN"
        ) as cp:
            for row in survivors:
                cp.write_row(row)
        rows = list(records)
        with cur.copy(
            "COPY inbound_messages (id, channel, provider, provider_id, sender,"
            " text, provider_time, stored_at, status) FROM STDIN"
        ) as cp:
            for r in rows:
                cp.write_row(
                    (
                        r[0],
                        "sms",
                        "bench",
                        f"b{r[0]}",
                        "+8801711000001",
                        r[4],
                        r[7],
                        r[7],
                        "accepted",
                    )
                )
        cols = ", ".join(f'"{c}"' for c in RECORD_COLS)
        with cur.copy(f"COPY records ({cols}) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)
        raw.commit()
        # What autovacuum does after a bulk load: statistics, and the visibility map that
        # lets the report read its covering index without visiting the table.
        raw.driver_connection.autocommit = True  # type: ignore[union-attr]
        cur.execute("VACUUM ANALYZE")
    finally:
        raw.close()
    return time.perf_counter() - started


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
