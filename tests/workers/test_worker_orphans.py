"""`ashshash worker` SIGKILLed leaves no process behind, and still schedules (retries)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from redis import Redis
from rq.scheduler import RQScheduler

from tests.workers.test_queue import own_redis, rq_settings  # noqa: F401 - fixtures
from workers.queue import QUEUES

ROOT = Path(__file__).resolve().parents[2]


def descendants(pid: int) -> set[int]:
    """Every live process below `pid`, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_a_killed_worker_leaves_no_orphan_and_its_scheduler_ran(rq_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    settings = rq_settings
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", "from service.cli import main; main()", "worker"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    redis = Redis.from_url(settings.redis_url)
    lock = RQScheduler(QUEUES, connection=redis).get_locking_key(QUEUES[0])
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not redis.exists(lock):
            seen |= descendants(worker.pid)
            time.sleep(0.1)
        assert redis.exists(lock), "no scheduler took the queue's lock"
        time.sleep(1)
        seen |= descendants(worker.pid)
        assert worker.poll() is None
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    time.sleep(1)
    survivors = {pid for pid in seen if alive(pid)}
    for pid in survivors:  # never leave them running, whatever the assert says
        os.kill(pid, signal.SIGKILL)
    assert survivors == set()
    redis.delete(lock)
