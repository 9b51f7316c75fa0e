"""Survivor codes: the Damm check digit catches every typing slip it promises to."""

from __future__ import annotations

import random

from schemas.codes import check_digit, is_valid, new_code, read_code
from schemas.commands import ErrorCode, ParseError


def _sample(n: int = 10_000) -> list[str]:
    rng = random.Random(20260310)
    taken: set[str] = set()
    while len(taken) < n:
        taken.add(new_code(rng, taken.__contains__))
    return sorted(taken)


def test_known_examples() -> None:
    assert check_digit("10000") == "9"
    assert is_valid("100009")
    assert not is_valid("100008")


def test_every_single_digit_error_is_caught() -> None:
    codes = _sample()
    assert len(codes) == 10_000
    checked = 0
    for code in codes:
        for pos in range(6):
            for digit in "0123456789":
                if digit != code[pos]:
                    assert not is_valid(code[:pos] + digit + code[pos + 1 :]), (code, pos, digit)
                    checked += 1
    assert checked == 10_000 * 6 * 9  # every other digit in every place


def test_every_adjacent_transposition_is_caught() -> None:
    codes = _sample()
    assert len(codes) == 10_000
    swaps = 0
    for code in codes:
        for pos in range(5):
            if code[pos] != code[pos + 1]:
                swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2 :]
                assert not is_valid(swapped), (code, pos)
                swaps += 1
    assert swaps > 10_000 * 4  # most neighbours differ: the check ran on tens of thousands


def test_new_codes_are_six_digits_first_not_zero_and_valid() -> None:
    codes = _sample(2_000)
    assert len(codes) == 2_000
    for code in codes:
        assert len(code) == 6 and code[0] != "0" and is_valid(code)


def test_new_code_retries_while_taken_and_depends_only_on_the_rng() -> None:
    first = new_code(random.Random(7), lambda c: False)
    again = new_code(random.Random(7), lambda c: c == first)
    assert again != first and is_valid(again)
    assert new_code(random.Random(7), lambda c: False) == first


def test_read_code_ignores_leading_s_and_dashes() -> None:
    assert read_code("s-100-009") == "100009"
    assert read_code("s100009") == "100009"
    assert read_code("1-0-0-0-0-9") == "100009"


def test_read_code_tells_bad_check_digit_from_malformed() -> None:
    bad = read_code("100008")
    assert isinstance(bad, ParseError) and bad.code is ErrorCode.BAD_CHECK_DIGIT
    for token in ("10000", "1000091", "abcdef", "x100009", ""):
        err = read_code(token)
        assert isinstance(err, ParseError)
        assert (err.code, err.field) == (ErrorCode.MALFORMED_FIELD, "code")
