"""The web server's default size: gunicorn processes and threads (read by gunicorn.conf.py)."""

from __future__ import annotations

# A webhook mostly waits (the group commit's disk flush, Redis), so threads, not processes,
# raise its throughput: concurrent commits share one flush.
THREADS = 8
THREADS_BESIDE_WORKER = 16


def web_processes(cores: int, queued: bool) -> int:
    """Processes for the web: one per core when it processes messages itself (no Redis);
    with Redis an `ashshash worker` processes and sends every message, on the same host in
    docker-compose.yml, so the web takes half the cores and leaves the rest to it. On two
    cores one web process of 16 threads took webhooks as fast as two of 8 (bench/send.py),
    and end to end rose from 443-511 to 551-579 msgs/s (docs/benchmarks.md, "Send")."""
    cores = max(1, cores)
    return max(1, cores // 2) if queued else cores


def web_threads(queued: bool) -> int:
    """Threads per web process: twice as many when the web has half the processes."""
    return THREADS_BESIDE_WORKER if queued else THREADS
