"""The SMS parser: text + sender + received time -> ParseResult (a Command or the errors)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from schemas.catalog import Catalog, load_catalog
from schemas.commands import Command, ErrorCode, ParseError, ParseResult, Place, Role
from schemas.dates import local_date
from schemas.fields import Reading, read_event
from schemas.places import Gazetteer, load_gazetteer
from schemas.survivor import READERS, REFERRAL
from schemas.text import MAX_LENGTH, has_control_chars, tokens


@dataclass(frozen=True)
class Sender:
    role: Role
    home: Place | None = None  # registered union: the default place


@dataclass(frozen=True)
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


def _rejected(code: ErrorCode, keyword: str | None = None,
              detail: dict[str, Any] | None = None) -> ParseResult:
    return ParseResult(errors=(ParseError(code, None, detail or {}),), keyword=keyword)


@lru_cache(maxsize=1024)  # one per (day, registered union): messages of a batch share them
def _reading(ctx: Context, today: date, home: Place | None) -> Reading:
    return Reading(
        catalog=ctx.catalog, gazetteer=ctx.gazetteer, timezone=ctx.timezone, today=today,
        max_backdate_days=ctx.max_backdate_days, max_total=ctx.max_total, home=home,
    )


def _keyword(words: list[str], catalog: Catalog) -> tuple[str | None, str | None]:
    """(canonical keyword, typed token when a one-edit correction was applied)."""
    first = words[0]
    keyword = catalog.keyword_for(first)
    typed = None
    if keyword is None:
        keyword = catalog.corrected_keyword(first)
        typed = first if keyword else None
    if keyword == "REF" and len(words) > 1 and REFERRAL.match(words[1]):
        keyword = "REFOUT"  # `REF R<n> DONE|NO`: same keyword typed, a different command
    return keyword, typed


def parse(text: str, sender: Sender, received: datetime, ctx: Context) -> ParseResult:
    """Read one message. Never raises on any text: user mistakes come back as errors."""
    if not isinstance(text, str):
        text = ""
    if len(text) > MAX_LENGTH:
        return _rejected(ErrorCode.TOO_LONG, None, {"length": len(text), "max": MAX_LENGTH})
    if has_control_chars(text):
        return _rejected(ErrorCode.CONTROL_CHARS)
    words = tokens(text)
    if not words:
        return _rejected(ErrorCode.EMPTY)
    catalog = ctx.catalog
    keyword, typed = _keyword(words, catalog)
    if keyword is None:
        return _rejected(ErrorCode.UNKNOWN_KEYWORD, None, {"token": words[0]})
    spec = catalog.command(keyword)
    if sender.role not in spec.roles:
        roles = ", ".join(r.value for r in spec.roles)
        shown = "REF" if keyword == "REFOUT" else keyword  # what the sender typed
        return _rejected(ErrorCode.ROLE_NOT_ALLOWED, keyword, {"keyword": shown, "roles": roles})
    if received.tzinfo is None:  # the contract says aware; a naive time is taken as UTC
        received = received.replace(tzinfo=UTC)
    reading = _reading(ctx, local_date(received, ctx.timezone), sender.home)
    reader = read_event if spec.shape == "event" else READERS[spec.shape]
    fields = reader(spec, words[1:], reading)
    if isinstance(fields, list):
        return ParseResult(errors=tuple(fields), keyword=keyword)
    return ParseResult(command=Command(keyword=keyword, typed_keyword=typed, **fields),
                       keyword=keyword)
