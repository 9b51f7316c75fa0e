"""The SMS parser: text + sender + received time -> ParseResult (a Command or the errors)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from schemas.commands import Command, ErrorCode, ParseError, ParseResult, Place, Role
from schemas.dates import local_date, month_readings
from schemas.parse.catalog import Catalog, load_catalog
from schemas.parse.fields import Reading, read_event
from schemas.parse.lenient import protected, rewrite, second_keyword, signature_words
from schemas.parse.readers import READERS, REFERRAL
from schemas.parse.topic import MAX_TOPIC, cut_topic
from schemas.places import Gazetteer, load_gazetteer
from schemas.text import (
    MAX_LENGTH,
    has_control_chars,
    has_symbols,
    normalise,
    only_question_marks,
    split_tokens,
)


@dataclass(frozen=True)
class Sender:
    role: Role
    home: Place | None = None  # registered union: the default place
    name: str | None = None  # registered name: a signature (rule 9); never replied


@dataclass(frozen=True, eq=False)  # hashed by identity: a per-message cache key, cheaply
class Context:
    catalog: Catalog
    gazetteer: Gazetteer
    timezone: ZoneInfo
    max_backdate_days: int = 45
    max_total: int | None = None  # overrides the catalog's default maximum (not DAY's own)


@lru_cache(maxsize=8)
def load_context(timezone: str = "Asia/Dhaka", max_backdate_days: int = 45) -> Context:
    """The shipped catalog and gazetteer with the project's time zone; cached per arguments."""
    return Context(load_catalog(), load_gazetteer(), ZoneInfo(timezone), max_backdate_days)


def _rejected(
    code: ErrorCode, keyword: str | None = None, detail: dict[str, Any] | None = None
) -> ParseResult:
    return ParseResult(errors=(ParseError(code, None, detail or {}),), keyword=keyword)


# The last (ctx, today, home, near, Reading): one tuple, read and replaced whole (threads).
_last: list[tuple[Any, ...]] = [(None, None, None, None, None)]


def _reading(ctx: Context, today: date, home: Place | None, near: bool) -> Reading:
    """The Reading of the last call again when nothing changed (by identity: a batch's
    messages share a day and often a sender); else the cached one."""
    last = _last[0]
    if last[0] is ctx and last[1] is today and last[2] is home and last[3] is near:
        return last[4]  # type: ignore[no-any-return]
    found = _cached_reading(ctx, today, home, near)
    _last[0] = (ctx, today, home, near, found)
    return found


@lru_cache(maxsize=1024)  # one per (day, registered union): messages of a batch share them
def _cached_reading(ctx: Context, today: date, home: Place | None, near: bool) -> Reading:
    return Reading(
        catalog=ctx.catalog,
        gazetteer=ctx.gazetteer,
        timezone=ctx.timezone,
        today=today,
        max_backdate_days=ctx.max_backdate_days,
        max_total=ctx.max_total,
        home=home,
        near=near,
    )


def _phrases(words: list[str], catalog: Catalog) -> list[str]:
    """Rule 3: multi-word aliases before single words (`নারী দিবস` -> DAY IWD, `goto kal`)."""
    table = catalog.words
    if words[0] in table.first_words_first:
        for phrase, reading in table.phrases_first.items():
            if tuple(words[: len(phrase)]) == phrase:
                words = [*reading, *words[len(phrase) :]]
                break
    starts = table.first_words
    if len(words) < 2 or starts.isdisjoint(words):
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        if words[i] in starts:
            for phrase, reading in table.phrases.items():
                if tuple(words[i : i + len(phrase)]) == phrase:
                    out += reading
                    i += len(phrase)
                    break
            else:
                out.append(words[i])
                i += 1
        else:
            out.append(words[i])
            i += 1
    return out


def _keyword(
    words: list[str], ctx: Context, sender: Sender, correct: bool
) -> tuple[str | None, str | None]:
    """(canonical keyword, typed token when a one-edit correction was applied)."""
    catalog = ctx.catalog
    first = words[0]
    keyword = catalog.keyword_for(first)
    if keyword is None and first.endswith(":"):
        keyword = catalog.keyword_for(first.rstrip(":"))  # `MEET:`; never corrected
        first = ""
    typed = None
    if keyword is None and correct and first and not _uncorrectable(first, ctx, sender):
        keyword = catalog.corrected_keyword(first)
        typed = first if keyword else None
    if keyword == "REF" and len(words) > 1 and REFERRAL.match(words[1]):
        keyword = "REFOUT"  # `REF R<n> DONE|NO`: same keyword typed, a different command
    return keyword, typed


def _uncorrectable(token: str, ctx: Context, sender: Sender) -> bool:
    """Rule 3: filler, date, month, tag, day code, place or name words are never typos."""
    return protected(token, ctx.catalog, ctx.gazetteer) or token in {
        normalise(w) for w in (sender.name or "").split()
    }


def parse(
    text: str, sender: Sender, received: datetime, ctx: Context, *, lenient: bool = True
) -> ParseResult:
    """Read one message. Never raises on any text: user mistakes come back as errors.

    `lenient=False` (a throttled sender: nothing may be saved unseen) reads under rules 1-8
    and 10 only: no forgiving reading, no keyword correction, no near place match."""
    if not isinstance(text, str):
        text = ""
    if len(text) > MAX_LENGTH:
        return _rejected(ErrorCode.TOO_LONG, None, {"length": len(text), "max": MAX_LENGTH})
    if has_control_chars(text):
        return _rejected(ErrorCode.CONTROL_CHARS)
    if only_question_marks(text):
        return ParseResult(command=Command(keyword="HELP"), keyword="HELP")
    body, topic = cut_topic(text)
    typed, words = split_tokens(body)
    if not words:
        if lenient and has_symbols(text):
            return _rejected(ErrorCode.ONLY_FILLER)
        return _rejected(ErrorCode.EMPTY)
    if "?" in text and len(words) == 1 and topic is None:
        asked = ctx.catalog.keyword_for(words[0])
        if asked is not None and asked != "HELP":  # `SCH?`, `? SCH`
            return ParseResult(command=Command(keyword="HELP", topic=asked), keyword="HELP")
    if received.tzinfo is None:  # the contract says aware; a naive time is taken as UTC
        received = received.replace(tzinfo=UTC)
    today = local_date(received, ctx.timezone)
    phrased = _phrases(words, ctx.catalog)
    if topic is not None:
        topic = _trim_topic(topic, sender, ctx)
    strict = _read(phrased, sender, today, ctx, lenient, topic)
    if strict.ok or not lenient:
        return _named(strict, typed, words)
    found = rewrite(phrased, sender.name, ctx.catalog, ctx.gazetteer)
    if found.only_filler and topic is None:
        return _rejected(ErrorCode.ONLY_FILLER)
    tried = [
        _read(list(w), sender, today, ctx, True, topic)
        for w in found.readings
        if list(w) != phrased
    ]
    clean = [r for r in tried if r.ok]
    checked = [r for r in tried if r.errors and r.errors[0].code is ErrorCode.BAD_CHECK_DIGIT]
    if not clean and checked:  # `IC 100 008`: the six digits fail the check digit
        return checked[0]
    commands = clean if len(clean) < 2 else list(dict.fromkeys(r.command for r in clean))
    if len(commands) == 1:
        return clean[0]
    if len(commands) > 1 and found.glued is not None:
        return _named(
            _rejected(ErrorCode.AMBIGUOUS_TOKEN, clean[0].keyword, {"token": found.glued}),
            typed,
            words,
        )
    two = second_keyword(phrased, strict.keyword, ctx.catalog, ctx.gazetteer)
    if two is not None:
        return _named(
            _rejected(ErrorCode.SECOND_KEYWORD, strict.keyword, {"token": two}), typed, words
        )
    return _named(strict, typed, words)


def _trim_topic(topic: str, sender: Sender, ctx: Context) -> str:
    """A topic loses a trailing signature and trailing courtesy words (`... thanks Rina`)."""
    signature = signature_words(sender.name, ctx.catalog, ctx.gazetteer)
    parts = topic.split()
    while parts and (
        normalise(parts[-1].strip(".,;!-")) in ctx.catalog.words.fillers
        or normalise(parts[-1].strip(".,;!-")) in signature
    ):
        parts.pop()
    return " ".join(parts)


def _read(
    words: list[str], sender: Sender, today: date, ctx: Context, lenient: bool, topic: str | None
) -> ParseResult:
    """One strict reading of normalised tokens (rules 1-8 and 10)."""
    if not words:
        return _rejected(ErrorCode.EMPTY)
    keyword, typed = _keyword(words, ctx, sender, lenient)
    if keyword is None:
        return _rejected(ErrorCode.UNKNOWN_KEYWORD, None, {"token": words[0]})
    spec = ctx.catalog.command(keyword)
    if sender.role not in spec.roles:
        roles = ", ".join(r.value for r in spec.roles)
        shown = "REF" if keyword == "REFOUT" else keyword  # what the sender typed
        return _rejected(ErrorCode.ROLE_NOT_ALLOWED, keyword, {"keyword": shown, "roles": roles})
    extra: dict[str, Any] = {}
    if topic is not None:
        if keyword != "TRN":
            return _rejected(ErrorCode.EXTRA_FIELD, keyword, {"token": "topic"})
        if not topic:
            return ParseResult(
                errors=(ParseError(ErrorCode.MISSING_FIELD, "topic"),), keyword=keyword
            )
        if len(topic) > MAX_TOPIC:
            return _rejected(
                ErrorCode.TOPIC_TOO_LONG, keyword, {"length": len(topic), "max": MAX_TOPIC}
            )
        extra["training_topic"] = topic
    reading = _reading(ctx, today, sender.home, lenient)
    reader = read_event if spec.shape == "event" else READERS[spec.shape]
    results = []
    readings = month_readings(words[1:], ctx.catalog.words.months)
    if len(readings) == 1:  # no month name, or one way to read it: the common message
        fields = reader(spec, readings[0], reading)
        if isinstance(fields, list):
            return ParseResult(errors=tuple(fields), keyword=keyword)
        command = Command(keyword=keyword, typed_keyword=typed, **fields, **extra)
        return ParseResult(command=command, keyword=keyword)
    for rest in readings:
        fields = reader(spec, rest, reading)
        if isinstance(fields, list):
            results.append(ParseResult(errors=tuple(fields), keyword=keyword))
        else:
            command = Command(keyword=keyword, typed_keyword=typed, **fields, **extra)
            results.append(ParseResult(command=command, keyword=keyword))
    if len(results) == 1:
        return results[0]
    clean = list(dict.fromkeys(r.command for r in results if r.ok))
    if len(clean) > 1:  # `MEET 3 March 9`: never guessed
        month = next(w for w in words if w in ctx.catalog.words.months)
        return _rejected(ErrorCode.AMBIGUOUS_DATE, keyword, {"token": month})
    return next((r for r in results if r.ok), results[0])


def _named(result: ParseResult, typed: list[str], words: list[str]) -> ParseResult:
    """Errors name the token as the sender typed it (case kept) and its position."""
    if result.ok or not result.errors:
        return result
    named = []
    for error in result.errors:
        token = error.detail.get("token")
        if isinstance(token, str) and token in words:
            at = words.index(token)
            error = replace(error, detail={**error.detail, "typed": typed[at], "position": at + 1})
        named.append(error)
    # A word that did not read comes first: the reply names what the sender typed.
    named.sort(key=lambda e: e.code is not ErrorCode.NOT_UNDERSTOOD)
    return replace(result, errors=tuple(named))
