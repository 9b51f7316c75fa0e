"""SMS length arithmetic and the safe shortening that keeps what a reply must keep."""

from __future__ import annotations

import string

import pytest

from schemas.replies.sms_length import Piece, fit, fits_reply, segments
from schemas.replies.words import load_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("gsm7", 0, 1)),
        ("OK", ("gsm7", 2, 1)),
        ("a" * 160, ("gsm7", 160, 1)),
        ("a" * 161, ("gsm7", 161, 2)),
        ("a" * 306, ("gsm7", 306, 2)),
        ("a" * 307, ("gsm7", 307, 3)),
        ("[]", ("gsm7", 4, 1)),  # extension characters take an escape each
        ("€" * 80, ("gsm7", 160, 1)),
        ("ক" * 70, ("ucs2", 70, 1)),
        ("ক" * 71, ("ucs2", 71, 2)),
        ("ক" * 134, ("ucs2", 134, 2)),
        ("ক" * 135, ("ucs2", 135, 3)),
        ("a" * 69 + "😀", ("ucs2", 71, 2)),  # outside the BMP: two UTF-16 units
    ],
)
def test_segments(text: str, expected: tuple[str, int, int]) -> None:
    assert segments(text) == expected


def test_reply_budgets() -> None:
    assert fits_reply("a" * 160, "en") and not fits_reply("a" * 161, "en")
    assert not fits_reply("[" * 81, "en")
    assert not fits_reply("ক", "en")  # English replies must be GSM-7
    assert fits_reply("ক" * 134, "bn") and not fits_reply("ক" * 135, "bn")


def test_fit_leaves_a_short_reply_alone() -> None:
    pieces = [Piece("OK #1 "), Piece("School session", drop=3), Piece(". Wrong? UNDO 1")]
    assert fit(pieces, "en") == "OK #1 School session. Wrong? UNDO 1"


def test_fit_takes_alternatives_before_cutting() -> None:
    pieces = [Piece("OK #9 "), Piece("x" * 150, drop=2, alt="short"), Piece(" UNDO 9")]
    assert fit(pieces, "en") == "OK #9 short UNDO 9"


def test_fit_removes_the_most_expendable_atomic_piece_first() -> None:
    pieces = [
        Piece("Not saved: "),
        Piece("total missing", drop=2),
        Piece(". Send: " + "A" * 150, drop=3, atomic=True),
    ]
    assert fit(pieces, "en") == "Not saved: total missing"


def test_fit_cuts_words_and_marks_the_cut_but_never_kept_pieces() -> None:
    long_words = " ".join(["place"] * 60)
    pieces = [Piece("OK #9999999 "), Piece(long_words, drop=2), Piece(". Wrong? UNDO 9999999")]
    text = fit(pieces, "en")
    assert text.startswith("OK #9999999 place") and text.endswith("... Wrong? UNDO 9999999")
    assert segments(text)[2] == 1


def test_fit_gives_up_only_on_must_keep_text() -> None:
    assert fit([Piece("a" * 200)], "en") == "a" * 200


def test_every_english_template_is_gsm7() -> None:
    def strings(node: object) -> list[str]:
        if isinstance(node, dict):
            return [s for v in node.values() for s in strings(v)]
        if isinstance(node, list):
            return [s for v in node for s in strings(v)]
        return [node] if isinstance(node, str) else []

    texts = strings(load_words()["en"])
    assert len(texts) > 50  # the English words were found
    for text in texts:
        assert fits_reply(text, "en"), text
        assert set(text) <= set(string.printable), text
