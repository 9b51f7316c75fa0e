"""enqueue(job, *ids): an RQ job when REDIS_URL is set, the same call in-process otherwise.

The database row is the source of truth: RQ alone promises no delivery, so a job lost with
Redis is found again by the sweep (`workers.inbound.sweep`) or `ashshash requeue`. Enqueueing never
fails the caller over a Redis outage; it logs, and the sweep picks the row up later.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from workers.settings import Settings

log = logging.getLogger("ashshash.queue")

# Worker listening order: inbound first (a sender waits for the reply), then replies,
# then outreach (reminders, digests, broadcasts: in small jobs, so a reply waits at most
# one of them), then the rest.
QUEUES = ("inbound", "outbound", "outreach", "default")
# Retries with backoff for jobs that fail on an outage; a bug ends in RQ's failed registry
# and the row stays unprocessed, so `ashshash requeue` can run it again once fixed.
RETRY_INTERVALS = [5, 30, 120, 600, 1800]
JOB_TIMEOUT = 300
WAKE_TTL = 30  # seconds a wake-up flag lives if its job is lost (Redis restart)

_connections: dict[tuple[str, int], Any] = {}
_queues: dict[tuple[str, str, int], Any] = {}


class QueueUnavailable(RuntimeError):
    """Redis is not configured or cannot be reached."""


def redis_connection(url: str) -> Any:
    """One connection pool per URL per process (forked workers never share sockets)."""
    from redis import Redis

    key = (url, os.getpid())
    conn = _connections.get(key)
    if conn is None:
        conn = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
        _connections[key] = conn
    return conn


# Jobs by module; anything else (reports, ...) runs on `default`.
# A job's queue is its stage: the package under `workers` (or, for a lone module, its name).
_QUEUE_OF_STAGE = {
    "inbound": "inbound",
    "outbound": "outbound",
    "outreach": "outreach",
}


def queue_name(func: Callable[..., Any]) -> str:
    """`workers.inbound.*` -> `inbound`, `workers.outbound.*` -> `outbound`,
    `workers.outreach.*` -> `outreach`, else `default`."""
    parts = func.__module__.split(".")
    stage = parts[1] if len(parts) > 1 and parts[0] == "workers" else ""
    return _QUEUE_OF_STAGE.get(stage, "default")


def get_queue(settings: Settings, name: str) -> Any:
    """The RQ queue `name`: one object per queue per process, on the process's connection."""
    from rq import Queue
    from rq.serializers import JSONSerializer

    if not settings.redis_url:
        raise QueueUnavailable("REDIS_URL is not set")
    key = (settings.redis_url, name, os.getpid())
    queue = _queues.get(key)
    if queue is None:
        queue = Queue(
            name,
            connection=redis_connection(settings.redis_url),
            serializer=JSONSerializer,
            default_timeout=JOB_TIMEOUT,
        )
        _queues[key] = queue
    return queue


def default_job_id(func: Callable[..., Any], ids: tuple[int, ...]) -> str:
    """`drain_inbound-12`: RQ job ids allow only letters, digits, `_` and `-`."""
    return "-".join([func.__name__, *(str(i) for i in ids)])


def _run_here(func: Callable[..., Any], args: tuple[Any, ...], settings: Settings) -> None:
    # In-process jobs behave like queued ones: a failure is logged, never raised to the
    # caller (a webhook has already committed and must still answer 200).
    try:
        func(*args, settings=settings)
    except Exception:
        log.exception("in-process job %s%r failed", func.__name__, args)


def enqueue(
    settings: Settings, func: Callable[..., Any], *ids: int, job_id: str | None = None
) -> None:
    """Run `func(*ids)` as a job. Callers enqueue only after committing the rows it reads."""
    if not settings.redis_url:
        _run_here(func, ids, settings)
        return
    try:
        _enqueue_rq(settings, func, list(ids), job_id or default_job_id(func, ids))
    except QueueUnavailable as exc:
        log.warning("queue down, %s%r left for the sweep: %s", func.__name__, ids, exc)


def enqueue_strict(
    settings: Settings, func: Callable[..., Any], *args: Any, job_id: str | None = None
) -> None:
    """Enqueue on RQ or raise QueueUnavailable: for callers that must know it is kept."""
    if not settings.redis_url:
        raise QueueUnavailable("REDIS_URL is not set")
    _enqueue_rq(settings, func, list(args), job_id)


def _enqueue_rq(
    settings: Settings, func: Callable[..., Any], args: list[Any], job_id: str | None
) -> None:
    from redis.exceptions import RedisError
    from rq import Retry

    try:
        get_queue(settings, queue_name(func)).enqueue(
            func,
            *args,
            job_id=job_id,
            retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
            result_ttl=60,
            failure_ttl=7 * 24 * 3600,
        )
    except RedisError as exc:
        raise QueueUnavailable(f"{type(exc).__name__}: {exc}") from exc


def enqueue_each(settings: Settings, func: Callable[..., Any], ids: list[int]) -> None:
    """`enqueue(func, id)` for many ids in one Redis round trip (a drained batch's replies)."""
    if not ids:
        return
    if not settings.redis_url:
        for row_id in ids:
            _run_here(func, (row_id,), settings)
        return
    from redis.exceptions import RedisError
    from rq import Queue, Retry

    try:
        queue = get_queue(settings, queue_name(func))
        retry = Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS)
        jobs = [
            Queue.prepare_data(
                func,
                args=(row_id,),
                job_id=default_job_id(func, (row_id,)),
                retry=retry,
                result_ttl=60,
                failure_ttl=7 * 24 * 3600,
            )
            for row_id in ids
        ]
        queue.enqueue_many(jobs)
    except (RedisError, QueueUnavailable) as exc:
        log.warning("queue down, %d %s jobs left for the sweep: %s", len(ids), func.__name__, exc)


def wake(settings: Settings, func: Callable[..., Any], row_id: int) -> None:
    """Make sure one `func` drain job is pending; many callers in a burst share one job.

    The flag is set after the caller's commit and cleared by the job before it selects, so
    every committed row is seen by a job that starts after it (see `workers.inbound.jobs`).
    """
    if not settings.redis_url:
        _run_here(func, (row_id,), settings)
        return
    from redis.exceptions import RedisError

    try:
        conn = redis_connection(settings.redis_url)
        if conn.set(wake_key(func), row_id, nx=True, ex=WAKE_TTL):
            try:
                _enqueue_rq(settings, func, [row_id], default_job_id(func, (row_id,)))
            except QueueUnavailable:
                conn.delete(wake_key(func))  # no job behind the flag: let the next caller try
                raise
    except (RedisError, QueueUnavailable) as exc:
        log.warning("queue down, row %s left for the sweep: %s", row_id, exc)


def wake_key(func: Callable[..., Any]) -> str:
    return f"ashshash:wake:{func.__module__}.{func.__name__}"


def clear_wake(settings: Settings, func: Callable[..., Any]) -> None:
    """Called by a drain job before it looks for rows: later rows need a new wake-up."""
    if settings.redis_url:
        from redis.exceptions import RedisError

        try:
            redis_connection(settings.redis_url).delete(wake_key(func))
        except RedisError as exc:
            log.warning("could not clear wake-up flag: %s", exc)


def queue_depth(settings: Settings) -> dict[str, int]:
    """Jobs waiting per queue; empty without Redis. Raises QueueUnavailable when down."""
    if not settings.redis_url:
        return {}
    from redis.exceptions import RedisError

    try:
        return {name: get_queue(settings, name).count for name in QUEUES}
    except RedisError as exc:
        raise QueueUnavailable(str(exc)) from exc
