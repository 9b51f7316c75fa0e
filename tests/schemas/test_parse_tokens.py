"""The tokenizer's fast paths read exactly as its general path (schemas/text.py)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from schemas.text import _MAYBE_SYMBOL, folded, split_tokens, typed_tokens

ASCII_SMS = st.text(
    alphabet=st.sampled_from('MEETsch12 ,;#*+()[]!?"^`.-_=:/\t\n0m5F7'), max_size=40
)
BANGLA_SMS = st.text(alphabet=st.sampled_from("সভা১২ পু৫ম৭। ,.-৺😀\u200d"), max_size=30)


def test_outside_the_fast_ranges_only_isshar_is_a_symbol() -> None:
    """_symbols skips the per-character look when _MAYBE_SYMBOL finds nothing: that is right
    only if no character it lets through is a symbol other than ASCII ^ and `."""
    symbols = [
        chr(c)
        for c in range(0xA00)
        if unicodedata.category(chr(c)) in ("So", "Sk") and not _MAYBE_SYMBOL.match(chr(c))
    ]
    assert symbols == ["^", "`"]
    assert _MAYBE_SYMBOL.match("\u09fa") and _MAYBE_SYMBOL.match("\u200d")


@given(ASCII_SMS)
def test_ascii_split_reads_as_the_general_path(text: str) -> None:
    typed = typed_tokens(text)
    assert split_tokens(text) == (typed, folded(typed))


@given(BANGLA_SMS)
def test_bangla_split_reads_as_the_general_path(text: str) -> None:
    typed = typed_tokens(text)
    assert split_tokens(text) == (typed, folded(typed))


def test_fast_paths_keep_the_known_cases() -> None:
    assert split_tokens("MEET 1,350 M5. -- F7") == (
        ["MEET", "1350", "M5", "F7"],
        ["meet", "1350", "m5", "f7"],
    )
    assert split_tokens("সভা ১২ পু৫ ম৭।")[1] == ["সভা", "12", "পু5", "ম7"]
    assert split_tokens("MEET^12`M5")[1] == ["meet", "12", "m5"]
