"""Normalisation and tokens: rules 1 and 2, the limits, and the duplicate key."""

from __future__ import annotations

from schemas.text import MAX_LENGTH, has_control_chars, normalise, safe_display, text_key, tokens


def test_bengali_and_other_decimal_digits_become_ascii() -> None:
    assert normalise("০১২৩৪৫৬৭৮৯") == "0123456789"
    assert normalise("٣٤") == "34"  # Arabic-Indic
    assert normalise("１２") == "12"  # fullwidth, by NFKC


def test_separators_and_non_separators() -> None:
    assert tokens(" ,MEET;12#m5*f7+O0\n") == ["meet", "12", "m5", "f7", "o0"]
    assert tokens("8/3/26 8-3-26 8.3.26 s-100-009") == ["8/3/26", "8-3-26", "8.3.26", "s-100-009"]
    assert tokens(",,;; ##") == []


def test_precomposed_and_decomposed_bangla_are_the_same_token() -> None:
    assert normalise("সহা\u09dfতা") == normalise("সহা\u09af\u09bcতা")
    assert normalise("বা\u09dc") == normalise("বা\u09a1\u09bc")


def test_control_characters_but_not_whitespace() -> None:
    assert has_control_chars("MEET\x0012")
    assert has_control_chars("MEET 12\x1b")
    assert not has_control_chars("MEET\t12\r\n")
    assert not has_control_chars("সভা ১৭")


def test_text_key_equal_for_messages_that_read_the_same() -> None:
    assert text_key("MEET 12 m5 f7") == text_key("  meet,12;M5 F7 ")
    assert text_key("সভা ১২") == text_key("সভা 12")
    assert text_key("MEET 12") != text_key("MEET 13")
    assert len(text_key("")) == 64


def test_safe_display_truncates_and_hides_controls() -> None:
    shown = safe_display("A\x00" + "b" * 500)
    assert "\x00" not in shown and len(shown) == 160
    assert MAX_LENGTH == 480
