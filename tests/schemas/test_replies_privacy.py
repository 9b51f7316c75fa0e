"""Replies are safe for whoever picks up the phone: no forbidden words, nothing about a person."""

from __future__ import annotations

import re
import string
from datetime import date

import pytest

from schemas.commands import SURVIVOR_KEYWORDS, Command, ErrorCode, ParseError, Role
from schemas.outcomes import Accepted, Rejected, WhoAmI
from schemas.places import load_gazetteer
from schemas.replies import render
from schemas.replies.words import FORBIDDEN, load_words
from tests.schemas.test_replies_limits import OUTCOMES

WORDS = ("trafficking", "survivor", "victim", "ashshash", "পাচার", "ভুক্তভোগী", "সারভাইভার", "আশ্বাস")
GABURA = load_gazetteer().union("Gabura")
PERSON_WORDS = (
    "Gabura",
    GABURA.name_bn,
    "Shyamnagar",
    GABURA.upazila,
    "female",
    "male",
    "woman",
    "girl",
    "boy",
    "নারী",
    "পুরুষ",
    "মেয়ে",
    "ছেলে",
    "বয়স ",
)


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def _has_forbidden(text: str) -> bool:
    return any(word in text.casefold() for word in WORDS)


def test_the_guard_list_holds_every_forbidden_word() -> None:
    assert set(WORDS) <= set(FORBIDDEN)


def test_no_template_contains_a_forbidden_word() -> None:
    texts = _strings(load_words())
    assert len(texts) > 100  # both languages' words were found
    for text in texts:
        assert not _has_forbidden(text), text


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_no_rendered_reply_contains_a_forbidden_word(lang: str) -> None:
    assert len(OUTCOMES) > 50
    for name, outcome in OUTCOMES:
        assert not _has_forbidden(render(outcome, lang)), name


@pytest.mark.parametrize("word", WORDS + ("Trafficking", "SURVIVORS", "Ashshash-Help"))
@pytest.mark.parametrize("lang", ["en", "bn"])
def test_forbidden_words_typed_by_the_sender_are_not_repeated(word: str, lang: str) -> None:
    detail: dict[str, str | int] = {
        "token": word,
        "text": word,
        "tag": word,
        "suggestions": word,
        "suggestions_bn": word,
    }
    for code in ErrorCode:
        for keyword in (None, "MEET", "ENR"):
            reply = render(
                Rejected((ParseError(code, word, detail),), Role.ACTIVIST, keyword), lang
            )
            assert not _has_forbidden(reply), reply
    reply = render(WhoAmI(f"{word} Begum", Role.ACTIVIST, word), lang)
    assert not _has_forbidden(reply), reply


def _person(keyword: str) -> Command:
    """A survivor command carrying every personal detail a parser could fill in."""
    return Command(
        keyword,
        date(2026, 3, 10),
        True,
        total=12,
        place=GABURA,
        place_given=True,
        code="100009",
        sex="F",
        age=57,
        members=4,
        service="HEALTH",
        referral=12,
        outcome="DONE",
        kinds=("HEALTH",),
        partner="PRAN",
    )


@pytest.mark.parametrize("keyword", [k for k in SURVIVOR_KEYWORDS if k != "CC"])
@pytest.mark.parametrize("lang", ["en", "bn"])
def test_survivor_replies_never_show_sex_age_or_place(keyword: str, lang: str) -> None:
    reply = render(Accepted(_person(keyword), 4821, code="100009", referral=12), lang)
    for word in PERSON_WORDS:
        assert word.casefold() not in reply.casefold(), reply
    assert "57" not in reply and "৫৭" not in reply, reply
    assert not re.search(r"(?<![A-Za-z])[MFO](?![A-Za-z<])", reply.replace("UNDO", "")), reply


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_enrolment_errors_never_repeat_sex_age_or_place(lang: str) -> None:
    typed = {
        "token": "Female",
        "value": 121,
        "min": 0,
        "max": 120,
        "text": "Gabura",
        "suggestions": "Gabura, Ghona, Kulia",
        "suggestions_bn": "গাবুরা, ঘোনা, কুলিয়া",
    }
    assert len(ErrorCode) > 10
    for code in ErrorCode:
        for field in ("sex", "age", "place", None):
            reply = render(
                Rejected((ParseError(code, field, typed),), Role.COUNSELLOR, "ENR"), lang
            )
            for word in ("Female", "FEMALE", "121", "১২১", "Gabura", "গাবুরা", "Ghona"):
                assert word not in reply, reply


@pytest.mark.parametrize("keyword", ["NA", "IC", "FC", "CERT", "REF", "EMG", "SUP"])
def test_survivor_command_errors_do_not_repeat_words_that_may_be_a_place(keyword: str) -> None:
    for code in (
        ErrorCode.EXTRA_FIELD,
        ErrorCode.UNKNOWN_SERVICE,
        ErrorCode.UNKNOWN_KIND,
        ErrorCode.UNKNOWN_PARTNER,
        ErrorCode.MALFORMED_FIELD,
        ErrorCode.UNKNOWN_PLACE,
    ):
        error = ParseError(
            code, None, {"token": "gabura", "text": "gabura", "suggestions": "Gabura"}
        )
        for lang in ("en", "bn"):
            reply = render(Rejected((error,), Role.COUNSELLOR, keyword), lang)
            assert "gabura" not in reply.casefold(), reply


def test_event_errors_do_repeat_what_was_typed() -> None:
    """The privacy rule is narrow: activists still see the word that was wrong."""
    error = ParseError(
        ErrorCode.UNKNOWN_PLACE,
        "place",
        {"text": "atlantis", "suggestions": "Atulia, Dhandia, Ratanpur"},
    )
    assert "Atlantis" in render(Rejected((error,), Role.ACTIVIST, "MEET"), "en")


def test_english_replies_never_carry_a_non_gsm_character() -> None:
    error = ParseError(ErrorCode.UNKNOWN_KEYWORD, None, {"token": "সভাা"})
    reply = render(Rejected((error,), Role.ACTIVIST), "en")
    assert reply.isascii() and "সভাা" not in reply
    assert set(reply) <= set(string.printable)
