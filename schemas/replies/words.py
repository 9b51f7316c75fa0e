"""Reply words: replies.toml loaded, and the safe formatting of numbers, dates and echoes."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from schemas.commands import Lang, Place
from schemas.places import load_gazetteer
from schemas.replies.sms_length import is_gsm7
from schemas.text import bengali_digits

WORDS_PATH = Path(__file__).with_name("replies.toml")
# Never in a reply (phones are shared in families): checked on every text that goes out.
FORBIDDEN = ("trafficking", "survivor", "victim", "ashshash", "পাচার", "ভুক্তভোগী", "সারভাইভার", "আশ্বাস")
MAX_ECHO = 20  # longest piece of the sender's own text repeated back


@lru_cache(maxsize=1)
def load_words() -> dict[str, Any]:
    """replies.toml, parsed once per process."""
    return tomllib.loads(WORDS_PATH.read_text(encoding="utf-8"))


def as_lang(lang: Lang | str | None) -> Lang:
    """Any spelling of a language code; anything unknown falls back to English."""
    try:
        return Lang(str(lang).strip().lower())
    except ValueError:
        return Lang.EN


def num(value: object, lang: Lang) -> str | None:
    if value is None or not re.fullmatch(r"-?\d+", str(value)):
        return None
    text = str(int(str(value)))
    return bengali_digits(text) if lang is Lang.BN else text


def fmt_date(day: date, lang: Lang, short: bool = False) -> str:
    """08/03/2026; `short` (Bangla confirmations) 8/3: inside the window the year is known."""
    text = f"{day.day}/{day.month}" if short else f"{day.day:02d}/{day.month:02d}/{day.year}"
    return bengali_digits(text) if lang is Lang.BN else text


def iso_date(raw: object, lang: Lang) -> str | None:
    try:
        return fmt_date(date.fromisoformat(str(raw)), lang) if raw else None
    except ValueError:
        return None


def place_name(place: Place, lang: Lang, mark: str | None = None) -> str:
    """The place's name; `mark` ("{name} (upazila)") for an upazila that shares its name
    with a union, so `Tala` reads back as which one was saved."""
    name = place.name_bn if lang is Lang.BN else place.name
    if mark and place.union is None and load_gazetteer().shares_name(place):
        return mark.format(name=name)
    return name


def echo(
    raw: object, lang: Lang, *, digits_only: bool = False, limit: int = MAX_ECHO
) -> str | None:
    """The sender's own text, safe to repeat: printable, short, in the reply's alphabet,
    and never one of the forbidden words. None when it cannot be repeated."""
    if raw is None:
        return None
    text = " ".join("".join(ch for ch in str(raw) if ch.isprintable()).split())
    if digits_only and not re.fullmatch(r"[A-Za-z]?[0-9][0-9\-]*", text):
        return None
    if not text or has_forbidden(text) or (lang is Lang.EN and not is_gsm7(text)):
        return None
    return text if len(text) <= limit else text[: limit - 2] + ".."


def has_forbidden(text: str) -> bool:
    folded = text.casefold()
    return any(word in folded for word in FORBIDDEN)


def scrub(text: str, lang: Lang) -> str:
    """Last guard: a forbidden word or (English) a non-GSM character never goes out."""
    for word in FORBIDDEN:
        text = re.sub(re.escape(word), "*", text, flags=re.IGNORECASE)
    if lang is Lang.EN and not is_gsm7(text):
        text = "".join(ch if is_gsm7(ch) else "?" for ch in text)
    return text
