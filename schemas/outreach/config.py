"""The outreach rules as data: cadences, ladders and the sending window, read from a dict."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Any

RULES = ("silent_reporter", "meeting_due", "referral_open", "ic_without_cert", "weekly_digest")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SERVICES = ("HEALTH", "LEGAL", "SHELTER", "LIVELIHOOD")


@dataclass(frozen=True)
class Rule:
    """One rule's cadence. The ladder: the reminder when `after_days` have passed, the second
    reminder `second_after_days` later, the coordinators `escalate_after_days` after the
    first (0 turns a step off)."""

    name: str
    enabled: bool = True
    after_days: int = 30
    second_after_days: int = 0
    escalate_after_days: int = 0
    # referral_open: days per service (overrides after_days).
    services: dict[str, int] = field(default_factory=dict)
    # weekly_digest: the day and local time it is due.
    weekday: int = 6
    at: time = time(10, 0)

    def step_days(self, first: int) -> list[tuple[int, int]]:
        """(step, days after the anchor it is due) for the steps this rule uses."""
        steps = [(1, first)]
        if self.second_after_days:
            steps.append((2, first + self.second_after_days))
        if self.escalate_after_days:
            steps.append((3, first + self.escalate_after_days))
        return steps


@dataclass(frozen=True)
class Window:
    """When outreach may go: not in quiet hours, not on weekend days, not on holidays."""

    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    weekend: tuple[int, ...] = (4,)  # Friday (Monday is 0)


@dataclass(frozen=True)
class OutreachConfig:
    rules: dict[str, Rule]
    window: Window = Window()


DEFAULTS: dict[str, dict[str, Any]] = {
    "silent_reporter": {"after_days": 30, "second_after_days": 3, "escalate_after_days": 7},
    "meeting_due": {"after_days": 60, "second_after_days": 7, "escalate_after_days": 14},
    "referral_open": {
        "after_days": 14,
        "second_after_days": 3,
        "escalate_after_days": 7,
        "services": {"HEALTH": 14, "LEGAL": 30, "SHELTER": 7, "LIVELIHOOD": 30},
    },
    "ic_without_cert": {"after_days": 90, "second_after_days": 7, "escalate_after_days": 0},
    "weekly_digest": {"weekday": "sunday", "time": "10:00"},
}


class ConfigError(ValueError):
    """outreach.toml says something that cannot be used; the message names the key."""


def _time(value: Any, key: str) -> time:
    try:
        hours, minutes = str(value).split(":")
        return time(int(hours), int(minutes))
    except ValueError as exc:
        raise ConfigError(f"{key} must be a time like 21:00, got {value!r}") from exc


def _weekday(value: Any, key: str) -> int:
    name = str(value).strip().lower()
    if name not in WEEKDAYS:
        raise ConfigError(f"{key} must be a day name (Friday), got {value!r}")
    return WEEKDAYS.index(name)


def _days(value: Any, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"{key} must be a whole number of days (0 or more), got {value!r}")
    return value


def _rule(name: str, data: dict[str, Any]) -> Rule:
    known = {
        "enabled",
        "after_days",
        "second_after_days",
        "escalate_after_days",
        "services",
        "weekday",
        "time",
    }
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"rules.{name}: unknown key {sorted(unknown)[0]!r}")
    services = {}
    for service, days in (data.get("services") or {}).items():
        if service.upper() not in SERVICES:
            raise ConfigError(f"rules.{name}.services: unknown service {service!r}")
        services[service.upper()] = _days(days, f"rules.{name}.services.{service}")
    after = _days(data.get("after_days", 30), f"rules.{name}.after_days")
    if after < 1:
        raise ConfigError(f"rules.{name}.after_days must be at least 1")
    return Rule(
        name=name,
        enabled=bool(data.get("enabled", True)),
        after_days=after,
        second_after_days=_days(
            data.get("second_after_days", 0), f"rules.{name}.second_after_days"
        ),
        escalate_after_days=_days(
            data.get("escalate_after_days", 0), f"rules.{name}.escalate_after_days"
        ),
        services=services,
        weekday=_weekday(data.get("weekday", "sunday"), f"rules.{name}.weekday"),
        at=_time(data.get("time", "10:00"), f"rules.{name}.time"),
    )


def parse_config(data: dict[str, Any]) -> OutreachConfig:
    """The configuration from a parsed outreach.toml; missing rules and keys take defaults."""
    given = data.get("rules") or {}
    unknown = set(given) - set(RULES)
    if unknown:
        raise ConfigError(f"unknown rule {sorted(unknown)[0]!r} (known: {', '.join(RULES)})")
    rules = {name: _rule(name, {**DEFAULTS[name], **(given.get(name) or {})}) for name in RULES}
    window_data = data.get("window") or {}
    window = Window(
        quiet_start=_time(window_data.get("quiet_start", "21:00"), "window.quiet_start"),
        quiet_end=_time(window_data.get("quiet_end", "08:00"), "window.quiet_end"),
        weekend=tuple(
            _weekday(day, "window.weekend") for day in window_data.get("weekend", ["friday"])
        ),
    )
    return OutreachConfig(rules=rules, window=window)
