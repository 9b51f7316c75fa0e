"""USSD benchmark: complete random sessions, hop by hop, against the app under gunicorn.

    .venv/bin/python bench/ussd.py [--sessions 1000] [--concurrency 8] [--sqlite]

Prints p50/p99 per hop (menu hops and Save hops apart) and the same for a bare Flask endpoint
(GET /healthz, same app, same gunicorn, same run), and their ratio. Goal: p99 < 20 ms.
Uses PostgreSQL database `ashshash_ussd` (emptied first) or, with --sqlite, a temporary file.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gunicorn_harness import free_port, wait_ready  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_URL = f"{PG_SERVER}/ashshash_ussd"
TOKEN = "bench-token"
REPORTERS = 100  # half activists, half counsellors
SURVIVORS = 50
CAP_SECONDS = 300.0


def phone(i: int) -> str:
    return f"+8801720{i:06d}"


def prepare(url: str) -> list[str]:
    """Empty database with reporters and survivors; returns the survivor codes."""
    from sqlalchemy import text

    from schemas.codes import new_code
    from schemas.tables import Base, Reporter, Survivor
    from workers.db import dispose_engines, get_engine, session_scope
    from workers.migrate import upgrade
    from workers.settings import Settings

    settings = Settings(database_url=url)
    upgrade(settings)
    if url.startswith("postgresql"):
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with get_engine(url).begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    rng = random.Random(7)
    codes: list[str] = []
    now = datetime.now(UTC)
    with session_scope(settings) as session:
        for i in range(REPORTERS):
            session.add(
                Reporter(
                    phone=phone(i),
                    name=f"Bench {i}",
                    role="activist" if i % 2 else "counsellor",
                    union="Nalta",
                    upazila="Kaliganj",
                    language="bn" if i % 5 == 0 else "en",
                    active=True,
                    created_at=now,
                )
            )
        for _ in range(SURVIVORS):
            code = new_code(rng, codes.__contains__)
            codes.append(code)
            session.add(
                Survivor(
                    code=code,
                    sex="F",
                    age=25,
                    is_child=False,
                    upazila="Kaliganj",
                    union="Nalta",
                    enrolled_on=date.today(),
                    created_at=now,
                )
            )
    dispose_engines()
    return codes


def random_path(rng: random.Random, counsellor: bool, codes: list[str]) -> str:
    """One complete session: an event, a survivor service, a referral, a lookup or a cancel."""
    total = rng.randint(1, 400)
    men = rng.randint(0, total)
    when = rng.choice(["1", "2", "3*" + datetime.now(UTC).strftime("%d%m%y")])
    event = f"1*{rng.randint(1, 8)}*{total}*{men}*{total - men}*{when}*1*1"
    elsewhere = f"1*{rng.randint(1, 8)}*{total}*{men}*{total - men}*{when}*2*Shyamnagr*1"
    choices = [
        event,
        elsewhere,
        f"1*9*{rng.randint(1, 3)}*{total}*#*#*1*2*Kaliganj*1",
        f"1*1*{total}*{men}*{total - men}*1*1*2",
        "4",
    ]
    if counsellor:
        code = rng.choice(codes)
        typo = code[:5] + str((int(code[5]) + 1) % 10)  # Damm catches every one-digit slip
        choices += [
            f"2*1*{code}*1*1",
            f"2*2*{code}*{rng.randint(1, 30)}*2*1",
            f"3*1*{code}*{rng.randint(1, 4)}*1*1",
            f"2*5*{rng.randint(1, 3)}*30*1*1",
            f"2*1*{typo}*{code}*1*1",
        ]
    return rng.choice(choices)


class Lane(threading.Thread):
    """One client connection (keep-alive) running its share of sessions, timing every hop."""

    def __init__(self, port: int, jobs: list[tuple[str, str, str]] | int) -> None:
        super().__init__(daemon=True)
        self.port, self.jobs = port, jobs
        self.menu: list[float] = []
        self.save: list[float] = []
        self.errors = 0

    def _post(self, conn: http.client.HTTPConnection, path: str, body: str | None) -> str:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        conn.request("POST" if body else "GET", path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read().decode()
        if response.status != 200:
            self.errors += 1
        return data

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        deadline = time.monotonic() + CAP_SECONDS
        if isinstance(self.jobs, int):  # the bare-Flask baseline
            for _ in range(self.jobs):
                start = time.perf_counter()
                self._post(conn, "/healthz", None)
                self.menu.append(time.perf_counter() - start)
            return
        for session_id, number, path in self.jobs:
            if time.monotonic() > deadline:
                return
            parts = path.split("*")
            for n in range(len(parts) + 1):
                form = {
                    "sessionId": session_id,
                    "serviceCode": "*384*7#",
                    "phoneNumber": number,
                    "networkCode": "47001",
                    "text": "*".join(parts[:n]),
                }
                start = time.perf_counter()
                body = self._post(conn, f"/hooks/{TOKEN}/at/ussd", urllib.parse.urlencode(form))
                elapsed = time.perf_counter() - start
                (self.save if body.startswith("END ") and n else self.menu).append(elapsed)
                if body.startswith("END "):
                    break


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def run(port: int, sessions: int, concurrency: int, codes: list[str]) -> dict[str, list[float]]:
    rng = random.Random(42)
    jobs = []
    for i in range(sessions):
        who = rng.randrange(REPORTERS)
        jobs.append((f"bench-{i}", phone(who), random_path(rng, who % 2 == 0, codes)))
    lanes = [Lane(port, jobs[k::concurrency]) for k in range(concurrency)]
    for lane in lanes:
        lane.start()
    for lane in lanes:
        lane.join()
    hops = [x for lane in lanes for x in lane.menu]
    saves = [x for lane in lanes for x in lane.save]
    base_lanes = [Lane(port, (len(hops) + len(saves)) // concurrency) for _ in range(concurrency)]
    for lane in base_lanes:
        lane.start()
    for lane in base_lanes:
        lane.join()
    errors = sum(lane.errors for lane in lanes + base_lanes)
    return {
        "menu": hops,
        "save": saves,
        "bare": [x for b in base_lanes for x in b.menu],
        "errors": [float(errors)],
    }


def pure_hops(sessions: int, codes: list[str]) -> list[float]:
    """CPU time of the menu function alone (no HTTP, no database) for the same kind of hops."""
    from schemas.commands import Lang, Role
    from schemas.parse import load_context
    from schemas.ussd import menu

    ctx = load_context("Asia/Dhaka", 45)
    rng = random.Random(42)
    now = datetime.now(UTC)
    times: list[float] = []
    for i in range(sessions):
        counsellor = i % 2 == 0
        role = Role.COUNSELLOR if counsellor else Role.ACTIVIST
        parts = random_path(rng, counsellor, codes).split("*")
        for n in range(len(parts) + 1):
            start = time.process_time()
            menu("*".join(parts[:n]), role, Lang.EN, "Nalta", now, ctx)
            times.append(time.process_time() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--web-workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        url = f"sqlite:///{instance}/bench.db" if args.sqlite else PG_URL
        codes = prepare(url)
        port = free_port()
        env = dict(
            os.environ,
            DATABASE_URL=url,
            WEBHOOK_TOKEN=TOKEN,
            SECRET_KEY="bench",
            INSTANCE_PATH=instance,
            HOST="127.0.0.1",
            PORT=str(port),
            WEB_CONCURRENCY=str(args.web_workers),
            PYTHONPATH=str(ROOT),
        )
        env.pop("REDIS_URL", None)
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "service.wsgi:app"],
            cwd=ROOT,
            env=env,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_ready(port)
            run(port, 20, args.concurrency, codes)  # warm-up: imports, caches, connections
            result = run(port, min(args.sessions, 20000), args.concurrency, codes)
        finally:
            web.terminate()
            web.wait(timeout=20)
    menu, save, bare = result["menu"], result["save"], result["bare"]
    pure = pure_hops(min(args.sessions, 20000), codes)
    hops = menu + save
    print(
        f"database: {'SQLite' if args.sqlite else 'PostgreSQL'}; gunicorn {args.web_workers} "
        f"workers; {args.concurrency} client connections; {args.sessions} sessions"
    )
    print(f"{'':22}{'n':>7}{'p50 ms':>9}{'p99 ms':>9}")
    for name, values in (
        ("all USSD hops", hops),
        ("  menu hops (CON)", menu),
        ("  final hops (END)", save),
        ("bare Flask /healthz", bare),
        ("menu() alone, CPU", pure),
    ):
        print(f"{name:22}{len(values):>7}{pct(values, 0.5):>9.2f}{pct(values, 0.99):>9.2f}")
    print(
        f"ratio USSD/bare: p50 x{pct(hops, 0.5) / max(pct(bare, 0.5), 1e-9):.1f}, "
        f"p99 x{pct(hops, 0.99) / max(pct(bare, 0.99), 1e-9):.1f}; "
        f"errors: {int(result['errors'][0])}; goal p99 < 20 ms: "
        f"{'met' if pct(hops, 0.99) < 20 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
