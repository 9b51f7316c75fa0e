"""The report's two languages: Bengali digits, Bangla dates and period names, list joins."""

from __future__ import annotations

from datetime import date

from schemas.periods import MONTH_NAMES, MONTH_NAMES_BN, Period, long_date
from schemas.text import bengali_digits

LANGS = ("en", "bn")


class LangError(ValueError):
    """A report language that is not offered."""


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise LangError(f"unknown language {lang!r}: one of {', '.join(LANGS)}")
    return lang


def digits(text: object, lang: str) -> str:
    """Bengali digits in a Bangla text (also inside `<11`); English left as it is."""
    return bengali_digits(str(text)) if lang == "bn" else str(text)


def month_name(month: int, lang: str) -> str:
    return MONTH_NAMES_BN[month - 1] if lang == "bn" else MONTH_NAMES[month - 1]


def short_month(year: int, month: int, lang: str) -> str:
    """`Mar 2021` / `মার্চ ২০২১`: a column or chart label."""
    name = month_name(month, lang)
    return digits(f"{name if lang == 'bn' else name[:3]} {year}", lang)


def day_text(day: date, lang: str) -> str:
    """`8 March 2021` / `৮ মার্চ ২০২১`."""
    if lang == "bn":
        return digits(f"{day.day} {MONTH_NAMES_BN[day.month - 1]} {day.year}", lang)
    return long_date(day)


def period_label(period: Period, lang: str) -> str:
    """`January-December 2021` / `জানুয়ারি-ডিসেম্বর ২০২১`, else the two dates."""
    if lang != "bn":
        return period.label
    s, e = period.start, period.end
    if not period.whole_months:
        return f"{day_text(s, lang)} - {day_text(e, lang)}"
    if (s.year, s.month) == (e.year, e.month):
        return digits(f"{MONTH_NAMES_BN[s.month - 1]} {s.year}", lang)
    if s.year == e.year:
        return digits(f"{MONTH_NAMES_BN[s.month - 1]}-{MONTH_NAMES_BN[e.month - 1]} {s.year}", lang)
    return digits(
        f"{MONTH_NAMES_BN[s.month - 1]} {s.year}-{MONTH_NAMES_BN[e.month - 1]} {e.year}", lang
    )


def join_list(items: list[str], lang: str, *, serial_comma: bool = False) -> str:
    """`a, b and c` (`a, b, and c` with the serial comma) / `a, b ও c`."""
    if len(items) <= 1:
        return "".join(items)
    last = " ও " if lang == "bn" else (", and " if serial_comma and len(items) > 2 else " and ")
    return ", ".join(items[:-1]) + last + items[-1]
