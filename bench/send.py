"""Send benchmark: callback -> stored -> processed -> reply received by the provider.

    .venv/bin/python bench/send.py [--requests 6000] [--send-concurrency 64]

The pipeline under gunicorn with one `ashshash worker` on PostgreSQL + Redis, replies through
the real `africastalking` SDK to a local fake Africa's Talking (bench/provider_sink.py, its
own process) answering after 0 ms and after 200 ms. Prints, per provider delay, the baseline
measured in the same run (bare Flask GET /healthz req/s: how loaded the machine is), the
webhook's rate and the end-to-end rate counted until the provider received the last reply,
then the time a 1,000-recipient broadcast takes while replies keep flowing, and how long the
replies sent meanwhile took. Uses the database `ashshash_bench` and Redis db 12 (emptied).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gunicorn_harness import free_port, stop_all, wait_ready  # noqa: E402
from ingest import (  # noqa: E402
    CAP_SECONDS,
    DATABASE_URL,
    app_env,
    gunicorn_size,
    load,
    prepare_database,
)
from proc_cpu import machine_seconds, postgres_seconds, tree_seconds  # noqa: E402
from provider_sink import Sink  # noqa: E402

BROADCAST = 1000
GOALS = {0.0: 400, 0.2: 200}  # end-to-end msgs/s on this 2-core machine


def _stack_env(instance: str, port: int, sink: Sink, args: argparse.Namespace) -> dict[str, str]:
    env = app_env(instance, port, args.web_workers, args.web_threads)
    env.update(
        SMS_BACKEND="africastalking",
        AT_USERNAME="bench",
        AT_API_KEY="bench-key",
        AT_API_BASE=sink.base_url,
        SEND_CONCURRENCY=str(args.send_concurrency),
    )
    return env


def _broadcast(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`ashshash broadcast` of one text to BROADCAST registered numbers (queued, not waited)."""
    phones = ",".join(f"+8801910{i:06d}" for i in range(BROADCAST))
    cmd = [
        sys.executable,
        "-c",
        "from service.cli import main; main()",
        "broadcast",
        "--to",
        phones,
        "Office closed on Sunday. Reports as usual by SMS.",
    ]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def run_one(delay: float, args: argparse.Namespace) -> dict:
    prepare_database()
    _register_broadcast_numbers()
    sink = Sink(free_port(), delay)
    port = free_port()
    procs: list[subprocess.Popen[bytes]] = []
    n = min(args.requests, 20000)
    result: dict = {"delay": delay}
    with tempfile.TemporaryDirectory() as instance:
        # Outreach always open: the broadcast phase must not wait for quiet hours to end.
        Path(instance, "outreach.toml").write_text(
            '[window]\nquiet_start = "00:00"\nquiet_end = "00:00"\nweekend = []\n'
        )
        env = _stack_env(instance, port, sink, args)
        try:
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "-c",
                        "gunicorn.conf.py",
                        "service.wsgi:app",
                    ],
                    cwd=ROOT,
                    env=env,
                    stderr=subprocess.DEVNULL,
                )
            )
            wait_ready(port)
            load(port, "bare", 0, 200, args.concurrency, args.clients)  # warm-up
            result["bare"] = load(port, "bare", 0, n, args.concurrency, args.clients)
            worker = [sys.executable, "-c", "from service.cli import main; main()", "worker"]
            procs.append(subprocess.Popen(worker, cwd=ROOT, env=env))
            load(port, "hook", 10_000_000, 200, args.concurrency, args.clients)  # warm-up
            sink.wait_for(200, CAP_SECONDS)
            before = sink.stats()["recipients"]
            cpu_before = _cpu(procs, sink)
            started = time.time()
            result["hook"] = load(port, "hook", 0, n, args.concurrency, args.clients)
            stats = sink.wait_for(before + n, CAP_SECONDS)
            result["cpu"] = _per_message(cpu_before, _cpu(procs, sink), n)
            result["received"] = stats["recipients"] - before
            result["e2e"] = result["received"] / max(stats["last"] - started, 1e-6)
            result["in_flight"] = stats["max_in_flight"]
            if args.no_broadcast:
                return result
            # A broadcast while callbacks keep arriving: its time, and the replies' time.
            before = sink.stats()["recipients"]
            started = time.time()
            broadcast = _broadcast(env)
            live = load(port, "hook", 5_000_000, args.during, args.concurrency, args.clients)
            stats = sink.wait_for(before + BROADCAST + args.during, CAP_SECONDS)
            broadcast.wait(timeout=CAP_SECONDS)
            result["during"] = live
            result["broadcast_s"] = _broadcast_done(started)
            result["replies_during_s"] = _replies_done(started)
            result["all_s"] = stats["last"] - started
            result["received_during"] = stats["recipients"] - before
        finally:
            stop_all(procs)
            sink.stop()
    return result


def _cpu(procs: list[subprocess.Popen[bytes]], sink: Sink) -> dict[str, float]:
    """CPU seconds so far of each part: web (gunicorn), worker, provider sink, PostgreSQL
    (this database's backends), the load generator (reaped client processes), the machine."""
    times = os.times()
    return {
        "web": tree_seconds([procs[0].pid]),
        "worker": tree_seconds([procs[1].pid]),
        "sink": tree_seconds([sink.proc.pid]),
        "postgres": postgres_seconds(DATABASE_URL.rsplit("/", 1)[1]),
        "clients": times.children_user + times.children_system,
        "machine": machine_seconds(),
    }


def _per_message(before: dict[str, float], after: dict[str, float], n: int) -> dict[str, float]:
    return {part: (after[part] - before[part]) * 1000 / max(n, 1) for part in before}


def _register_broadcast_numbers() -> None:
    from datetime import UTC, datetime

    from schemas.tables import Reporter
    from workers.db import session_scope
    from workers.settings import Settings

    with session_scope(Settings(database_url=DATABASE_URL)) as session:
        for i in range(BROADCAST):
            session.add(
                Reporter(
                    phone=f"+8801910{i:06d}",
                    name=f"Listener {i}",
                    role="activist",
                    union="Kulia",
                    upazila="Debhata",
                    language="en",
                    active=True,
                    created_at=datetime.now(UTC),
                )
            )


def _last_sent(kinds: tuple[str, ...], started: float) -> float:
    """Seconds from `started` until the last message of these kinds was marked sent."""
    from sqlalchemy import func, select

    from schemas.tables import OutboundMessage
    from workers.db import session_scope
    from workers.settings import Settings

    with session_scope(Settings(database_url=DATABASE_URL)) as session:
        last = session.scalar(
            select(func.max(OutboundMessage.updated_at)).where(
                OutboundMessage.kind.in_(kinds), OutboundMessage.status == "sent"
            )
        )
    return (last.timestamp() - started) if last else float("nan")


def _broadcast_done(started: float) -> float:
    return _last_sent(("broadcast",), started)


def _replies_done(started: float) -> float:
    return _last_sent(("reply",), started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=6000)  # ~10 s of load: steadier than 2,000
    parser.add_argument("--during", type=int, default=500, help="callbacks during the broadcast")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--clients", type=int, default=2, help="load generator processes")
    parser.add_argument("--web-workers", type=int, help="default: gunicorn.conf.py's")
    parser.add_argument("--web-threads", type=int, help="default: gunicorn.conf.py's")
    parser.add_argument("--send-concurrency", type=int, default=64)
    parser.add_argument("--no-broadcast", action="store_true", help="skip the broadcast phase")
    args = parser.parse_args()
    results = [run_one(delay, args) for delay in (0.0, 0.2)]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    processes, threads = gunicorn_size(args.web_workers, args.web_threads)
    print(
        f"gunicorn: {processes} gthread workers x {threads} threads; 1 RQ worker; "
        f"SEND_CONCURRENCY={args.send_concurrency}; {args.clients} client processes x "
        f"{args.concurrency // args.clients} connections; replies via the africastalking SDK"
    )
    for r in results:
        ms = int(r["delay"] * 1000)
        bare, hook = r["bare"], r["hook"]
        print(f"--- provider answers after {ms} ms")
        print(f"  baseline, bare Flask GET /healthz: {bare['rps']:7.0f} req/s")
        print(
            f"  webhook POST at/sms:               {hook['rps']:7.0f} req/s "
            f"({hook['n']} callbacks, {hook['errors']} errors)"
        )
        print(
            f"  end to end (callback -> provider): {r['e2e']:7.0f} msgs/s "
            f"({r['received']} of {hook['n']} replies received; "
            f"{r['in_flight']} requests in flight at most)  goal >= {GOALS[r['delay']]}"
        )
        print(f"  end to end / baseline:             {r['e2e'] / bare['rps']:7.2f}")
        cpu = r["cpu"]
        parts = ", ".join(f"{part} {cpu[part]:.2f}" for part in cpu if part != "machine")
        print(
            f"  CPU ms per message, end-to-end phase: {parts}; whole machine {cpu['machine']:.2f} "
            "(every process, other users' too)"
        )
        if "broadcast_s" not in r:
            continue
        print(
            f"  broadcast to {BROADCAST} with {r['during']['n']} callbacks arriving: "
            f"broadcast sent in {r['broadcast_s']:.1f} s, replies meanwhile done in "
            f"{r['replies_during_s']:.1f} s, all {r['received_during']} received in "
            f"{r['all_s']:.1f} s"
        )


if __name__ == "__main__":
    main()
