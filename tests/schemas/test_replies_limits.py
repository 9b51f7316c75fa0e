"""Every reply fits its budget with worst-case values: English one GSM-7 SMS, Bangla 134 units."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from schemas.commands import (
    COMMON_KEYWORDS,
    Command,
    ErrorCode,
    Lang,
    ParseError,
    Place,
    Role,
)
from schemas.outcomes import (
    Accepted,
    Duplicate,
    HelpList,
    LangSet,
    NotRegistered,
    Outcome,
    Rejected,
    Undone,
    WhoAmI,
)
from schemas.parse.catalog import load_catalog
from schemas.places import load_gazetteer
from schemas.replies import render
from schemas.replies.sms_length import BN_LIMIT, EN_LIMIT, is_gsm7, segments, utf16_units
from schemas.replies.words import load_words

RECORD = 9_999_999
CODE = "999996"
REFERRAL = 99_999
BIG = 20_000
WHEN = date(2021, 12, 28)
CATALOG = load_catalog()
KEYWORDS = list(CATALOG.commands)


def _places() -> list[Place]:
    gazetteer = load_gazetteer()
    return gazetteer.unions() + gazetteer.upazilas()


LONGEST_EN = max(_places(), key=lambda p: len(p.name))
LONGEST_BN = max(_places(), key=lambda p: utf16_units(p.name_bn))
SUGGEST_EN = ", ".join(p.name for p in sorted(_places(), key=lambda p: -len(p.name))[:3])
SUGGEST_BN = ", ".join(p.name_bn for p in sorted(_places(), key=lambda p: -len(p.name_bn))[:3])


def test_worst_case_places_are_the_long_ones() -> None:
    assert len(LONGEST_EN.name) >= len("Dakshin Sreepur")
    assert utf16_units(LONGEST_BN.name_bn) >= utf16_units("বুড়িগোয়ালিনী")


def _worst_command(keyword: str, place: Place) -> Command:
    """The longest thing each keyword can say: every tag, the biggest numbers, a long place."""
    spec = CATALOG.command(keyword)
    tags = tuple((t, BIG) for group in spec.tag_groups for t in group.tags)
    return Command(
        keyword=keyword,
        activity_date=WHEN,
        date_given=True,
        total=BIG,
        tags=tags,
        place=place,
        place_given=True,
        day_code=max(CATALOG.day_codes, key=len),
        code=CODE,
        sex="O",
        age=120,
        members=30,
        service="LIVELIHOOD",
        referral=REFERRAL,
        outcome="NO",
        kinds=tuple(CATALOG.values("emergency_kinds")),
        partner=CATALOG.values("partners")[0],
        record=RECORD,
        lang=Lang.BN,
        topic=keyword,
        typed_keyword=keyword.lower() + "x",
    )


def _worst_detail() -> dict[str, str | int]:
    token = "X" * 60 + "১২৩"  # longer than any echo, with a non-GSM tail
    return {
        "token": token,
        "keyword": "REFOUT",
        "roles": "counsellor, coordinator",
        "value": BIG * 100,
        "min": BIG,
        "max": BIG * 100,
        "sum": BIG * 3,
        "total": BIG * 100,
        "parts": f"M{BIG}+F{BIG}+O{BIG}",
        "tag": "S20000",
        "date": WHEN.isoformat(),
        "days": 99999,
        "text": "Dakshin Sreepur Dakshin Sreepur Dakshin Sreepur",
        "suggestions": SUGGEST_EN,
        "suggestions_bn": SUGGEST_BN,
        "length": 480,
        "code": CODE,
        "referral": REFERRAL,
        "record": RECORD,
    }


def _longest_field(lang: str) -> str:
    labels = load_words()[lang]["fields"]
    return max(labels, key=lambda name: utf16_units(labels[name]))


LONG_FIELDS = [None, "M", "unheard_of_field_name", _longest_field("en"), _longest_field("bn")]


def _outcomes() -> Iterator[tuple[str, Outcome]]:
    for lang_place in (LONGEST_EN, LONGEST_BN):
        for keyword in KEYWORDS:
            if keyword in COMMON_KEYWORDS:
                continue
            command = _worst_command(keyword, lang_place)
            yield f"accepted-{keyword}", Accepted(command, RECORD, code=CODE, referral=REFERRAL)
    for code in ErrorCode:
        for keyword in [None, *KEYWORDS]:
            # The coordinator has the longest keyword list; the other roles' lists are shorter.
            for field in LONG_FIELDS:
                error = ParseError(code, field, _worst_detail())
                yield f"rejected-{code}-{keyword}", Rejected((error,), Role.COORDINATOR, keyword)
        many = tuple(ParseError(c, "total", _worst_detail()) for c in ErrorCode)
        yield f"rejected-many-{code}", Rejected(many, Role.COORDINATOR, "DAY")
    yield "duplicate", Duplicate(RECORD, "accepted")
    for status in ("rejected", "accepted", "ignored"):
        yield f"duplicate-{status}", Duplicate(None, status)
    for keyword in KEYWORDS:
        yield f"undone-{keyword}", Undone(RECORD, keyword)
        for role in Role:
            yield f"help-{keyword}", HelpList(role, keyword)
    for role in Role:
        yield "help-list", HelpList(role)
        long_name = "Mohammad Abdur Rahman Chowdhury Sheikh Fazlul Karim " * 3
        yield "who", WhoAmI(long_name, role, LONGEST_EN.name)
        yield "who-bn-name", WhoAmI("রহিমা খাতুন " * 8, role, "Nowhere")
        yield "who-no-union", WhoAmI(long_name, role, None)
    for lang in ("en", "bn"):
        yield f"lang-{lang}", LangSet(lang)
    yield "not-registered", NotRegistered()


OUTCOMES = list(_outcomes())


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_every_reply_fits_its_budget(lang: str) -> None:
    assert len(OUTCOMES) > 50
    for name, outcome in OUTCOMES:
        text = render(outcome, lang)
        if isinstance(outcome, LangSet):
            lang_used = outcome.lang
        else:
            lang_used = lang
        encoding, units, parts = segments(text)
        assert text, name
        if lang_used == "en":
            assert is_gsm7(text), (name, text)
            assert encoding == "gsm7" and units <= EN_LIMIT and parts == 1, (name, text)
        else:
            assert utf16_units(text) <= BN_LIMIT, (name, text)
            assert parts <= 2, (name, text)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_shortening_never_cuts_record_numbers_codes_or_undo(lang: str) -> None:
    rendered = 0
    for keyword in KEYWORDS:
        if keyword in COMMON_KEYWORDS:
            continue
        rendered += 1
        for place in (LONGEST_EN, LONGEST_BN):
            command = _worst_command(keyword, place)
            text = render(Accepted(command, RECORD, code=CODE, referral=REFERRAL), lang)
            assert f"#{RECORD}" in text, text
            assert text.endswith(f"UNDO {RECORD}"), text
            if CATALOG.command(keyword).shape not in ("event", "outcome"):
                assert CODE in text, text
            if keyword in ("REF", "REFOUT"):
                assert f"R{REFERRAL}" in text, text
    assert rendered > 10  # every keyword of its own shape was rendered


def test_english_worst_case_event_is_not_shortened() -> None:
    """Even the longest English event reply says everything: no '..' cut."""
    events = 0
    for keyword in KEYWORDS:
        spec = CATALOG.command(keyword)
        if spec.shape != "event" or len(spec.tag_groups) > 1:
            continue
        text = render(Accepted(_worst_command(keyword, LONGEST_EN), RECORD), "en")
        assert ".." not in text and LONGEST_EN.name in text and "28/12/2021" in text, text
        events += 1
    assert events >= 5  # the event keywords (SCH, MEET, UPD, ...) were all rendered


def test_realistic_bangla_event_keeps_tags_date_and_place() -> None:
    """A usual Bangla reply (4-digit record, gender counts) is not shortened at all."""
    place = load_gazetteer().union("Burigoalini")
    command = Command("LED", WHEN, True, 5000, (("M", 2500), ("F", 2500)), place, True)
    text = render(Accepted(command, 48213), "bn")
    assert ".." not in text
    assert "পু২৫০০ ম২৫০০" in text and "২৮/১২" in text and place.name_bn in text


def test_rejected_keeps_the_code_the_sender_must_check() -> None:
    for lang in ("en", "bn"):
        error = ParseError(ErrorCode.BAD_CHECK_DIGIT, "code", {"token": "100008"})
        text = render(Rejected((error,) * 5, Role.COUNSELLOR, "IC"), lang)
        assert "100008" in text
