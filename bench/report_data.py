"""The report benchmark's data: a year of realistic traffic (survivors with their services,
events, days, some cancelled) loaded into PostgreSQL with COPY, then VACUUM ANALYZE."""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from schemas.tables import Base  # noqa: E402
from workers.db import get_engine  # noqa: E402
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
