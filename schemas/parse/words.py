"""The reading words of commands.toml ([words], [months]): fillers, phrases, date and place
words, month names, loaded and normalised once with the catalog (sms-commands.md rules 2-9)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from schemas.text import normalise


class WordsError(ValueError):
    """[words] or [months] in commands.toml is malformed (raised at load time)."""


def need(cond: bool, where: str, problem: str) -> None:
    if not cond:
        raise WordsError(f"commands.toml: {where}: {problem}")


def str_list(raw: Any, where: str) -> tuple[str, ...]:
    need(
        isinstance(raw, list) and all(isinstance(a, str) and a.strip() for a in raw),
        where,
        "must be a list of non-empty strings",
    )
    return tuple(raw)


@dataclass(frozen=True)
class Words:
    """The reading words of commands.toml [words] and [months], normalised."""

    phrases_first: dict[tuple[str, ...], tuple[str, ...]]
    phrases: dict[tuple[str, ...], tuple[str, ...]]
    never_correct: frozenset[str]
    date_markers: frozenset[str]
    vague_dates: frozenset[str]
    union_words: frozenset[str]
    upazila_words: frozenset[str]
    fillers: frozenset[str]  # courtesy and counting words: dropped anywhere (rule 9)
    age_units: frozenset[str]
    prefixes: frozenset[str]
    months: dict[str, int]

    @cached_property
    def first_words_first(self) -> frozenset[str]:
        return frozenset(p[0] for p in self.phrases_first)

    @cached_property
    def first_words(self) -> frozenset[str]:
        return frozenset(p[0] for p in self.phrases)


def _phrases(raw: Any, where: str) -> dict[tuple[str, ...], tuple[str, ...]]:
    need(isinstance(raw, dict), where, "must be a table of phrase = reading")
    out = {}
    for phrase, reading in raw.items():
        need(isinstance(reading, str) and " " in phrase.strip(), where, f"bad phrase {phrase!r}")
        out[tuple(normalise(phrase).split())] = tuple(normalise(reading).split())
    return out


def read_words(raw: dict[str, Any], months: dict[str, Any]) -> Words:
    def norm(name: str) -> frozenset[str]:
        return frozenset(normalise(w) for w in str_list(raw.get(name, []), f"words.{name}"))

    month_table: dict[str, int] = {}
    for number, names in months.items():
        need(number.isdigit() and 1 <= int(number) <= 12, f"months.{number}", "month 1-12")
        for name in str_list(names, f"months.{number}"):
            month_table[normalise(name)] = int(number)
    return Words(
        phrases_first=_phrases(raw.get("phrases_first", {}), "words.phrases_first"),
        phrases=_phrases(raw.get("phrases", {}), "words.phrases"),
        never_correct=norm("never_correct"),
        date_markers=norm("date_markers"),
        vague_dates=norm("vague_dates"),
        union_words=norm("union_words"),
        upazila_words=norm("upazila_words"),
        fillers=norm("courtesy") | norm("counting"),
        age_units=norm("age_units"),
        prefixes=norm("prefixes"),
        months=month_table,
    )
