"""Field readers shared by the command shapes: tagged counts, dates, places; sums: counts.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from schemas.commands import ErrorCode, ParseError, Place
from schemas.dates import check_window, is_date_token, latest_occurrence, read_date
from schemas.parse.catalog import Catalog, CommandSpec, TagGroup
from schemas.parse.counts import check_counts
from schemas.places import Gazetteer

INTEGER = re.compile(r"^\d+$")
_TAGGED = re.compile(r"^(পু|ম|[a-z])[=:-]?(\d+)$")  # rule 4: M300, m=300, F:545, M-300, পু৩০০
_NUMBER_FIRST = re.compile(r"^(\d+)([mfstpyc])$")  # rule 4: 300M (Latin tags only, never O)
_DIGIT = re.compile(r"\d")
_HUGE = 10**9  # any longer digit run is out of range anyway; int() of it could even raise


def to_int(digits: str) -> int:
    """A digit run as an int, clamped so absurd lengths stay cheap and out of range."""
    return int(digits) if len(digits) <= 9 else _HUGE


@dataclass(frozen=True)
class Reading:
    """What one parse needs besides the tokens: data, the received local date, limits."""

    catalog: Catalog
    gazetteer: Gazetteer
    timezone: ZoneInfo
    today: date
    max_backdate_days: int
    max_total: int | None
    home: Place | None
    near: bool = True  # near matches of place names (not for a throttled sender: rule 10)


@lru_cache(maxsize=8192)  # field staff repeat the same few tokens (m5, f7) endlessly
def tagged(token: str) -> tuple[str, int] | None:
    found = _TAGGED.match(token)
    if found:
        return found.group(1), to_int(found.group(2))
    first = _NUMBER_FIRST.match(token)
    return (first.group(2), to_int(first.group(1))) if first else None


def tag_spelling(token: str, rd: Reading) -> tuple[str, TagGroup] | None:
    """A tag letter or tag word standing alone (`M`, `m=`, `পুরুষ`): its number follows."""
    found = rd.catalog.tag(token)
    if found is None and token[-1:] in "=:-" and len(token) > 1:
        found = rd.catalog.tag(token[:-1])
    return found


def pair_tags(
    spec: CommandSpec, tokens: list[str], rd: Reading
) -> tuple[list[str], list[ParseError]]:
    """Rule 4: `M 300`, `M= 300`, `male 5`, `পু ৫` become one tagged count where the tag is
    allowed for the command; a tag the command does not take before a number is an error."""
    if len(tokens) < 2 or rd.catalog.tag_spellings.isdisjoint(tokens):
        return tokens, []
    out: list[str] = []
    errors: list[ParseError] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        found = tag_spelling(token, rd) if nxt is not None and INTEGER.match(nxt) else None
        if found is not None and nxt is not None:
            if found[1] in spec.tag_groups:
                out.append(f"{found[0].lower()}{nxt}")
            else:
                errors.append(ParseError(ErrorCode.NOT_UNDERSTOOD, None, {"token": token}))
            i += 2
            continue
        out.append(token)
        i += 1
    return out, errors


def max_total(spec: CommandSpec, rd: Reading) -> int:
    """The per-type maximum; a configured override replaces the catalog default only."""
    if rd.max_total is not None and spec.max_total == rd.catalog.default_max_total:
        return rd.max_total
    return spec.max_total


def split_dates(tokens: list[str], rd: Reading) -> tuple[date | None, list[str], list[ParseError]]:
    """Take the (at most one) date out of tokens: (date, other tokens, errors). A date marker
    (`on`, `date`, `তারিখ`) just before a date is dropped; `kal` asks for `gotokal` or D/M."""
    when: date | None = None
    rest: list[str] = []
    errors: list[ParseError] = []
    words = rd.catalog.words
    for i, token in enumerate(tokens):
        if token in words.date_markers and i + 1 < len(tokens) and (is_date_token(tokens[i + 1])):
            continue
        if token in words.vague_dates:
            errors.append(ParseError(ErrorCode.VAGUE_DATE, "date", {"token": token}))
            continue
        value = read_date(token, rd.today, rd.max_backdate_days)
        if value is None:
            rest.append(token)
        elif isinstance(value, ParseError):
            errors.append(value)
        elif when is not None:
            errors.append(ParseError(ErrorCode.EXTRA_FIELD, "date", {"token": token}))
        else:
            when = value
    return when, rest, errors


def read_place(
    words: list[str], rd: Reading, *, exact: bool = False
) -> tuple[Place | None, bool, list[ParseError]]:
    """(place, place_given, errors): the remaining words, or the sender's registered union.

    Rule 7: `union`/`upazila` words next to the name are ignored (`union` keeps a name that
    is also an upazila's as the union), a union followed by its own upazila is that union,
    and a word with a digit in it is never a place (the reply names it, offers no names).
    `exact`: names and aliases only, nothing offered (ENR, rule 10)."""
    marks = rd.catalog.words
    prefer = None
    names: list[str] = []
    for word in words:
        if word in marks.union_words:
            prefer = "union"
        elif word in marks.upazila_words:
            prefer = prefer or "upazila"
        else:
            names.append(word)
    if not names:
        if rd.home is None:
            return None, False, [ParseError(ErrorCode.MISSING_FIELD, "place")]
        return rd.home, False, []
    digit = next((w for w in names if _DIGIT.search(w)), None)
    if digit is not None:
        return None, True, [ParseError(ErrorCode.NOT_UNDERSTOOD, "place", {"token": digit})]
    near = rd.near and not exact
    found = rd.gazetteer.match(" ".join(names), near=near, prefer=prefer, offer=not exact)
    if isinstance(found, ParseError) and len(names) >= 2:
        union = _union_of_upazila(names, rd)
        if union is not None:
            return union, True, []
    if isinstance(found, ParseError):
        return None, True, [found]
    return found, True, []


def _union_of_upazila(names: list[str], rd: Reading) -> Place | None:
    """`Nalta Kaliganj`, `Tala Tala`: a union followed by its own upazila is that union."""
    for cut in range(1, len(names)):
        head = rd.gazetteer.match(" ".join(names[:cut]), near=False, prefer="union", offer=False)
        tail = rd.gazetteer.match(" ".join(names[cut:]), near=False, offer=False)
        if (
            isinstance(head, Place)
            and isinstance(tail, Place)
            and head.union is not None
            and tail.union is None
            and tail.upazila == head.upazila
        ):
            return head
    return None


# What a token is to the event reader, worked out once per token (field staff repeat the same
# few): date-phase flags, its value as a total, its tag (letter, group or None, count).
_MARKER, _VAGUE, _DATEY = 1, 2, 4
_KINDS_MAX = 16384  # a bounded cache: cleared, not grown, past this many distinct tokens
TokenKind = tuple[int, int | None, tuple[str, TagGroup | None, int] | None]


def _kind(token: str, catalog: Catalog) -> TokenKind:
    words = catalog.words
    role = (
        (_MARKER if token in words.date_markers else 0)
        | (_VAGUE if token in words.vague_dates else 0)
        | (_DATEY if is_date_token(token) else 0)
    )
    number = to_int(token) if INTEGER.match(token) else None
    tag = None
    pair = tagged(token) if number is None else None
    if pair is not None:
        found = catalog.tag(pair[0])
        tag = (found[0], found[1], pair[1]) if found else (pair[0].upper(), None, pair[1])
    kind: TokenKind = (role, number, tag)
    kinds = catalog.token_kinds
    if len(kinds) >= _KINDS_MAX:
        kinds.clear()
    kinds[token] = kind
    return kind


def read_event(
    spec: CommandSpec, tokens: list[str], rd: Reading
) -> dict[str, Any] | list[ParseError]:
    """`[DAY code] <total> [tagged counts] [date] [place]`, the last three in any order.

    One pass does split_dates' work and the counting: the date errors still come before the
    count errors, as if the dates had been taken out first."""
    fields: dict[str, Any] = {}
    catalog = rd.catalog
    if spec.needs_day_code:
        day = catalog.day_code(tokens[0]) if tokens else None
        if day is None:
            looks_like_field = not tokens or INTEGER.match(tokens[0]) or tagged(tokens[0])
            if looks_like_field or is_date_token(tokens[0]):
                return [ParseError(ErrorCode.MISSING_DAY_CODE, "day_code")]
            return [ParseError(ErrorCode.UNKNOWN_DAY_CODE, "day_code", {"token": tokens[0]})]
        fields["day_code"] = day.code
        tokens = tokens[1:]
    tokens, errors = pair_tags(spec, tokens, rd)
    kinds = catalog.token_kinds
    limit = max_total(spec, rd)
    when: date | None = None
    date_errors: list[ParseError] = []
    count_errors: list[ParseError] = []
    total: int | None = None
    tags: list[tuple[str, int]] = []
    words: list[str] = []
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        role, number, tag = kinds.get(token) or _kind(token, catalog)
        if role:
            if role & _MARKER and i < last:
                following = tokens[i + 1]
                if (kinds.get(following) or _kind(following, catalog))[0] & _DATEY:
                    continue  # `on 8/3`: the marker goes, the date is read next
            if role & _VAGUE:
                date_errors.append(ParseError(ErrorCode.VAGUE_DATE, "date", {"token": token}))
                continue
            if role & _DATEY:
                value = read_date(token, rd.today, rd.max_backdate_days)
                if isinstance(value, ParseError):
                    date_errors.append(value)
                elif when is not None:
                    date_errors.append(ParseError(ErrorCode.EXTRA_FIELD, "date", {"token": token}))
                else:
                    when = value
                continue
        if number is not None:
            if total is None:  # the total comes first, but a late one is still clear
                total = number
            else:
                count_errors.append(ParseError(ErrorCode.EXTRA_FIELD, "total", {"token": token}))
            continue
        if tag is None:
            words.append(token)
            continue
        letter, group, count = tag
        if group is None or group not in spec.tag_groups:
            count_errors.append(ParseError(ErrorCode.TAG_NOT_ALLOWED, letter, {"tag": token}))
        elif any(letter == t for t, _ in tags):
            count_errors.append(ParseError(ErrorCode.DUPLICATE_TAG, letter, {"tag": token}))
        elif count > limit:
            count_errors.append(
                ParseError(ErrorCode.OUT_OF_RANGE, letter, {"value": count, "min": 0, "max": limit})
            )
        else:
            tags.append((letter, count))
    if date_errors:
        errors += date_errors
    if count_errors:
        errors += count_errors
    errors.extend(check_counts(spec, total, tags, limit, fields))
    if when is None:
        # A date that was typed but rejected is already reported: no second, defaulted one.
        typed_date = any(e.field == "date" for e in errors)
        when = rd.today if typed_date else _default_date(fields.get("day_code"), rd, errors)
        fields["date_given"] = False
    else:
        fields["date_given"] = True
    place, given, place_errors = read_place(words, rd)
    if place_errors:
        errors.extend(place_errors)
    if errors:
        return errors
    fields["activity_date"] = when
    fields["tags"] = tuple(tags)
    fields["place"] = place
    fields["place_given"] = given
    return fields


def _default_date(day_code: str | None, rd: Reading, errors: list[ParseError]) -> date:
    """Received date, or for DAY the day's latest occurrence (still inside the window)."""
    if day_code is None:
        return rd.today
    day = rd.catalog.day_codes[day_code]
    when = latest_occurrence(day.month, day.day, rd.today)
    problem = check_window(when, rd.today, rd.max_backdate_days)
    if problem is not None:
        errors.append(problem)
    return when
