"""Any path a phone (or an attacker) can send gives a screen or a submission, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.commands import Lang, Role
from schemas.parse import load_context
from schemas.ussd import MAX_SCREEN, Screen, ShowRecent, Submission, menu

CTX = load_context("Asia/Dhaka", 45)
BASE = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
ANSWER = st.one_of(
    st.sampled_from(
        [
            "0",
            "00",
            "1",
            "2",
            "3",
            "4",
            "5",
            "9",
            "#",
            "12",
            "100009",
            "080326",
            "Nalta",
            "১",
            "২৩",
            "",
            " ",
            "*",
        ]
    ),
    st.text(max_size=12),
    st.integers(min_value=-5, max_value=10**12).map(str),
)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(
    answers=st.lists(ANSWER, max_size=14),
    role=st.sampled_from(list(Role)),
    lang=st.sampled_from(list(Lang)),
    home=st.sampled_from(["Nalta", "Gabura", None, "Atlantis"]),
    minutes=st.integers(min_value=0, max_value=60 * 24 * 400),
)
def test_any_path_gives_a_screen_or_a_submission(
    answers: list[str], role: Role, lang: Lang, home: str | None, minutes: int
) -> None:
    result = menu("*".join(answers), role, lang, home, BASE + timedelta(minutes=minutes), CTX)
    assert isinstance(result, Screen | Submission | ShowRecent)
    if isinstance(result, Screen):
        assert result.kind in ("CON", "END")
        assert len(result.body) <= MAX_SCREEN
        assert all(32 <= ord(ch) < 127 or ch == "\n" for ch in result.body), result.body


def test_bengali_digits_pick_options() -> None:
    result = menu("১*১", Role.ACTIVIST, Lang.BN, "Nalta", BASE, CTX)
    assert isinstance(result, Screen) and result.text.startswith("Mot koto jon?")


def test_an_absurdly_long_path_ends_the_session() -> None:
    result = menu("*".join(["9"] * 500), Role.ACTIVIST, Lang.EN, "Nalta", BASE, CTX)
    assert isinstance(result, Screen) and result.kind == "END"
