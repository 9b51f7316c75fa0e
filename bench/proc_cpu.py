"""CPU seconds used by benchmark processes (Linux /proc): where a run's time went, per part."""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a live process, or None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces: the fields after it follow the last ')'.
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def _all() -> dict[int, tuple[int, float]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                found[int(entry.name)] = stat
    return found


def tree_seconds(roots: list[int]) -> float:
    """CPU seconds of `roots` and every live descendant (gunicorn's workers, pool children)."""
    table = _all()
    total, todo, seen = 0.0, list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in table:
            continue
        seen.add(pid)
        total += table[pid][1]
        todo += [child for child, (parent, _) in table.items() if parent == pid]
    return total


def postgres_seconds(database: str) -> float:
    """CPU seconds of the PostgreSQL backends connected to `database` (their titles name it);
    a backend that disconnected takes its share with it, so this is a lower bound."""
    total = 0.0
    for pid, (_parent, seconds) in _all().items():
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if title.startswith(b"postgres: ") and f" {database} ".encode() in title:
            total += seconds
    return total


def machine_seconds() -> float:
    """CPU seconds the whole machine spent busy (all processes, every helper's), from boot."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    values = [int(v) for v in fields]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / TICK
