"""Targets per indicator and period from `targets.toml` in the instance folder, and % achieved."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from schemas.periods import Period, PeriodError, resolve_period
from service.reports.indicators import empty_indicators, flatten
from service.reports.privacy import Cell

FILENAME = "targets.toml"


class TargetsError(ValueError):
    """targets.toml cannot be read; the message names the file and the entry, one line."""


@dataclass(frozen=True)
class Target:
    indicator: str
    period: Period
    target: int


def known_keys() -> set[str]:
    return set(flatten(empty_indicators(Period(date(2021, 1, 1), date(2021, 1, 1)))))


def _entry(path: Path, i: int, raw: object, first: date, last: date) -> Target:
    where = f"{path}: target {i}"
    if not isinstance(raw, dict):
        raise TargetsError(f"{where}: each [[target]] needs indicator, period and target")
    missing = [k for k in ("indicator", "period", "target") if k not in raw]
    if missing:
        raise TargetsError(f"{where}: missing {', '.join(missing)}")
    key, when, value = raw["indicator"], raw["period"], raw["target"]
    if not isinstance(key, str) or key not in known_keys():
        raise TargetsError(
            f"{where}: unknown indicator {key!r} (use a key of the Data sheet,"
            " e.g. survivors.enrolled)"
        )
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise TargetsError(f"{where}: target must be a whole number above 0, got {value!r}")
    try:
        text = str(when)
        if ".." in text:
            start, end = text.split("..", 1)
            period = resolve_period(
                start=start, end=end, period=None, project_start=first, project_end=last
            )
        else:
            period = resolve_period(
                start=None, end=None, period=text, project_start=first, project_end=last
            )
    except PeriodError as exc:
        raise TargetsError(f"{where}: period {when!r}: {exc}") from exc
    return Target(key, period, value)


def load_targets(instance: Path, project_start: date, project_end: date) -> list[Target]:
    """Every target of the file; none when there is no file. A bad file is an error."""
    path = instance / FILENAME
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TargetsError(f"{path}: cannot be read: {exc}") from exc
    entries = data.get("target", [])
    if set(data) - {"target"} or not isinstance(entries, list):
        raise TargetsError(f"{path}: expected only [[target]] tables")
    out = [
        _entry(path, i, raw, project_start, project_end) for i, raw in enumerate(entries, start=1)
    ]
    seen: set[tuple[str, Period]] = set()
    for t in out:
        if (t.indicator, t.period) in seen:
            raise TargetsError(f"{path}: two targets for {t.indicator} in {t.period.as_dict()}")
        seen.add((t.indicator, t.period))
    return out


def targets_for(targets: list[Target], period: Period) -> dict[str, int]:
    """The targets set for exactly this period, by indicator key."""
    return {t.indicator: t.target for t in targets if t.period == period}


def achieved(value: Cell, target: int) -> float | None:
    """% achieved, or None when the number is hidden (a share would give it away)."""
    if not isinstance(value, int):
        return None
    return round(100 * value / target, 1)
