"""Readers for the survivor-service and common command shapes (everything not event-shaped)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from schemas.codes import read_code
from schemas.commands import ErrorCode, ParseError
from schemas.parse.catalog import CommandSpec
from schemas.parse.fields import INTEGER, Reading, read_place, split_dates, to_int

REFERRAL = re.compile(r"^r(\d+)$")  # R12: a referral number, as replies print it
AGE_RANGE = (0, 120)

Fields = dict[str, Any] | list[ParseError]


def _missing(name: str) -> list[ParseError]:
    return [ParseError(ErrorCode.MISSING_FIELD, name)]


def _extra(tokens: list[str]) -> list[ParseError]:
    return [ParseError(ErrorCode.EXTRA_FIELD, None, {"token": t}) for t in tokens[:1]]


def _dated(fields: dict[str, Any], tokens: list[str], rd: Reading) -> Fields:
    """Finish a survivor command: an optional date and nothing else."""
    when, rest, errors = split_dates(tokens, rd)
    errors += _extra(rest)
    if errors:
        return errors
    fields.update(activity_date=when or rd.today, date_given=when is not None)
    return fields


def _with_code(tokens: list[str]) -> tuple[str | None, list[str], list[ParseError]]:
    if not tokens:
        return None, [], _missing("code")
    code = read_code(tokens[0])
    if isinstance(code, ParseError):
        return None, [], [code]
    return code, tokens[1:], []


def read_enrol(spec: CommandSpec, tokens: list[str], rd: Reading) -> Fields:
    """`ENR <sex> <age> [date] [place]`, read as typed (rule 10): no glued `F17`, exact
    place names and aliases only, and no place names offered."""
    if not tokens:
        return _missing("sex")
    sex = rd.catalog.tag(tokens[0])
    if sex is None or sex[1].name != "gender":
        return [ParseError(ErrorCode.BAD_SEX, "sex", {"token": tokens[0]})]
    if len(tokens) < 2:
        return _missing("age")
    if not INTEGER.match(tokens[1]):
        return [ParseError(ErrorCode.MALFORMED_FIELD, "age", {"token": tokens[1]})]
    age = to_int(tokens[1])
    if not AGE_RANGE[0] <= age <= AGE_RANGE[1]:
        return [
            ParseError(
                ErrorCode.OUT_OF_RANGE,
                "age",
                {"value": age, "min": AGE_RANGE[0], "max": AGE_RANGE[1]},
            )
        ]
    when, words, errors = split_dates(tokens[2:], rd)
    place, given, place_errors = read_place(words, rd, exact=True)
    if errors or place_errors:
        return errors + place_errors
    return {
        "sex": sex[0],
        "age": age,
        "activity_date": when or rd.today,
        "date_given": when is not None,
        "place": place,
        "place_given": given,
    }


def read_code_only(spec: CommandSpec, tokens: list[str], rd: Reading) -> Fields:
    code, rest, errors = _with_code(tokens)
    return errors or _dated({"code": code}, rest, rd)


def read_members(spec: CommandSpec, tokens: list[str], rd: Reading) -> Fields:
    code, rest, errors = _with_code(tokens)
    if errors:
        return errors
    if not rest:
        return _missing("members")
    if not INTEGER.match(rest[0]):
        return [ParseError(ErrorCode.MALFORMED_FIELD, "members", {"token": rest[0]})]
    low, high = spec.members or (1, 30)
    members = to_int(rest[0])
    if not low <= members <= high:
        return [
            ParseError(
                ErrorCode.OUT_OF_RANGE, "members", {"value": members, "min": low, "max": high}
            )
        ]
    return _dated({"code": code, "members": members}, rest[1:], rd)


def _code_and_word(
    tokens: list[str], rd: Reading, field: str, table: str, unknown: ErrorCode
) -> Fields:
    """`<code> <word> [date]`, the word from the catalog's `table` (REF service, SUP partner)."""
    code, rest, errors = _with_code(tokens)
    if errors:
        return errors
    if not rest:
        return _missing(field)
    value = rd.catalog.value(table, rest[0])
    if value is None:
        return [ParseError(unknown, field, {"token": rest[0]})]
    return _dated({"code": code, field: value}, rest[1:], rd)


def read_referral(spec: CommandSpec, tokens: list[str], rd: Reading) -> Fields:
    return _code_and_word(tokens, rd, "service", "services", ErrorCode.UNKNOWN_SERVICE)


def read_outcome(spec: CommandSpec, tokens: list[str], rd: Reading) -> Fields:
    """`R<n> DONE|NO [date]` (the keyword was REF)."""
    found = REFERRAL.match(tokens[0]) if tokens else None
    if found is None or to_int(found.group(1)) < 1:
        return [
            ParseError(
                ErrorCode.MALFORMED_FIELD, "referral", {"token": tokens[0] if tokens else ""}
            )
        ]
    if len(tokens) < 2:
        return _missing("outcome")
    outcome = rd.catalog.value("referral_outcomes", tokens[1])
    if outcome is None:
        return [ParseError(ErrorCode.MALFORMED_FIELD, "outcome", {"token": tokens[1]})]
    return _dated({"referral": to_int(found.group(1)), "outcome": outcome}, tokens[2:], rd)


def read_emergency(spec: CommandSpec, tokens: list[str], rd: Reading) -> Fields:
    code, rest, errors = _with_code(tokens)
    if errors:
        return errors
    when, rest, errors = split_dates(rest, rd)
    kinds: list[str] = []
    for token in rest:
        kind = rd.catalog.value("emergency_kinds", token)
        if kind is None:
            errors.append(ParseError(ErrorCode.UNKNOWN_KIND, "kind", {"token": token}))
        elif kind not in kinds:  # EMG x HEALTH HEALTH is one health support
            kinds.append(kind)
    if not kinds and not errors:
        return _missing("kind")
    if errors:
        return errors
    return {
        "code": code,
        "kinds": tuple(kinds),
        "activity_date": when or rd.today,
        "date_given": when is not None,
    }


def read_support(spec: CommandSpec, tokens: list[str], rd: Reading) -> Fields:
    return _code_and_word(tokens, rd, "partner", "partners", ErrorCode.UNKNOWN_PARTNER)


def read_help(spec: CommandSpec, tokens: list[str], rd: Reading) -> Fields:
    """`HELP [keyword]`; words after the first are ignored (a question, not a command)."""
    if not tokens:
        return {}
    topic = rd.catalog.keyword_for(tokens[0]) or rd.catalog.corrected_keyword(tokens[0])
    if topic is None:
        return [ParseError(ErrorCode.UNKNOWN_KEYWORD, "topic", {"token": tokens[0]})]
    return {"topic": topic}


def read_undo(spec: CommandSpec, tokens: list[str], rd: Reading) -> Fields:
    """`UNDO <n>`; `#4821` arrives as 4821 because `#` separates tokens."""
    if not tokens:
        return _missing("record")
    if not INTEGER.match(tokens[0]) or to_int(tokens[0]) < 1:
        return [ParseError(ErrorCode.MALFORMED_FIELD, "record", {"token": tokens[0]})]
    return _extra(tokens[1:]) or {"record": to_int(tokens[0])}


def read_lang(spec: CommandSpec, tokens: list[str], rd: Reading) -> Fields:
    if not tokens:
        return _missing("lang")
    lang = rd.catalog.language(tokens[0])
    if lang is None:
        return [ParseError(ErrorCode.UNKNOWN_LANG, "lang", {"token": tokens[0]})]
    return _extra(tokens[1:]) or {"lang": lang}


def read_who(spec: CommandSpec, tokens: list[str], rd: Reading) -> Fields:
    return {}  # "WHO AM I" and the like: extra words change nothing


READERS: dict[str, Callable[[CommandSpec, list[str], Reading], Fields]] = {
    "enrol": read_enrol,
    "code": read_code_only,
    "members": read_members,
    "referral": read_referral,
    "outcome": read_outcome,
    "emergency": read_emergency,
    "support": read_support,
    "help": read_help,
    "undo": read_undo,
    "lang": read_lang,
    "who": read_who,
}
