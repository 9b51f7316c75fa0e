"""The command catalog: schemas/commands.toml loaded and validated into a `Catalog` (index.py)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from schemas.commands import Lang, Role
from schemas.parse.index import (
    MIN_CORRECTABLE,
    VALUE_SECTIONS,
    Catalog,
    CommandSpec,
    DayCode,
    TagGroup,
)
from schemas.parse.words import read_words
from schemas.text import normalise

# commands.toml is the schemas folder's data, beside tables and text rules, not parse code.
CATALOG_PATH = Path(__file__).resolve().parent.parent / "commands.toml"
SHAPES = frozenset(
    {
        "event",
        "enrol",
        "code",
        "members",
        "referral",
        "outcome",
        "emergency",
        "support",
        "help",
        "undo",
        "lang",
        "who",
    }
)


class CatalogError(ValueError):
    """commands.toml is malformed: raised at load time so a bad deploy fails before any SMS."""


def _need(cond: bool, where: str, problem: str) -> None:
    if not cond:
        raise CatalogError(f"{CATALOG_PATH.name}: {where}: {problem}")


def _str_list(raw: Any, where: str) -> tuple[str, ...]:
    _need(
        isinstance(raw, list) and all(isinstance(a, str) and a.strip() for a in raw),
        where,
        "must be a list of non-empty strings",
    )
    return tuple(raw)


def _build(data: dict[str, Any]) -> Catalog:
    limits = data.get("limits", {})
    default_max = limits.get("default_max_total", 5000)
    _need(isinstance(default_max, int) and default_max > 0, "limits", "default_max_total > 0")
    role_groups: dict[Role, set[str]] = {}
    for name, allowed in data.get("roles", {}).items():
        _need(name in {r.value for r in Role}, f"roles.{name}", "unknown role")
        role_groups[Role(name)] = set(_str_list(allowed, f"roles.{name}"))
    _need(set(role_groups) == set(Role), "roles", "every role needs a list of command groups")

    groups: dict[str, TagGroup] = {}
    tags: dict[str, tuple[str, TagGroup]] = {}
    for name, raw in data.get("tag_groups", {}).items():
        letters = _str_list(raw.get("tags"), f"tag_groups.{name}.tags")
        group = TagGroup(name, raw.get("field", name), tuple(t.upper() for t in letters))
        groups[name] = group
        for alias, letter in [(t, t) for t in letters] + list(raw.get("aliases", {}).items()):
            _need(letter.upper() in group.tags, f"tag_groups.{name}", f"alias of unknown {letter}")
            tags.setdefault(normalise(alias), (letter.upper(), group))

    commands: dict[str, CommandSpec] = {}
    for kw, raw in data.get("commands", {}).items():
        where = f"commands.{kw}"
        _need(kw == kw.upper() and kw.isascii(), where, "keyword must be upper-case ASCII")
        _need(raw.get("shape") in SHAPES, where, f"shape must be one of {sorted(SHAPES)}")
        group = raw.get("group")
        _need(any(group in g for g in role_groups.values()), where, f"unknown group {group!r}")
        _need(isinstance(raw.get("form"), str), where, "needs a form")
        tag_groups = tuple(groups[g] for g in raw.get("tag_groups", []) if g in groups)
        _need(len(tag_groups) == len(raw.get("tag_groups", [])), where, "unknown tag group")
        members = raw.get("members")
        commands[kw] = CommandSpec(
            keyword=kw,
            group=group,
            shape=raw["shape"],
            aliases=_str_list(raw.get("aliases", []), f"{where}.aliases"),
            roles=tuple(r for r in Role if group in role_groups[r]),
            form=raw["form"],
            tag_groups=tag_groups,
            max_total=raw.get("max_total", default_max),
            needs_day_code=bool(raw.get("needs_day_code", False)),
            members=(members["min"], members["max"]) if members else None,
            card=bool(raw.get("card", True)),
        )
        _need(
            isinstance(commands[kw].max_total, int) and commands[kw].max_total > 0,
            where,
            "max_total must be a positive integer",
        )
    _need(bool(commands), "commands", "no commands defined")
    seen: dict[str, str] = {}
    for spec in commands.values():
        for alias in (spec.keyword, *spec.aliases):
            key = normalise(alias)
            _need(
                seen.setdefault(key, spec.keyword) == spec.keyword,
                f"commands.{spec.keyword}",
                f"alias {alias!r} already belongs to {seen[key]}",
            )

    day_codes: dict[str, DayCode] = {}
    day_aliases: dict[str, str] = {}
    for code, raw in data.get("day_codes", {}).items():
        try:
            day_codes[code] = DayCode(code, int(raw["month"]), int(raw["day"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogError(f"{CATALOG_PATH.name}: day_codes.{code}: month and day") from exc
        _need(
            1 <= day_codes[code].month <= 12 and 1 <= day_codes[code].day <= 31,
            f"day_codes.{code}",
            "month 1-12, day 1-31",
        )
        for alias in (code, *_str_list(raw.get("aliases", []), f"day_codes.{code}")):
            day_aliases[normalise(alias)] = code

    values: dict[str, dict[str, str]] = {}
    displays: dict[str, str] = {}
    shorts: dict[str, dict[str, str]] = {}
    for section in VALUE_SECTIONS:
        table: dict[str, str] = {}
        for code, raw in data.get(section, {}).items():
            for alias in (code, *_str_list(raw.get("aliases", []), f"{section}.{code}")):
                _need(
                    table.setdefault(normalise(alias), code) == code,
                    f"{section}.{code}",
                    f"alias {alias!r} already used",
                )
            if section == "partners":
                displays[code] = raw.get("display", code)
            shorts.setdefault(section, {})[code] = str(raw.get("short", code))
        _need(bool(table), section, "must define at least one value")
        values[section] = table
    _need(
        set(values["languages"].values()) <= {lang.name for lang in Lang},
        "languages",
        "only EN and BN",
    )
    words = read_words(data.get("words", {}), data.get("months", {}))
    return Catalog(
        commands, tags, day_codes, values, day_aliases, displays, default_max, words, shorts
    )


def read_catalog(path: Path) -> Catalog:
    """Load and validate a catalog file (uncached; tests use it on broken copies)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{path.name}: cannot read: {exc}") from exc
    try:
        return _build(data)
    except CatalogError:
        raise
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"{path.name}: malformed: {exc!r}") from exc


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The shipped catalog, loaded and validated once per process."""
    return read_catalog(CATALOG_PATH)


__all__ = [
    "CATALOG_PATH",
    "MIN_CORRECTABLE",
    "SHAPES",
    "VALUE_SECTIONS",
    "Catalog",
    "CatalogError",
    "CommandSpec",
    "DayCode",
    "TagGroup",
    "load_catalog",
    "read_catalog",
]
