"""The RQ worker: every queue, no fork per job, the app preloaded, a periodic sweep, and the
scheduler (retries with backoff) in a thread of this process: RQ's own scheduler is a forked
child that outlives a SIGKILLed worker and keeps enqueueing alone; a thread dies with it."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from redis import Redis
from rq import Queue

from workers.queue import QUEUES, QueueUnavailable, get_queue, redis_connection
from workers.settings import Settings

log = logging.getLogger("ashshash.worker")

SWEEP_EVERY = 30.0  # seconds between sweeps for stored-but-unprocessed messages
SCHEDULE_EVERY = 1.0  # seconds between moves of due scheduled jobs (retries) onto queues


def preload(settings: Settings) -> None:
    """Import the job modules and read the reference data once, before the first job."""
    import workers.inbound.jobs  # noqa: F401
    import workers.outbound.send  # noqa: F401
    import workers.outreach.schedule  # noqa: F401
    import workers.outreach.sending  # noqa: F401
    from workers.inbound.decide import load_reference_data
    from workers.runtime import use_settings

    use_settings(settings)
    load_reference_data(settings)


def _sweep_safely(settings: Settings, grace: timedelta | None = None) -> None:
    from workers.inbound.sweep import GRACE, sweep

    try:
        sweep(settings, GRACE if grace is None else grace)
    except Exception as exc:  # noqa: BLE001 - an outage must not kill the worker; retry later
        log.warning("sweep failed: %s", exc)


def _sweeper(settings: Settings, stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        _sweep_safely(settings)


def _scheduler(queues: list[Queue], connection: Redis, stop: threading.Event, every: float) -> None:
    """RQScheduler's loop (take the per-queue lock, heartbeat, enqueue due jobs), in a thread.
    Several workers may run it: the Redis lock lets one of them schedule each queue."""
    from rq.scheduler import RQScheduler
    from rq.serializers import JSONSerializer

    scheduler = RQScheduler(
        queues, connection=connection, interval=int(every) or 1, serializer=JSONSerializer
    )
    try:
        while not stop.is_set():
            try:
                if scheduler.should_reacquire_locks:
                    scheduler.acquire_locks()
                if scheduler.acquired_locks:
                    scheduler.heartbeat()
                    scheduler.enqueue_scheduled_jobs()
            except Exception as exc:  # noqa: BLE001 - Redis blips: try again next round
                log.warning("scheduler round failed: %s", exc)
            stop.wait(every)
    finally:
        try:
            scheduler.release_locks()
        except Exception:  # noqa: BLE001 - the locks expire on their own
            pass


def run_worker(
    settings: Settings, *, burst: bool = False, sweep_every: float = SWEEP_EVERY
) -> bool:
    """Work all queues (until empty with `burst`); True when any job ran."""
    from rq import SimpleWorker
    from rq.serializers import JSONSerializer

    if not settings.redis_url:
        raise QueueUnavailable("REDIS_URL is not set")
    preload(settings)
    redis_connection(settings.redis_url).ping()
    from redis import Redis

    # The worker's own connection pool: RQ sets the long socket timeout its blocking dequeue
    # needs on it, while the pool the clock and sweep threads share keeps its short one (a
    # shared pooled socket with the short timeout made the dequeue time out and back off).
    connection = Redis.from_url(settings.redis_url, socket_connect_timeout=2)
    queues = [get_queue(settings, name) for name in QUEUES]
    # SimpleWorker runs each job in this process: no fork, so the preloaded app, the
    # engine's pool and the parsed reference data are reused by every job.
    worker = SimpleWorker(queues, connection=connection, serializer=JSONSerializer)
    # Everything stored while no worker ran (or Redis was down) is due now.
    _sweep_safely(settings, grace=timedelta(0))
    stop = threading.Event()
    if not burst:
        from workers.outbound import sender
        from workers.outreach.schedule import clock

        # Replies go out from the sender's own threads: the RQ loop keeps draining while
        # the provider answers (a burst run sends in its jobs, so it ends with them sent).
        sender.start(settings)

        threading.Thread(
            target=_sweeper, args=(settings, stop, sweep_every), name="sweep", daemon=True
        ).start()
        threading.Thread(
            target=_scheduler,
            args=(queues, connection, stop, SCHEDULE_EVERY),
            name="scheduler",
            daemon=True,
        ).start()
        # Reminders, digests and held outreach: one tick per slot across all workers.
        threading.Thread(
            target=clock, args=(settings, stop), name="outreach-clock", daemon=True
        ).start()
    try:
        # with_scheduler=False: RQ would fork its scheduler child; ours is the thread above.
        return worker.work(burst=burst, with_scheduler=False, logging_level="WARNING")
    finally:
        stop.set()
        if not burst:
            from workers.outbound import sender

            sender.stop()  # attempts under way finish and commit; the rest stays queued
