"""Group commit: callers arriving during a write share the next one, each with its own outcome."""

from __future__ import annotations

import threading
import time

import pytest

from workers.inbound.group_commit import GroupCommit


class GatedWriter:
    """Doubles each item; the first write waits for the gate, so later callers queue up."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.writing = False
        self.idles = 0

    def write(self, items: list[int]) -> list[int | BaseException]:
        assert not self.writing, "two writes at once"
        self.writing = True
        self.entered.set()
        self.gate.wait(5)
        self.batches.append(items)
        self.writing = False
        return [ValueError(i) if i < 0 else i * 2 for i in items]

    def idle(self) -> None:
        assert not self.writing, "idle during a write"
        self.idles += 1


def run_together(group: GroupCommit, writer: GatedWriter, items: list[int]) -> dict[int, object]:
    """Submit items[0], hold its write, submit the rest meanwhile, then let everything run."""
    results: dict[int, object] = {}

    def call(item: int) -> None:
        try:
            results[item] = group.submit(item)
        except Exception as exc:  # noqa: BLE001 - recorded for the assertions
            results[item] = exc

    first = threading.Thread(target=call, args=(items[0],))
    first.start()
    assert writer.entered.wait(5)
    rest = [threading.Thread(target=call, args=(i,)) for i in items[1:]]
    for thread in rest:
        thread.start()
    deadline = time.monotonic() + 5
    while len(group._waiting) < len(rest) and time.monotonic() < deadline:
        time.sleep(0.001)  # until every later caller is queued behind the held write
    writer.gate.set()
    for thread in [first, *rest]:
        thread.join(5)
    return results


def test_callers_during_a_write_share_the_next_write() -> None:
    writer = GatedWriter()
    group = GroupCommit(writer.write, idle=writer.idle)
    results = run_together(group, writer, [1, 2, 3, 4, 5])
    assert results == {1: 2, 2: 4, 3: 6, 4: 8, 5: 10}
    assert writer.batches[0] == [1]
    assert sorted(writer.batches[1]) == [2, 3, 4, 5]
    assert len(writer.batches) == 2
    assert writer.idles == 1  # once, after the run of writes, not between them


def test_a_batch_never_exceeds_its_limit() -> None:
    writer = GatedWriter()
    group = GroupCommit(writer.write, max_batch=2)
    results = run_together(group, writer, list(range(1, 8)))
    assert results == {i: i * 2 for i in range(1, 8)}
    assert max(len(b) for b in writer.batches) == 2
    assert sorted(i for b in writer.batches for i in b) == list(range(1, 8))


def test_an_item_that_fails_fails_only_its_own_caller() -> None:
    writer = GatedWriter()
    group = GroupCommit(writer.write)
    results = run_together(group, writer, [1, -2, 3])
    assert results[1] == 2 and results[3] == 6
    assert isinstance(results[-2], ValueError)


def test_a_failed_write_reaches_every_caller_of_its_batch_and_the_group_goes_on() -> None:
    calls: list[list[str]] = []

    def write(items: list[str]) -> list[str]:
        calls.append(items)
        if "boom" in items:
            raise ConnectionError("database gone")
        return [i.upper() for i in items]

    group: GroupCommit[str, str] = GroupCommit(write)
    with pytest.raises(ConnectionError):
        group.submit("boom")
    assert group.submit("ok") == "OK"


def test_a_writer_that_loses_an_outcome_is_an_error_for_all_not_a_hang() -> None:
    group: GroupCommit[int, int] = GroupCommit(lambda items: [])
    with pytest.raises(RuntimeError, match="0 outcomes for 1 items"):
        group.submit(1)
    with pytest.raises(RuntimeError):
        group.submit(2)


def test_many_threads_each_get_their_own_result() -> None:
    sizes: list[int] = []

    def write(items: list[int]) -> list[int]:
        sizes.append(len(items))
        threading.Event().wait(0.0005)  # a round trip: others queue meanwhile
        return [i + 1 for i in items]

    group: GroupCommit[int, int] = GroupCommit(write, max_batch=8)
    wrong: list[tuple[int, int]] = []

    def caller(base: int) -> None:
        for i in range(base, base + 50):
            got = group.submit(i)
            if got != i + 1:
                wrong.append((i, got))

    threads = [threading.Thread(target=caller, args=(1000 * t,)) for t in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not wrong
    assert sum(sizes) == 16 * 50
    assert max(sizes) <= 8 and len(sizes) < 16 * 50  # some writes were shared
