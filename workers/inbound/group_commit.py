"""Group commit: concurrent callers in one process share one write (one statement, one commit).

A durable commit costs a round trip and a WAL flush however few rows it carries. Callers
that arrive while a write is in flight queue up; when it finishes, the first of them leads
the next write, for everyone queued (leader/follower, no extra thread). Every caller
returns only once the write holding its item has returned, so "returned" still means
"committed". A lone caller writes at once: nobody waits for company.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# One writer's outcome per item, in order: a result, or the exception for that item alone.
Writer = Callable[[list[T]], Sequence["R | BaseException"]]


class _Slot(Generic[T, R]):
    __slots__ = ("item", "ready", "lead", "outcome")

    def __init__(self, item: T) -> None:
        self.item = item
        # Released once, when the slot's caller may go on: a bare lock is the cheapest wait.
        self.ready = threading.Lock()
        self.ready.acquire()
        self.lead = False  # woken to write the next batch, not because its item is written
        self.outcome: R | BaseException | None = None


class GroupCommit(Generic[T, R]):
    """`submit(item)` blocks until `write` has written a batch holding `item`.

    `idle`, if given, is called by the last leader of a run of batches once nobody is
    waiting (to let go of a connection held from batch to batch), never during a write.
    """

    def __init__(
        self,
        write: Writer[T, R],
        max_batch: int = 100,
        idle: Callable[[], None] | None = None,
    ) -> None:
        self._write = write
        self._idle = idle
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._waiting: list[_Slot[T, R]] = []
        self._writing = False  # invariant: not writing => nobody waiting

    def submit(self, item: T) -> R:
        slot: _Slot[T, R] = _Slot(item)
        with self._lock:
            self._waiting.append(slot)
            lead = not self._writing
            self._writing = True
        if not lead:
            slot.ready.acquire()
            lead = slot.lead
        if lead:
            self._lead()
        outcome = slot.outcome
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome  # type: ignore[return-value]

    def _lead(self) -> None:
        # The leader's slot is first in line (it was alone, or was picked as the head).
        with self._lock:
            batch = self._waiting[: self._max_batch]
            del self._waiting[: self._max_batch]
        try:
            outcomes: Sequence[R | BaseException] = self._write([s.item for s in batch])
            if len(outcomes) != len(batch):
                raise RuntimeError(f"writer gave {len(outcomes)} outcomes for {len(batch)} items")
        except BaseException as exc:  # noqa: BLE001 - every caller of the batch must hear of it
            outcomes = [exc] * len(batch)
        for slot, outcome in zip(batch, outcomes, strict=True):
            slot.outcome = outcome
        # Hand over before answering, so the next batch's write starts at once.
        handed = self._hand_over(finished=self._idle is None)
        for slot in batch[1:]:
            slot.ready.release()
        if not handed and self._idle is not None:
            try:
                self._idle()  # still "writing": no other leader can start meanwhile
            finally:
                self._hand_over(finished=True)

    def _hand_over(self, finished: bool) -> bool:
        """Wake the head of the line to lead the next batch; else stop writing if `finished`."""
        with self._lock:
            if self._waiting:
                head = self._waiting[0]
                head.lead = True
                head.ready.release()
                return True
            if finished:
                self._writing = False
            return False
