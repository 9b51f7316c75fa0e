"""Bangla confirmations fit one SMS (70 UTF-16 units) with the longest realistic values, and
the new replies (issue 10) are safe: short codes for services and kinds, no place offered."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.commands import Command, ErrorCode, ParseError, Role
from schemas.outcomes import Accepted, Rejected
from schemas.parse.catalog import load_catalog
from schemas.places import load_gazetteer
from schemas.replies import render
from schemas.replies.sms_length import UCS2_SINGLE, fits_reply, utf16_units

CATALOG = load_catalog()
GAZETTEER = load_gazetteer()
RECORD = 9999  # four-digit record numbers: the realistic worst case
CODE = "999996"
WHEN = date(2026, 3, 8)
PLACES = GAZETTEER.unions() + GAZETTEER.upazilas()
LONGEST_BN = max(PLACES, key=lambda p: utf16_units(p.name_bn))
# An upazila that shares its name with a union: shown as `তালা (উপজেলা)`.
MARKED = GAZETTEER.upazila("Shyamnagar")
EVENTS = [k for k, s in CATALOG.commands.items() if s.shape == "event"]
# Both an audience group and the gender group with the longest place: 78-80 units, two SMS.
TWO_GROUPS = {"SCH", "YTH"}


def _event(keyword: str, place: object, groups: int) -> Command:
    spec = CATALOG.command(keyword)
    total = 1350 if keyword == "DAY" else 999
    tags: list[tuple[str, int]] = []
    for group in spec.tag_groups[:groups]:
        share = total // len(group.tags[:2])
        tags += [(t, share) for t in group.tags[:2]]
    day = "TIP" if keyword == "DAY" else None  # the longest day label
    return Command(
        keyword,
        WHEN,
        True,
        total,
        tuple(tags),
        place,
        True,  # type: ignore[arg-type]
        day_code=day,
    )


def _survivor() -> list[Accepted]:
    base = {"activity_date": WHEN, "date_given": True}
    return [
        Accepted(Command("ENR", sex="F", age=17, **base), RECORD, code=CODE),  # type: ignore[arg-type]
        *[Accepted(Command(k, code=CODE, **base), RECORD) for k in ("NA", "IC", "CERT")],  # type: ignore[arg-type]
        Accepted(Command("FC", code=CODE, members=30, **base), RECORD),  # type: ignore[arg-type]
        Accepted(
            Command("REF", code=CODE, service="LIVELIHOOD", **base),
            RECORD,  # type: ignore[arg-type]
            referral=9999,
        ),
        Accepted(
            Command("REFOUT", referral=9999, outcome="NO", **base),
            RECORD,  # type: ignore[arg-type]
            code=CODE,
            service="LIVELIHOOD",
            changed=True,
        ),
        Accepted(
            Command(
                "EMG",
                code=CODE,
                kinds=("HEALTH", "TRAUMA", "COUNSEL", "SHELTER"),  # type: ignore[arg-type]
                **base,
            ),
            RECORD,
        ),
        Accepted(Command("SUP", code=CODE, partner="PRAN", **base), RECORD),  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize("keyword", EVENTS)
@pytest.mark.parametrize("place", [LONGEST_BN, MARKED], ids=["longest", "upazila-marked"])
def test_every_event_confirmation_fits_one_bangla_sms(keyword: str, place: object) -> None:
    text = render(Accepted(_event(keyword, place, groups=1), RECORD), "bn")
    assert utf16_units(text) <= UCS2_SINGLE, (utf16_units(text), text)
    assert ".." not in text and f"UNDO {RECORD}" in text and "৮/৩" in text


@pytest.mark.parametrize("keyword", sorted(TWO_GROUPS))
def test_two_tag_groups_with_the_longest_place_take_two_sms_without_losing_anything(
    keyword: str,
) -> None:
    """The one case that cannot fit 70 units (docs/forgiving-reading.md says so): nothing is cut."""
    text = render(Accepted(_event(keyword, LONGEST_BN, groups=2), RECORD), "bn")
    assert UCS2_SINGLE < utf16_units(text) and fits_reply(text, "bn")
    assert ".." not in text and LONGEST_BN.name_bn in text


@pytest.mark.parametrize("outcome", _survivor(), ids=lambda o: o.command.keyword)
def test_every_survivor_confirmation_fits_one_bangla_sms(outcome: Accepted) -> None:
    text = render(outcome, "bn")
    assert utf16_units(text) <= UCS2_SINGLE, (utf16_units(text), text)
    english = render(outcome, "en")
    assert fits_reply(english, "en") and ".." not in english


@pytest.mark.parametrize("outcome", _survivor(), ids=lambda o: o.command.keyword)
def test_services_and_kinds_only_by_short_codes(outcome: Accepted) -> None:
    for lang in ("en", "bn"):
        text = render(outcome, lang).casefold()
        for word in (
            "legal",
            "trauma",
            "shelter",
            "health",
            "livelihood",
            "counselling",
            "আইনি",
            "ট্রমা",
            "আশ্রয়",
            "স্বাস্থ্য",
            "জীবিকা",
        ):
            if outcome.command.keyword not in ("IC", "FC"):  # their labels name counselling
                assert word not in text, (word, text)


def test_referral_outcome_names_referral_code_and_short_service() -> None:
    outcome = _survivor()[6]
    assert "R9999 999996 LV: changed to not received" in render(outcome, "en")


def test_topic_is_said_saved_but_never_repeated() -> None:
    """A training with a topic fits one SMS with a usual place; with the longest names it
    takes two (docs/forgiving-reading.md), still cutting nothing."""
    for place, budget in ((GAZETTEER.union("Nalta"), UCS2_SINGLE), (LONGEST_BN, 134)):
        command = Command(
            "TRN",
            WHEN,
            True,
            25,
            (("M", 10), ("F", 15)),
            place,
            True,
            training_topic="facilitation",
        )
        bangla = render(Accepted(command, RECORD), "bn")
        assert utf16_units(bangla) <= budget and ".." not in bangla, bangla
    for lang in ("en", "bn"):
        text = render(Accepted(command, RECORD), lang)
        assert "facilitation" not in text and ("topic saved" in text or "বিষয় জমা" in text)


NEW_ERRORS = [
    ParseError(
        ErrorCode.NOT_UNDERSTOOD, "place", {"token": "xyz7", "typed": "Xyz7", "position": 3}
    ),
    ParseError(ErrorCode.NOT_UNDERSTOOD, None, {"token": "x" * 30, "position": 12}),
    ParseError(ErrorCode.SECOND_KEYWORD, None, {"token": "com", "typed": "COM"}),
    ParseError(ErrorCode.AMBIGUOUS_DATE, None, {"token": "march", "typed": "March"}),
    ParseError(ErrorCode.VAGUE_DATE, "date", {"token": "kal", "typed": "kal"}),
    ParseError(ErrorCode.AMBIGUOUS_TOKEN, None, {"token": "7m0f7", "typed": "7M0F7"}),
    ParseError(ErrorCode.TOPIC_TOO_LONG, None, {"length": 480, "max": 120}),
    ParseError(
        ErrorCode.DATE_TOO_OLD,
        "date",
        {"date": "2025-08-03", "days": 219, "max": 45, "swapped": "8/3"},
    ),
    ParseError(ErrorCode.FUTURE_DATE, "date", {"date": "2026-12-03", "swapped": "3/12"}),
]


@pytest.mark.parametrize("error", NEW_ERRORS, ids=lambda e: e.code.value)
@pytest.mark.parametrize("role", list(Role))
def test_new_rejections_fit_and_offer_no_place(error: ParseError, role: Role) -> None:
    for keyword in ("MEET", "DAY", "ENR", "EMG", None):
        for lang in ("en", "bn"):
            text = render(Rejected((error, error), role, keyword), lang)
            assert fits_reply(text, lang), text
            assert "Try:" not in text and "দেখুন:" not in text  # never place names
            assert "x" * 13 not in text  # a long word is named by its position


def test_reason_names_the_typed_word_or_its_position() -> None:
    named = render(Rejected((NEW_ERRORS[0],), Role.ACTIVIST, "MEET"), "en")
    assert named.startswith("Not saved: 'Xyz7' not understood.")
    long = render(Rejected((NEW_ERRORS[1],), Role.ACTIVIST, "MEET"), "en")
    assert long.startswith("Not saved: word 12 not understood.")
    hint = render(Rejected((NEW_ERRORS[7],), Role.ACTIVIST, "MEET"), "en")
    assert "Day first? Send 8/3" in hint
    assert "৮/৩" in render(Rejected((NEW_ERRORS[7],), Role.ACTIVIST, "MEET"), "bn")
    assert "one report per SMS" in render(Rejected((NEW_ERRORS[2],), Role.ACTIVIST, "MEET"), "en")
