"""Ingest benchmark: gunicorn + PostgreSQL + Redis on 127.0.0.1, bounded in count and time.

    .venv/bin/python bench/ingest.py [--requests 3000] [--concurrency 16] [--workers 1]

Prints bare-Flask req/s (GET /healthz, same app and gunicorn), webhook req/s, their ratio,
p99 latency, the worker's backlog drain rate and end-to-end msgs/s with workers running,
counted until the provider received the reply: replies go through the real
`africastalking` SDK to a local fake Africa's Talking answering at once
(bench/provider_sink.py). Uses its own database `ashshash_bench` and Redis db 12 (both
emptied first).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gunicorn_harness import free_port, stop_all, wait_ready  # noqa: E402
from http_load import request_bytes, send_all  # noqa: E402
from provider_sink import Sink  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
DATABASE_URL = f"{PG_SERVER}/ashshash_bench"
REDIS_URL = "redis://127.0.0.1:6379/12"
TOKEN = "bench-token"
REPORTERS = 200
CAP_SECONDS = 120.0  # no phase runs longer than this


def prepare_database() -> None:
    from sqlalchemy import create_engine, text

    from schemas.tables import Base, Reporter
    from workers.db import get_engine, session_scope
    from workers.migrate import upgrade
    from workers.settings import Settings

    server = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = 'ashshash_bench'")):
            conn.execute(text("CREATE DATABASE ashshash_bench"))
    server.dispose()
    settings = Settings(database_url=DATABASE_URL)
    upgrade(settings)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with get_engine(DATABASE_URL).begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    with session_scope(settings) as session:
        for i in range(REPORTERS):
            session.add(
                Reporter(
                    phone=phone(i),
                    name=f"Bench {i}",
                    role="activist",
                    union="Anulia",
                    upazila="Assasuni",
                    language="en",
                    active=True,
                    created_at=datetime.now(UTC),
                )
            )
    from redis import Redis

    Redis.from_url(REDIS_URL).flushdb()


def phone(i: int) -> str:
    return f"+8801710{i:06d}"


def app_env(
    instance: str, port: int, web_workers: int | None, threads: int | None
) -> dict[str, str]:
    """The stack's environment; gunicorn's size is the project's (gunicorn.conf.py) unless
    `web_workers` / `threads` are given."""
    env = dict(os.environ)
    for name in ("WEB_CONCURRENCY", "WEB_THREADS"):
        env.pop(name, None)
    if web_workers:
        env["WEB_CONCURRENCY"] = str(web_workers)
    if threads:
        env["WEB_THREADS"] = str(threads)
    env.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        WEBHOOK_TOKEN=TOKEN,
        SECRET_KEY="bench",
        INSTANCE_PATH=instance,
        HOST="127.0.0.1",
        PORT=str(port),
        PYTHONPATH=str(ROOT),
    )
    return env


def gunicorn_size(web_workers: int | None, threads: int | None) -> tuple[int, int]:
    """(processes, threads) the stack's gunicorn runs with: the flags, or the project's
    defaults for a stack with Redis (service/serving.py, as gunicorn.conf.py reads them)."""
    from service.serving import web_processes, web_threads

    return (
        web_workers or web_processes(os.cpu_count() or 1, queued=True),
        threads or web_threads(queued=True),
    )


# --- load generator: several client processes ------------------------------------------------


def _client_process(args: tuple[int, str, int, int, int, int, float, str]):
    port, kind, first, count, concurrency, _proc, deadline, stamp = args
    payloads = []
    for i in range(first, first + count):
        form = None
        if kind == "hook":
            form = {
                "from": phone(i % REPORTERS),
                "to": "21212",
                "date": stamp,
                "text": f"MEET {1 + i // REPORTERS % 4999}",
                "id": f"bench-{i}",
            }
        path = f"/hooks/{TOKEN}/at/sms" if kind == "hook" else "/healthz"
        payloads.append(request_bytes(port, path, form))
    return asyncio.run(send_all(port, payloads, concurrency, deadline))


def load(port: int, kind: str, first: int, total: int, concurrency: int, procs: int) -> dict:
    """Send `total` requests from `procs` processes; req/s, p99 and errors."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    share = total // procs
    deadline = time.monotonic() + CAP_SECONDS
    jobs = [
        (port, kind, first + p * share, share, max(1, concurrency // procs), p, deadline, stamp)
        for p in range(procs)
    ]
    start = time.perf_counter()
    with multiprocessing.Pool(procs) as pool:
        results = pool.map(_client_process, jobs)
    elapsed = time.perf_counter() - start
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else 0.0
    return {
        "rps": len(latencies) / elapsed,
        "p99_ms": p99 * 1000,
        "n": len(latencies),
        "errors": errors,
    }


# --- processing -----------------------------------------------------------------------------


def processed_rate(since_id: int, timeout: float) -> tuple[int, float, float]:
    """Wait until messages with id > since_id are processed; (count, drain/s, end-to-end/s)."""
    from sqlalchemy import func, select

    from schemas.tables import InboundMessage
    from workers.db import session_scope
    from workers.settings import Settings

    settings = Settings(database_url=DATABASE_URL)
    newer = InboundMessage.id > since_id
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(settings) as s:
            left = s.scalar(select(func.count()).where(newer, InboundMessage.status == "received"))
        if not left:
            break
        time.sleep(0.2)
    with session_scope(settings) as s:
        count, first_stored, first_done, last_done = s.execute(
            select(
                func.count(),
                func.min(InboundMessage.stored_at),
                func.min(InboundMessage.processed_at),
                func.max(InboundMessage.processed_at),
            ).where(newer, InboundMessage.status != "received")
        ).one()
    if not count:
        return 0, 0.0, 0.0
    drain = count / max((last_done - first_done).total_seconds(), 1e-6)
    e2e = count / max((last_done - first_stored).total_seconds(), 1e-6)
    return int(count), drain, e2e


def max_id() -> int:
    from sqlalchemy import func, select

    from schemas.tables import InboundMessage
    from workers.db import session_scope
    from workers.settings import Settings

    with session_scope(Settings(database_url=DATABASE_URL)) as s:
        return int(s.scalar(select(func.max(InboundMessage.id))) or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--clients", type=int, default=2, help="load generator processes")
    parser.add_argument("--web-workers", type=int, help="default: gunicorn.conf.py's")
    parser.add_argument("--web-threads", type=int, help="default: gunicorn.conf.py's")
    # One worker per two cores: a second one competes with the webhook for the CPU.
    parser.add_argument("--workers", type=int, default=1, help="`ashshash worker` processes")
    args = parser.parse_args()
    n = min(args.requests, 50000)
    prepare_database()
    port = free_port()
    procs: list[subprocess.Popen[bytes]] = []
    sink = Sink(free_port(), 0.0)
    with tempfile.TemporaryDirectory() as instance:
        env = app_env(instance, port, args.web_workers, args.web_threads)
        env.update(
            SMS_BACKEND="africastalking",
            AT_USERNAME="bench",
            AT_API_KEY="bench-key",
            AT_API_BASE=sink.base_url,
        )
        try:
            web = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "service.wsgi:app"],
                cwd=ROOT,
                env=env,
                stderr=subprocess.DEVNULL,
            )
            procs.append(web)
            wait_ready(port)
            load(port, "bare", 0, 200, args.concurrency, args.clients)  # warm-up
            load(port, "hook", 10_000_000, 200, args.concurrency, args.clients)
            bare = load(port, "bare", 0, n, args.concurrency, args.clients)
            before = max_id()
            hook = load(port, "hook", 0, n, args.concurrency, args.clients)
            # Backlog drain: the webhook phase ran without workers; start them now.
            worker_cmd = [sys.executable, "-c", "from service.cli import main; main()", "worker"]
            for _ in range(args.workers):
                procs.append(subprocess.Popen(worker_cmd, cwd=ROOT, env=env))
            drained, drain_rate, _ = processed_rate(before, CAP_SECONDS)
            # End to end: callbacks arrive while the workers run; counted until the provider
            # has received every reply.
            sink.wait_for(drained + 200, CAP_SECONDS)
            before = max_id()
            received = sink.stats()["recipients"]
            started = time.time()
            live = load(port, "hook", n, n, args.concurrency, args.clients)
            done, _, _ = processed_rate(before, CAP_SECONDS)
            stats = sink.wait_for(received + live["n"], CAP_SECONDS)
            replied = stats["recipients"] - received
            e2e_rate = replied / max(stats["last"] - started, 1e-6)
        finally:
            stop_all(procs)
            sink.stop()
    ratio = hook["rps"] / bare["rps"] if bare["rps"] else 0.0
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    processes, threads = gunicorn_size(args.web_workers, args.web_threads)
    print(
        f"gunicorn: {processes} gthread workers x {threads} threads; "
        f"{args.workers} RQ workers; "
        f"{args.clients} client processes x {args.concurrency // args.clients} connections"
    )
    print(
        f"bare Flask (GET /healthz):   {bare['rps']:8.0f} req/s  p99 {bare['p99_ms']:6.1f} ms  "
        f"({bare['n']} requests, {bare['errors']} errors)"
    )
    print(
        f"webhook (POST at/sms):       {hook['rps']:8.0f} req/s  p99 {hook['p99_ms']:6.1f} ms  "
        f"({hook['n']} requests, {hook['errors']} errors)"
    )
    print(f"webhook / bare:              {ratio:8.2f}  (goal >= 0.5)")
    print(f"worker drain of backlog:     {drain_rate:8.0f} msgs/s ({drained} messages)")
    print(
        f"end to end, workers running: {e2e_rate:8.0f} msgs/s (callback -> provider received "
        f"the reply; {done} of {live['n']} processed, {replied} replies received; "
        f"webhook {live['rps']:.0f} req/s meanwhile)  (goal >= 1000)"
    )


if __name__ == "__main__":
    main()
