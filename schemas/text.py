"""Text normalisation for SMS commands: NFKC, case-fold, ASCII digits, tokens, text key."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

MAX_LENGTH = 480  # three concatenated GSM-7 segments, the longest a basic phone sends

# Every Unicode decimal digit (Bengali ০-৯, Devanagari, Arabic-Indic, ...) other than 0-9:
# `\d` in a str pattern is exactly Unicode category Nd.
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
# Bengali digits are by far the most common: a direct table for them, the regex for the rest.
_BENGALI = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")

# Rule 2: runs of whitespace , ; # * + separate tokens; . / - stay inside tokens (dates, codes).
_SEPARATORS = re.compile(r"[\s,;#*+]+")
# Tab, newline and carriage return are whitespace separators; every other C0/C1 control is not
# something a phone keypad produces, so it is rejected rather than guessed at.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """NFKC, then case-fold, then ASCII digits. NFKC also decomposes য় ড় ঢ় consistently."""
    if text.isascii():
        return text.lower()  # NFKC and case-folding change nothing else in ASCII
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_BENGALI)
    return _OTHER_DIGIT.sub(_ascii_digit, folded)


def _ascii_digit(found: re.Match[str]) -> str:
    return str(unicodedata.decimal(found.group()))


def tokens(text: str) -> list[str]:
    """The normalised, non-empty tokens of a message."""
    return [t for t in _SEPARATORS.split(normalise(text)) if t]


def has_control_chars(text: str) -> bool:
    return _CONTROL.search(text) is not None


def too_long(text: str) -> bool:
    return len(text) > MAX_LENGTH


def text_key(text: str) -> str:
    """sha256 hex of the normalised token string: equal for messages that read the same."""
    return hashlib.sha256(" ".join(tokens(text)).encode("utf-8")).hexdigest()


def safe_display(text: str, limit: int = 160) -> str:
    """A raw message made safe to show: controls replaced, cut at `limit` characters."""
    cleaned = _CONTROL.sub("\ufffd", text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "\u2026"
