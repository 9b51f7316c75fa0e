"""The worker's sender: replies handed over by the drain and by send jobs go out from lanes
of their own, so the worker's RQ loop goes back to draining while the provider answers.

Without it, a send job held the one RQ worker for a provider round trip or more (200 ms
across the internet), and draining waited; replies queued as one job per drained batch
then went out one job after another. A drain in the worker now hands its batch's reply ids
over (`hand_over`) itself, and a send job on the `outbound` queue (a retry, the sweep, a
requeue) only hands its ids over and returns; LANES threads each take every id waiting (up
to TAKE), make one attempt for them (`send.attempt`: claimed with SKIP LOCKED, calls on the
shared pool, one commit) and go again, so small and large batches coalesce and several
attempts overlap. The guarantees stay those of the job: the row is the truth (a reply is
queued until its answer is committed), at most one attempt per id at a time (the claim,
and here the set of ids taken), retryable failures come back after a backoff (a scheduled
`send_outbound` job, as RQ's Retry did), per-message status written by the attempt.
A reply handed over when the worker dies stays queued: the next worker start sends it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from datetime import timedelta

from workers.settings import Settings

log = logging.getLogger("ashshash.outbound")

LANES = 4  # attempts at once: enough to overlap small jobs' round trips
TAKE = 200  # ids per attempt: a lane takes every waiting id up to this
BACKOFF = (5, 30, 120, 600, 1800)  # seconds before a retryable message is tried again


class Sender:
    """Lanes sending the ids handed over, each id in at most one attempt at a time."""

    def __init__(self, settings: Settings, lanes: int = LANES) -> None:
        self._settings = settings
        self._waiting: deque[int] = deque()
        self._taken: set[int] = set()  # waiting or in an attempt
        self._tries: dict[int, int] = {}  # retryable failures so far, for the backoff
        self._cond = threading.Condition()
        self._stopping = False
        self._idle = lanes
        self._lanes = [
            threading.Thread(target=self._lane, name=f"sender-{n}", daemon=True)
            for n in range(lanes)
        ]

    def start(self) -> Sender:
        for lane in self._lanes:
            lane.start()
        return self

    def hand_over(self, ids: list[int]) -> None:
        """Queue these ids for the lanes; ids already waiting or being sent are skipped."""
        with self._cond:
            for outbound_id in ids:
                if outbound_id not in self._taken:
                    self._taken.add(outbound_id)
                    self._waiting.append(outbound_id)
            self._cond.notify_all()

    def idle(self) -> bool:
        """Nothing waiting and no attempt running (tests and shutdown wait for this)."""
        with self._cond:
            return not self._waiting and self._idle == len(self._lanes)

    def wait_idle(self, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(
                lambda: not self._waiting and self._idle == len(self._lanes), timeout
            )

    def stop(self, timeout: float = 20.0) -> None:
        """Let running attempts finish (their answers committed); waiting ids stay queued."""
        with self._cond:
            self._stopping = True
            self._waiting.clear()
            self._cond.notify_all()
        deadline = time.monotonic() + timeout
        for lane in self._lanes:
            lane.join(max(0.0, deadline - time.monotonic()))

    def _take(self) -> list[int] | None:
        with self._cond:
            self._cond.wait_for(lambda: self._waiting or self._stopping)
            if self._stopping:
                return None
            self._idle -= 1
            count = min(TAKE, len(self._waiting))
            return [self._waiting.popleft() for _ in range(count)]

    def _done(self, ids: list[int]) -> None:
        with self._cond:
            self._idle += 1
            self._taken.difference_update(ids)
            self._cond.notify_all()

    def _lane(self) -> None:
        from workers.outbound import send
        from workers.outbound.gateways import gateway_for

        gateway = gateway_for(self._settings)
        while (ids := self._take()) is not None:
            try:
                answers = send.attempt(self._settings, gateway, ids)
                again = [outbound_id for outbound_id, _slow in answers]
            except Exception:  # noqa: BLE001 - a lane must live on; the rows stay queued
                log.exception("sending outbound %s failed; trying again later", ids[:10])
                again = ids
            finally:
                self._done(ids)
            if again:
                self._retry_later(again)
            with self._cond:
                for outbound_id in set(ids) - set(again):
                    self._tries.pop(outbound_id, None)

    def _retry_later(self, ids: list[int]) -> None:
        """A scheduled send job for these after the backoff of their most tried one."""
        with self._cond:
            tries = max(self._tries.get(i, 0) for i in ids)
            for outbound_id in ids:
                self._tries[outbound_id] = self._tries.get(outbound_id, 0) + 1
        schedule_send(self._settings, ids, BACKOFF[min(tries, len(BACKOFF) - 1)])


def schedule_send(settings: Settings, ids: list[int], delay: float) -> None:
    """`send_outbound(*ids)` on the outbound queue in `delay` seconds (RQ's scheduler, run by
    the worker, moves it onto the queue when due). Redis down: the rows stay queued, and the
    next worker start or `ashshash requeue` sends them."""
    from redis.exceptions import RedisError

    from workers.outbound.send import send_outbound
    from workers.queue import QueueUnavailable, get_queue

    try:
        get_queue(settings, "outbound").enqueue_in(
            timedelta(seconds=delay),
            send_outbound,
            *ids,
            result_ttl=60,
            failure_ttl=7 * 24 * 3600,
        )
        log.info("outbound %s: trying again in %d s", ids[:10], delay)
    except (RedisError, QueueUnavailable) as exc:
        log.warning("outbound %s left queued (retry not scheduled): %s", ids[:10], exc)


_current: Sender | None = None


def start(settings: Settings) -> Sender:
    """The worker's sender (one per process), started, with the replies left queued."""
    global _current
    from workers.db import session_scope
    from workers.outbound.send import unsent_ids

    # SQLite has one writer: attempts committing at once would wait on each other's lock,
    # and an answer whose commit failed is sent again; one lane there.
    _current = Sender(settings, lanes=1 if settings.is_sqlite else LANES).start()
    with session_scope(settings) as session:
        _current.hand_over(unsent_ids(session))
    return _current


def stop() -> None:
    global _current
    if _current is not None:
        _current.stop()
        _current = None


def current() -> Sender | None:
    return _current
