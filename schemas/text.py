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
# A list, not a dict: str.translate then finds every character up to the end of the Bengali
# block by index instead of raising (and catching) a KeyError for each one not mapped.
_BENGALI = [chr(i) for i in range(0xA00)]
for _i, _digit in enumerate("০১২৩৪৫৬৭৮৯"):
    _BENGALI[ord(_digit)] = str(_i)

# Rule 2: runs of whitespace , ; # * + ( ) [ ] ! ? " separate tokens; . / - = : stay inside
# tokens (dates, codes, tags). Emoji and other symbols are separators too (see _symbols).
_TOKEN = re.compile(r"[^\s,;#*+()\[\]!?\"]+")
# `1,350` and `12,000` are one number: 1-2 digits, then groups of a comma and three digits.
_THOUSANDS = re.compile(r"(?<![\d,])(\d{1,2})((?:,\d{3})+)(?![\d,])")
_ONLY_PUNCT = re.compile(r"^[.\-_=:]+$")
# Tab, newline and carriage return are whitespace separators; every other C0/C1 control is not
# something a phone keypad produces, so it is rejected rather than guessed at.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_KEYCAP_AND_SELECTORS = {0x20E3, 0x200D} | set(range(0xFE00, 0xFE10))


_TO_BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


def bengali_digits(text: str) -> str:
    """ASCII digits written as Bengali digits (০-৯), for Bangla replies and documents."""
    return text.translate(_TO_BENGALI_DIGITS)


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """NFKC, then case-fold, then ASCII digits. NFKC also decomposes য় ড় ঢ় consistently."""
    if text.isascii():
        return text.lower()  # NFKC and case-folding change nothing else in ASCII
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_BENGALI)
    return _OTHER_DIGIT.sub(_ascii_digit, folded)


def _ascii_digit(found: re.Match[str]) -> str:
    return str(unicodedata.decimal(found.group()))


@lru_cache(maxsize=4096)
def _is_symbol(ch: str) -> bool:
    """Emoji and other symbols (So, Sk), variation selectors, keycaps, joiners: separators."""
    return unicodedata.category(ch) in ("So", "Sk") or ord(ch) in _KEYCAP_AND_SELECTORS


# Outside these no character can be a symbol but ASCII's ^ and ` and Bengali's isshar U+09FA
# (checked by a test): a Bangla message seldom needs the per-character look.
_MAYBE_SYMBOL = re.compile(r"[^\x00-\x7f\u0980-\u09f9\u09fb-\u09ff]")


def _symbols(text: str) -> str:
    if text.isascii() or _MAYBE_SYMBOL.search(text) is None:
        return text.replace("^", " ").replace("`", " ")  # the ASCII Sk characters
    return "".join(" " if _is_symbol(ch) else ch for ch in text)


# ASCII messages (the common SMS) are split by str.split: the separators of _TOKEN and the
# ASCII symbols `^` and `` ` `` become spaces first; split() breaks at exactly what `\s` matches.
_ASCII_SEPARATORS = [" " if chr(i) in ',;#*+()[]!?"^`' else chr(i) for i in range(128)]


def split_tokens(text: str) -> tuple[list[str], list[str]]:
    """(tokens as typed, normalised tokens) in one pass where the text allows it."""
    if not text.isascii():
        typed = typed_tokens(text)
        return typed, folded(typed)
    # The same steps as typed_tokens, each only when it can matter.
    if "," in text:
        text = _THOUSANDS.sub(_joined_thousands, text)
    typed = text.translate(_ASCII_SEPARATORS).split()
    joined = " " + " ".join(typed)
    if "." in joined or " -" in joined or " _" in joined or " =" in joined or " :" in joined:
        typed = _trimmed(typed)  # a full stop, or a token that may be only punctuation
        return typed, [t.lower() for t in typed]
    return typed, joined.lower().split()


def _joined_thousands(found: re.Match[str]) -> str:
    return found.group(1) + found.group(2).replace(",", "")


def _trimmed(found: list[str]) -> list[str]:
    """Sentence punctuation off the end (`F9.` -> `F9`, `ম৭।` -> `ম৭`); punctuation-only
    tokens dropped."""
    out = []
    for token in found:
        if token[-1] in ".।":
            token = token.rstrip(".।")
            if not token:
                continue
        if token[0] in ".-_=:" and _ONLY_PUNCT.match(token):
            continue
        out.append(token)
    return out


def typed_tokens(text: str) -> list[str]:
    """The tokens as typed (NFKC, digits ASCII, case kept): what a reply may name."""
    if not text.isascii():
        text = _OTHER_DIGIT.sub(
            _ascii_digit, unicodedata.normalize("NFKC", text).translate(_BENGALI)
        )
    if "," in text:
        text = _THOUSANDS.sub(_joined_thousands, text)
    return _trimmed(_TOKEN.findall(_symbols(text)))


def tokens(text: str) -> list[str]:
    """The normalised, non-empty tokens of a message."""
    return split_tokens(text)[1]


def folded(typed: list[str]) -> list[str]:
    """Typed tokens normalised (ASCII needs only lower-casing: see `normalise`)."""
    return [t.lower() if t.isascii() else normalise(t) for t in typed]


def has_symbols(text: str) -> bool:
    """An emoji or other symbol: a message of nothing else is a thumbs-up, not a command."""
    return any(_is_symbol(ch) for ch in text if not ch.isascii())


def only_question_marks(text: str) -> bool:
    """Rule 2: a message of nothing but `?` (and whitespace) is HELP."""
    if "?" not in text and "？" not in text:
        return False
    stripped = "".join(text.split())
    return bool(stripped) and set(stripped) <= {"?", "？"}


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
