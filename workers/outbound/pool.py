"""Provider calls for send attempts, many in flight at once: one bounded pool of threads.

The gateways' SDK and HTTP clients block, so threads carry the waiting; only the calls run
in them. The pool lives as long as the process (threads and their kept-alive connections
are reused by every attempt), and every attempt running at once shares it, so
SEND_CONCURRENCY bounds the requests in flight per process. Rows are read and written by
the caller's thread alone (a session is not shared between threads). Messages with the
same text go to a gateway that takes a recipient list (`send_many`, Africa's Talking) as
one request per chunk of distinct numbers.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Protocol

from workers.outbound.gateways import Gateway, SendResult

# Numbers per request when one text goes to many: small enough that one request answers
# quickly and one refused list costs little, large enough that a broadcast is few requests.
RECIPIENTS_PER_REQUEST = 100


_pools: dict[tuple[int, int], ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def shared_pool(concurrency: int) -> ThreadPoolExecutor:
    """This process's pool of `concurrency` threads (one per size; a forked child, whose
    copy has no threads, makes its own). Threads start as calls need them."""
    key = (os.getpid(), concurrency)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="send")
            _pools[key] = pool
        return pool


class _Row(Protocol):
    id: int
    to: str
    text: str


@dataclass(frozen=True)
class Call:
    """One provider request: a text to one or more of the attempt's rows."""

    rows: tuple[_Row, ...]
    text: str


def plan(rows: Sequence[_Row], gateway: Gateway) -> list[Call]:
    """The requests for `rows`, in the rows' order of first appearance.

    A gateway without `send_many` gets one request per row. With it, rows sharing a text
    share requests of up to RECIPIENTS_PER_REQUEST distinct numbers; a second message of the
    same text to the same number goes in a later request, so each answer entry maps to one
    row.
    """
    if not hasattr(gateway, "send_many"):
        return [Call((row,), row.text) for row in rows]
    chunks: dict[str, list[list[_Row]]] = {}
    order: list[tuple[str, int]] = []
    for row in rows:
        lists = chunks.setdefault(row.text, [])
        for chunk in lists:
            if len(chunk) < RECIPIENTS_PER_REQUEST and all(r.to != row.to for r in chunk):
                chunk.append(row)
                break
        else:
            lists.append([row])
            order.append((row.text, len(lists) - 1))
    return [Call(tuple(chunks[text][n]), text) for text, n in order]


def _call(gateway: Gateway, call: Call) -> tuple[list[SendResult], float]:
    started = time.monotonic()
    if len(call.rows) == 1:
        results = [gateway.send(call.rows[0].to, call.text)]
    else:
        send_many = gateway.send_many  # type: ignore[attr-defined]
        results = list(send_many([r.to for r in call.rows], call.text))
    if len(results) != len(call.rows):
        raise RuntimeError(f"{gateway.name} answered {len(results)} of {len(call.rows)}")
    return results, time.monotonic() - started


def run(
    gateway: Gateway,
    calls: list[Call],
    concurrency: int,
    on_result: Callable[[_Row, SendResult, float], None],
) -> None:
    """Make every call on the shared pool of `concurrency` threads, handing each answer to
    `on_result` in this thread as it arrives. A bug raised by a call is re-raised after
    every answer already received has been handed over; on any exception here (RQ's job
    timeout), this run's calls not yet started are cancelled and the exception propagates
    at once."""
    if not calls:
        return
    if concurrency <= 1 or len(calls) == 1:
        # In order, in this thread: no pool to start for a single request.
        for call in calls:
            _hand_over(call, _call(gateway, call), on_result)
        return
    pool = shared_pool(concurrency)
    failure: BaseException | None = None
    pending: dict[Future[tuple[list[SendResult], float]], Call] = {}
    try:
        for call in calls:
            pending[pool.submit(_call, gateway, call)] = call
        for future, call in _as_done(pending):
            try:
                answer = future.result()
            except Exception as exc:  # noqa: BLE001 - kept, raised once the rest is recorded
                failure = failure or exc
                continue
            _hand_over(call, answer, on_result)
    finally:
        for future in pending:
            future.cancel()  # only calls not started yet: the pool is shared, not shut down
    if failure is not None:
        raise failure


def _as_done(
    pending: dict[Future[tuple[list[SendResult], float]], Call],
) -> Iterator[tuple[Future[tuple[list[SendResult], float]], Call]]:
    waiting = set(pending)
    while waiting:
        done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
        for future in done:
            yield future, pending[future]


def _hand_over(
    call: Call,
    answer: tuple[list[SendResult], float],
    on_result: Callable[[_Row, SendResult, float], None],
) -> None:
    results, elapsed = answer
    for row, result in zip(call.rows, results, strict=True):
        on_result(row, result, elapsed)
