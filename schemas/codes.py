"""Survivor codes: five random digits plus a Damm check digit, read leniently, issued randomly."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from schemas.commands import ErrorCode, ParseError

# The standard Damm quasigroup of order 10 (weakly totally anti-symmetric): catches every
# single-digit error and every adjacent transposition.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
CODE_LENGTH = 6
_STRIP = re.compile(r"^s|-")  # a leading S (printed on cards as S-482-713) and any dash
_MAX_TRIES = 10_000


def check_digit(digits: str) -> str:
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][ord(ch) - 48]
    return str(interim)


def is_valid(code: str) -> bool:
    """Six ASCII digits whose Damm checksum is zero."""
    if len(code) != CODE_LENGTH or not code.isascii() or not code.isdigit():
        return False
    return check_digit(code) == "0"


def read_code(token: str) -> str | ParseError:
    """A typed code (normalised token) -> its six digits, or why it is not a code."""
    digits = _STRIP.sub("", token.strip().lower())
    if len(digits) != CODE_LENGTH or not digits.isascii() or not digits.isdigit():
        return ParseError(ErrorCode.MALFORMED_FIELD, "code", {"token": token})
    if not is_valid(digits):
        return ParseError(ErrorCode.BAD_CHECK_DIGIT, "code", {"token": token})
    return digits


def new_code(rng: random.Random, taken: Callable[[str], bool]) -> str:
    """A fresh code: five random digits (first not 0, so it never loses a digit) + check digit.

    The digits come only from `rng`: never sequential, never derived from the person.
    """
    for _ in range(_MAX_TRIES):
        body = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(4))
        code = body + check_digit(body)
        if not taken(code):
            return code
    raise RuntimeError("no free survivor code after 10000 tries: the code space is exhausted")
