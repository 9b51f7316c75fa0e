"""Dashboard language: the UI strings per language, and Babel number and date formatting."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_skeleton
from babel.numbers import format_decimal
from flask import session

LANGS = ("en", "bn")
_LOCALES = {"en": "en_GB", "bn": "bn_BD"}
# Babel writes Bangla numbers with Latin digits; field staff read Bengali digits more easily.
_BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


@cache
def strings() -> dict[str, dict[str, str]]:
    """UI strings by language, from strings.toml next to this module."""
    data = tomllib.loads((Path(__file__).with_name("strings.toml")).read_text(encoding="utf-8"))
    return {lang: dict(data[lang]) for lang in LANGS}


def current_lang() -> str:
    lang = session.get("lang")
    return lang if lang in LANGS else "en"


def t(key: str, lang: str | None = None) -> str:
    """The UI string for `key`; English when the language lacks it, the key when both do."""
    table = strings()
    lang = lang or current_lang()
    return table[lang].get(key) or table["en"].get(key) or key


def digits(text: str, lang: str | None = None) -> str:
    return text.translate(_BENGALI_DIGITS) if (lang or current_lang()) == "bn" else text


def num(value: int | float | None, lang: str | None = None) -> str:
    if value is None:
        return "—"
    lang = lang or current_lang()
    return digits(format_decimal(value, locale=_LOCALES[lang]), lang)


def day(value: date | None, lang: str | None = None) -> str:
    if value is None:
        return "—"
    lang = lang or current_lang()
    return digits(format_date(value, "medium", locale=_LOCALES[lang]), lang)


def short_day(value: date, lang: str | None = None) -> str:
    """Day and month only ("8 Mar"), for chart labels on narrow screens."""
    lang = lang or current_lang()
    return digits(format_skeleton("MMMd", value, locale=_LOCALES[lang]), lang)


def moment(value: datetime | None, tz: str, lang: str | None = None) -> str:
    """An aware datetime shown in the project time zone (SQLite may hand back naive UTC)."""
    if value is None:
        return "—"
    lang = lang or current_lang()
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    try:
        text = format_datetime(value, "d MMM y, HH:mm", tzinfo=ZoneInfo(tz), locale=_LOCALES[lang])
    except (OverflowError, ValueError):
        # A stored time at the edge of the calendar (a provider's 9999-12-31) has no local
        # form: shown as stored, never a broken page.
        text = value.strftime("%Y-%m-%d %H:%M UTC")
    return digits(text, lang)
