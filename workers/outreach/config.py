"""Reads the outreach rules (<instance>/outreach.toml, else the shipped example) and holidays."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from schemas.outreach.config import ConfigError, OutreachConfig, parse_config
from workers.settings import Settings

EXAMPLE = Path(__file__).with_name("outreach.example.toml")
HOLIDAYS = Path(__file__).resolve().parents[2] / "schemas" / "data" / "bd_holidays.csv"


@dataclass(frozen=True)
class Loaded:
    config: OutreachConfig
    holidays: frozenset[date]
    source: Path


def config_path(settings: Settings) -> Path:
    mine = Path(settings.instance_path) / "outreach.toml"
    return mine if mine.exists() else EXAMPLE


def read_holidays(path: Path) -> frozenset[date]:
    days = set()
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for n, row in enumerate(csv.reader(lines), start=1):
            try:
                days.add(date.fromisoformat(row[0].strip()))
            except (ValueError, IndexError) as exc:
                raise ConfigError(f"{path.name}: line {n}: not a date,name line") from exc
    return frozenset(days)


def load(settings: Settings) -> Loaded:
    """The rules and holidays in force; ConfigError names the file and key when wrong."""
    path = config_path(settings)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    try:
        config = parse_config(data)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    holidays_file = (data.get("window") or {}).get("holidays_file")
    holidays = HOLIDAYS if not holidays_file else path.parent / str(holidays_file)
    if not holidays.exists():
        raise ConfigError(f"{path}: window.holidays_file {holidays} does not exist")
    return Loaded(config, read_holidays(holidays), path)


def local_now(settings: Settings, now: datetime) -> datetime:
    """`now` (aware) in project time."""
    return now.astimezone(ZoneInfo(settings.timezone))
