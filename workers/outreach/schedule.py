"""The outreach schedule: every worker's clock thread offers a tick per time slot; Redis
lets exactly one through (SET NX on the slot's key, then a job whose id names the slot), so
two workers, a restart or a redeploy run each slot's rules once. The rules themselves are
guarded again by the database (workers/outreach/run.py), so even a tick run twice sends
nothing twice."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from workers.settings import Settings

log = logging.getLogger("ashshash.outreach")

TICK_SECONDS = 300  # rules run every five minutes: a digest at 10:00 leaves by 10:05
SLOT_TTL = 24 * 3600


def slot_of(now: datetime) -> int:
    return int(now.timestamp()) // TICK_SECONDS


def tick_job_id(slot: int) -> str:
    return f"outreach_tick-{slot}"


def outreach_tick(slot: int, settings: Settings | None = None) -> None:
    """Job: run the rules for this slot and send what was held and may now go."""
    from workers.outreach.run import run_rules

    if settings is None:
        from workers.runtime import current_settings

        settings = current_settings()
    report = run_rules(settings)
    made = sum(1 for o in report.outcomes if o.result == "sent")
    if made or report.closed:
        log.info("outreach slot %s: %d messages made; %s", slot, made, report.closed or "open")


def offer_tick(settings: Settings, now: datetime | None = None) -> bool:
    """Enqueue this slot's tick unless some worker already did; True when this one did."""
    from redis.exceptions import RedisError

    from workers.queue import QueueUnavailable, enqueue_strict, redis_connection

    slot = slot_of(now or datetime.now(UTC))
    if not settings.redis_url:
        outreach_tick(slot, settings=settings)
        return True
    try:
        conn = redis_connection(settings.redis_url)
        if not conn.set(f"ashshash:outreach:slot:{slot}", 1, nx=True, ex=SLOT_TTL):
            return False
        enqueue_strict(settings, outreach_tick, slot, job_id=tick_job_id(slot))
        return True
    except (RedisError, QueueUnavailable) as exc:
        log.warning("outreach tick for slot %s not enqueued: %s", slot, exc)
        return False


def clock(settings: Settings, stop: threading.Event, every: float = 30.0) -> None:
    """The worker's clock thread: offer the current slot's tick, then wait."""
    while True:
        try:
            offer_tick(settings)
        except Exception as exc:  # noqa: BLE001 - an outage must not kill the worker
            log.warning("outreach clock: %s", exc)
        if stop.wait(every):
            return
