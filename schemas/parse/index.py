"""The catalog as the parser reads it: command specs, tag groups, day codes, indexed by alias."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from schemas.commands import Lang, Role
from schemas.parse.words import Words, read_words
from schemas.text import normalise

VALUE_SECTIONS = ("services", "emergency_kinds", "partners", "referral_outcomes", "languages")
MIN_CORRECTABLE = 3  # rule 3: only keywords/aliases of 3+ letters are targets of a correction


@dataclass(frozen=True)
class TagGroup:
    name: str
    field: str  # what errors call the group: "gender" or "audience"
    tags: tuple[str, ...]


@dataclass(frozen=True)
class CommandSpec:
    keyword: str
    group: str  # "event" | "survivor" | "common": which roles may send it
    shape: str
    aliases: tuple[str, ...]
    roles: tuple[Role, ...]
    form: str
    tag_groups: tuple[TagGroup, ...] = ()
    max_total: int = 5000
    needs_day_code: bool = False
    members: tuple[int, int] | None = None
    card: bool = True


@dataclass(frozen=True)
class DayCode:
    code: str
    month: int
    day: int


def _is_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one insert, delete, substitution or adjacent swap."""
    la, lb = len(a), len(b)
    if a == b or abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


class Catalog:
    """Lookups by alias (any case, English/Bangla/Banglish) into the validated command data."""

    def __init__(
        self,
        commands: dict[str, CommandSpec],
        tags: dict[str, tuple[str, TagGroup]],
        day_codes: dict[str, DayCode],
        values: dict[str, dict[str, str]],
        day_aliases: dict[str, str],
        displays: dict[str, str],
        default_max_total: int = 5000,
        words: Words | None = None,
        shorts: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.commands = commands
        self.words = words or read_words({}, {})
        self._shorts = shorts or {}
        self.default_max_total = default_max_total
        self.day_codes = day_codes
        self.partner_display = displays  # PRAN -> "PRAN-RFL"
        self._tags = tags
        self._day_aliases = day_aliases
        self._values = values
        # fields.read_event's per-token classification, filled as tokens are first seen.
        self.token_kinds: dict[str, Any] = {}
        self._keywords: dict[str, str] = {}
        for spec in commands.values():
            for alias in (spec.keyword, *spec.aliases):
                self._keywords[normalise(alias)] = spec.keyword
        self._correctable = [
            (alias, kw)
            for alias, kw in self._keywords.items()
            if len(alias) >= MIN_CORRECTABLE and commands[kw].shape != "outcome"
        ]

    @cached_property
    def tag_spellings(self) -> frozenset[str]:
        """Every tag letter and word, bare or with `=`, `:`, `-` (`m=`): rule 4's `M 300`."""
        return frozenset(t + end for t in self._tags for end in ("", "=", ":", "-"))

    def command(self, keyword: str) -> CommandSpec:
        return self.commands[keyword]

    def keyword_for(self, token: str) -> str | None:
        """Canonical keyword of an exact alias (token already normalised), or None."""
        return self._keywords.get(token)

    @lru_cache(maxsize=2048)  # noqa: B019 - the catalog lives for the process; bounded cache
    def corrected_keyword(self, token: str) -> str | None:
        """The one keyword whose 3+ letter alias is one edit from token, if exactly one."""
        if len(token) < MIN_CORRECTABLE - 1:
            return None
        found = {kw for alias, kw in self._correctable if _is_one_edit(token, alias)}
        return found.pop() if len(found) == 1 else None

    def allowed_keywords(self, role: Role | str) -> list[str]:
        """Keywords the role may send, in command-card order (REFOUT is part of REF)."""
        role = Role(role)
        return [kw for kw, spec in self.commands.items() if spec.card and role in spec.roles]

    def may_send(self, role: Role | str, keyword: str) -> bool:
        return Role(role) in self.commands[keyword].roles

    def tag(self, token: str) -> tuple[str, TagGroup] | None:
        """(canonical tag letter, its group) for a normalised tag spelling: 'পু' -> ('M', gender)."""
        return self._tags.get(token)

    def day_code(self, token: str) -> DayCode | None:
        code = self._day_aliases.get(token)
        return self.day_codes[code] if code else None

    def value(self, section: str, token: str) -> str | None:
        """Canonical value of an alias in a VALUE_SECTIONS table: services lv -> LIVELIHOOD."""
        return self._values[section].get(token)

    def values(self, section: str) -> list[str]:
        return list(dict.fromkeys(self._values[section].values()))

    def short(self, section: str, code: str) -> str:
        """The short code a reply names a value by (services HEALTH -> H): safe on any phone."""
        return self._shorts.get(section, {}).get(code, code)

    def is_day_alias(self, token: str) -> bool:
        return token in self._day_aliases

    def language(self, token: str) -> Lang | None:
        code = self._values["languages"].get(token)
        return Lang(code.lower()) if code else None
