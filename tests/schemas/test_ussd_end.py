"""USSD END screens: record number or reason, safe words, plain Latin, within 160 characters."""

from __future__ import annotations

import re
from datetime import date

import pytest

from schemas.commands import Command, ErrorCode, Lang, ParseError, Role
from schemas.outcomes import Accepted, Duplicate, LangSet, NotRegistered, Rejected
from schemas.ussd import MAX_SCREEN
from schemas.ussd.end import RecentRecord, not_registered, outcome_screen, recent_screen

FORBIDDEN = re.compile(r"traffick|survivor|victim|ashshash", re.IGNORECASE)
ENR = Command(keyword="ENR", activity_date=date(2026, 3, 10), sex="F", age=17)


def _fits(text: str) -> None:
    assert len(f"END {text}") <= MAX_SCREEN
    assert all(32 <= ord(ch) < 127 or ch == "\n" for ch in text), text
    assert not FORBIDDEN.search(text)


@pytest.mark.parametrize(
    ("outcome", "lang", "fragments"),
    [
        (Accepted(Command(keyword="MEET"), 4821), Lang.EN, ["Saved #4821.", "UNDO 4821"]),
        (Accepted(Command(keyword="MEET"), 4821), Lang.BN, ["Joma hoyeche #4821.", "UNDO 4821"]),
        (Accepted(ENR, 7, code="482713"), Lang.EN, ["Saved #7.", "New code 482713."]),
        (Accepted(Command(keyword="REF"), 9, referral=12), Lang.EN, ["Saved #9.", "Referral R12."]),
        (
            Rejected(
                (ParseError(ErrorCode.UNKNOWN_SURVIVOR, "code", {"code": "100009"}),),
                Role.COUNSELLOR,
                "IC",
            ),
            Lang.EN,
            ["Not saved: No one with code 100009."],
        ),
        (
            Rejected(
                (ParseError(ErrorCode.UNKNOWN_REFERRAL, "referral", {"referral": 99}),),
                Role.COUNSELLOR,
                "REFOUT",
            ),
            Lang.BN,
            ["Joma hoyni: Refer R99 nei."],
        ),
        (
            Rejected(
                (ParseError(ErrorCode.CERT_BEFORE_IC, "code", {"code": "100009"}),),
                Role.COUNSELLOR,
                "CERT",
            ),
            Lang.EN,
            ["Certificate needs a counselling first."],
        ),
        (Duplicate(4821, "accepted"), Lang.EN, ["Already saved #4821."]),
        (Duplicate(None, "rejected"), Lang.EN, ["Already received."]),
        (LangSet("bn"), Lang.EN, ["Bhasha: Bangla."]),
        (LangSet("en"), Lang.BN, ["Language: English."]),
        (NotRegistered(), Lang.EN, ["not registered"]),
    ],
)
def test_outcome_screens(outcome, lang: Lang, fragments: list[str]) -> None:  # type: ignore[no-untyped-def]
    screen = outcome_screen(outcome, lang)
    assert screen.kind == "END"
    for fragment in fragments:
        assert fragment in screen.text
    _fits(screen.text)


def test_enrol_end_screen_never_shows_sex_or_age() -> None:
    text = outcome_screen(Accepted(ENR, 7, code="482713"), Lang.EN).text
    assert "17" not in text and " F" not in text


def test_recent_lists_number_type_and_date_only() -> None:
    rows = [
        RecentRecord(4821, "SCH", date(2026, 3, 8)),
        RecentRecord(4820, "IC", date(2026, 3, 7)),
        RecentRecord(4819, "ENR", date(2026, 3, 6), cancelled=True),
    ]
    screen = recent_screen(rows, Lang.EN)
    assert screen.text.splitlines() == [
        "#4821 School 08/03/26",
        "#4820 Individual counselling 07/03/26",
        "#4819 New person (enrol) 06/03/26 (cancelled)",
    ]
    _fits(screen.text)
    assert recent_screen([], Lang.BN).text == "Ekhono kono tothyo nei."


def test_not_registered_is_one_line_in_both_languages() -> None:
    screen = not_registered()
    assert screen.kind == "END" and "\n" not in screen.text and "nibondhito" in screen.text
    _fits(screen.text)
