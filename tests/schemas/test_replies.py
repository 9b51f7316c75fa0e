"""Replies: the wording of every outcome, in English and Bangla, against the spec's examples."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from schemas.commands import Command, ErrorCode, Lang, ParseError, Role
from schemas.outcomes import (
    Accepted,
    Duplicate,
    HelpList,
    LangSet,
    NotRegistered,
    Rejected,
    Undone,
    WhoAmI,
)
from schemas.parse import Sender, load_context, parse
from schemas.parse.catalog import load_catalog
from schemas.places import load_gazetteer
from schemas.replies import render
from schemas.replies.sms_length import utf16_units
from schemas.replies.words import load_words
from schemas.text import normalise

RECEIVED = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def _reply(text: str, role: Role = Role.ACTIVIST, lang: str = "en", record: int = 4821) -> str:
    """Parse like the worker does and word the result (no database: parse errors only)."""
    ctx = load_context()
    result = parse(text, Sender(role, ctx.gazetteer.union("Nalta")), RECEIVED, ctx)
    if result.ok:
        assert result.command is not None
        return render(Accepted(result.command, record), lang)
    return render(Rejected(result.errors, role, result.keyword), lang)


def _sch() -> Command:
    kaliganj = load_gazetteer().upazila("Kaliganj")
    return Command("SCH", date(2021, 3, 8), True, 845, (("M", 300), ("F", 545)), kaliganj, True)


def test_accepted_matches_the_spec_example() -> None:
    assert render(Accepted(_sch(), 4821), "en") == (
        "OK #4821 School session 845 (M300 F545) 08/03/2021 Kaliganj. Wrong? UNDO 4821"
    )


def test_accepted_in_bangla_uses_bangla_words_and_keeps_undo_latin() -> None:
    text = render(Accepted(_sch(), 4821), Lang.BN)
    assert text == "জমা #4821 স্কুল ৮৪৫ পু৩০০ ম৫৪৫ ৮/৩ কালিগঞ্জ ভুল? UNDO 4821"
    assert utf16_units(text) <= 70  # one SMS


def test_rejected_sum_matches_the_spec_example() -> None:
    error = ParseError(
        ErrorCode.SUM_MISMATCH, "gender", {"parts": "M300+F500", "sum": 800, "total": 845}
    )
    assert render(Rejected((error,), Role.ACTIVIST, "SCH"), "en") == (
        "Not saved: M300+F500=800 but total is 845. Send: SCH <total> [M<n> F<n>] [date] [place]"
    )


def test_sum_mismatch_names_the_group_that_is_off() -> None:
    text = _reply("SCH 100 S80 T10 P10 M40 F50")
    assert "M40+F50=90 but total is 100" in text
    assert "S80" not in text


@pytest.mark.parametrize("text", ["HELLO 12", "", ",,;;"])
def test_unknown_or_empty_lists_the_roles_keywords(text: str) -> None:
    reply = _reply(text)
    assert reply.startswith("Not saved:")
    assert "You may send: MEET UPD LED SCH COM AWR YTH TRN DAY HELP UNDO LANG WHO" in reply
    assert "ENR" not in reply  # an activist's list has no survivor commands


def test_counsellor_keyword_list_includes_survivor_commands() -> None:
    reply = _reply("HELLO", Role.COUNSELLOR)
    for keyword in ("ENR", "NA", "IC", "FC", "CC", "CERT", "REF", "EMG", "SUP"):
        assert f" {keyword} " in reply
    assert "REFOUT" not in reply


def test_role_not_allowed_says_who_may_send_it() -> None:
    assert _reply("IC 123459") == "Not saved: only counsellor or coordinator may send IC."
    assert "কাউন্সেলর বা সমন্বয়কারী" in _reply("IC 123459", lang="bn")


def test_one_edit_keyword_and_near_place_are_shown() -> None:
    assert "Read as MEET: Coordination meeting 12" in _reply("MEETT 12")
    assert "Shyamnagar" in _reply("MEET 12 Shyamnagr")
    assert "শ্যামনগর" in _reply("MEET 12 Shyamnagr", lang="bn")


def test_unknown_place_offers_up_to_three_names() -> None:
    reply = _reply("MEET 12 Atlantis")
    assert "place Atlantis not known. Try: " in reply
    suggestions = reply.split("Try: ")[1].split(". Send:")[0].split(", ")
    assert 1 <= len(suggestions) <= 3
    gazetteer = load_gazetteer()
    assert all(gazetteer.union(name) for name in suggestions)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("MEET 12 11/3/26", "date 11/03/2026 is after today"),
        ("MEET 12 23/1/26", "date 23/01/2026 is 46 days back, max 45"),
        ("MEET 12 31/2", "no such date 31/2"),
        ("DAY TIP 40", "date 30/07/2025"),
    ],
)
def test_date_errors_name_the_date(text: str, words: str) -> None:
    assert words in _reply(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("MEET 0", "total 0 must be 1-5000"),
        ("MEET 5001", "total 5001 must be 1-5000"),
        ("DAY IWD 20001", "total 20001 must be 1-20000"),
        ("DAY 300", "day code missing (IWD, TIP, IMD)"),
        ("DAY XYZ 300", "day code XYZ not known"),
        ("MEET 12 S5", "S5 not used with MEET"),
        ("MEET 12 13", "extra word '13'"),
        ("LANG FR", "language FR not known"),
    ],
)
def test_field_errors_name_the_field_and_the_form(text: str, words: str) -> None:
    reply = _reply(text)
    assert words in reply
    keyword = text.split()[0]
    assert f"Send: {load_words()['en']['usage'][keyword]}" in reply


def test_counsellor_field_errors() -> None:
    assert "sex must be M, F or O" in _reply("ENR X 25", Role.COUNSELLOR)
    assert "age must be 0-120" in _reply("ENR F 121", Role.COUNSELLOR)
    assert "members 31 must be 1-30" in _reply("FC 100009 31", Role.COUNSELLOR)
    assert "Send: FC <code> <members> [date]" in _reply("FC 100009 0", Role.COUNSELLOR)


def test_bad_check_digit_and_unknown_code_get_different_replies() -> None:
    bad = _reply("IC 100008", Role.COUNSELLOR)
    unknown = render(
        Rejected(
            (ParseError(ErrorCode.UNKNOWN_SURVIVOR, "code", {"code": "100009"}),),
            Role.COUNSELLOR,
            "IC",
        ),
        "en",
    )
    assert bad == "Not saved: Code 100008 not valid, please check."
    assert unknown == "Not saved: No one with code 100009."
    bad_bn = _reply("IC 100008", Role.COUNSELLOR, "bn")
    unknown_bn = render(
        Rejected(
            (ParseError(ErrorCode.UNKNOWN_SURVIVOR, "code", {"code": "100009"}),),
            Role.COUNSELLOR,
            "IC",
        ),
        "bn",
    )
    assert "সঠিক নয়, আবার দেখুন" in bad_bn and "100008" in bad_bn
    assert "এই কোডে কেউ নেই" in unknown_bn and "100009" in unknown_bn
    assert bad_bn != unknown_bn


def test_enrolment_reply_carries_the_new_code_and_how_to_undo() -> None:
    command = Command(
        "ENR",
        date(2026, 3, 10),
        sex="F",
        age=17,
        place=load_gazetteer().union("Gabura"),
        place_given=True,
    )
    assert render(Accepted(command, 4822, code="482713"), "en") == (
        "OK #4822 New code 482713. Wrong? UNDO 4822"
    )
    assert "নতুন কোড 482713" in render(Accepted(command, 4822, code="482713"), "bn")


def test_referral_reply_shows_r_number_and_outcome() -> None:
    ref = Command("REF", date(2026, 3, 8), True, code="100009", service="HEALTH")
    assert "Referral R12 100009 H 08/03/2026" in render(Accepted(ref, 5, referral=12), "en")
    done = Command("REFOUT", date(2026, 3, 10), referral=12, outcome="DONE")
    assert "R12 100009 H: received" in render(
        Accepted(done, 6, code="100009", service="HEALTH"), "en"
    )
    assert "R12 100009 LV: changed to not received" in render(
        Accepted(
            Command("REFOUT", referral=12, outcome="NO"),
            7,
            code="100009",
            service="LIVELIHOOD",
            changed=True,
        ),
        "en",
    )
    assert "সেবা পায়নি" in render(Accepted(Command("REFOUT", referral=12, outcome="NO"), 7), "bn")


def test_day_reply_names_the_day() -> None:
    text = _reply("DAY IWD 1350 M600 F750")
    assert text.startswith("OK #4821 Women's Day 1350 (M600 F750) 08/03/2026 Nalta.")
    assert "নারী দিবস" in _reply("DAY IWD 1350 M600 F750", lang="bn")


def test_duplicate_points_at_the_first_record_or_says_it_was_not_saved() -> None:
    assert render(Duplicate(4821, "accepted"), "en").startswith("Already saved as #4821")
    assert "আগেই জমা হয়েছে #4821" in render(Duplicate(4821, "accepted"), "bn")
    assert "not saved" in render(Duplicate(None, "rejected"), "en")
    assert "জমা হয়নি" in render(Duplicate(None, "rejected"), "bn")


def test_undone_lang_who_help_and_not_registered() -> None:
    assert render(Undone(4821, "SCH"), "en") == "Cancelled #4821 School session."
    assert render(Undone(4821, "SCH"), "bn") == "বাতিল হয়েছে #4821 স্কুল।"
    assert render(LangSet("bn"), "en") == "এখন থেকে উত্তর বাংলায় আসবে।"
    assert render(LangSet("en"), "bn") == "Replies will now be in English."
    who = WhoAmI("Rahima Khatun", Role.ACTIVIST, "Nalta")
    assert render(who, "en") == "You are Rahima Khatun, activist, Nalta."
    assert render(who, "bn") == "আপনি Rahima Khatun, অ্যাক্টিভিস্ট, নলতা।"
    assert render(WhoAmI("Ali", Role.COORDINATOR, None), "en") == "You are Ali, coordinator."
    assert render(NotRegistered(), "en") == "This number is not registered. Ask your coordinator."
    assert render(NotRegistered(), "bn").startswith("এই নম্বরটি নিবন্ধিত নয়")


def test_help_lists_keywords_or_gives_one_form() -> None:
    listed = render(HelpList(Role.ACTIVIST), "en")
    assert listed.startswith(
        "You may send: " + " ".join(load_catalog().allowed_keywords(Role.ACTIVIST))
    )
    assert render(HelpList(Role.ACTIVIST, "SCH"), "en").startswith(
        "School session: SCH <total> [S<n> T<n> P<n>]"
    )
    assert render(HelpList(Role.ACTIVIST, "MEET"), "bn") == (
        "সভা: সভা <মোট> [পু<n> ম<n>] [তারিখ] [স্থান]"
    )
    listed_bn = render(HelpList(Role.COUNSELLOR), "bn")
    assert listed_bn.startswith("পাঠান: সভা ইউপি পুলিশ স্কুল") and "MEET" not in listed_bn
    assert utf16_units(listed_bn) <= 134


def test_unregistered_sender_errors_read_as_not_registered() -> None:
    error = ParseError(ErrorCode.UNKNOWN_SENDER)
    assert render(Rejected((error,), Role.ACTIVIST), "en") == render(NotRegistered(), "en")


def test_unknown_language_falls_back_to_english() -> None:
    assert render(NotRegistered(), "xx") == render(NotRegistered(), "en")
    assert render(NotRegistered(), "BN") == render(NotRegistered(), "bn")


def test_undo_errors_point_at_the_record() -> None:
    for code in (
        ErrorCode.UNKNOWN_RECORD,
        ErrorCode.UNDO_NOT_OWN,
        ErrorCode.UNDO_TOO_LATE,
        ErrorCode.ALREADY_CANCELLED,
    ):
        for lang in ("en", "bn"):
            error = ParseError(code, "record", {"record": 4821, "days": 8})
            assert "#4821" in render(Rejected((error,), Role.ACTIVIST, "UNDO"), lang)
    late = ParseError(ErrorCode.UNDO_TOO_LATE, "record", {"record": 4821, "days": 8})
    assert "Ask your coordinator" in render(Rejected((late,), Role.ACTIVIST, "UNDO"), "en")


def test_cert_before_ic_and_unknown_referral() -> None:
    cert = ParseError(ErrorCode.CERT_BEFORE_IC, "code", {"code": "100009"})
    assert "needs an IC session first" in render(Rejected((cert,), Role.COUNSELLOR, "CERT"), "en")
    ref = ParseError(ErrorCode.UNKNOWN_REFERRAL, "referral", {"referral": 99999})
    assert "No referral R99999" in render(Rejected((ref,), Role.COUNSELLOR, "REFOUT"), "en")


# --- the wording data is complete -----------------------------------------------------------

ALWAYS_KNOWN = {"codes", "services", "kinds", "partners", "langs"}


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_every_keyword_has_a_label_and_a_usage(lang: str) -> None:
    words = load_words()[lang]
    keywords = list(load_catalog().commands)
    assert len(keywords) > 20  # the catalog was read
    for keyword in keywords:
        assert words["labels"].get(keyword), keyword
        assert words["usage"].get(keyword), keyword
        first = words["usage"][keyword].split()[0]
        wanted = "REF" if keyword == "REFOUT" else keyword
        # English forms start with the keyword; Bangla ones with a Bangla alias of it.
        assert load_catalog().keyword_for(normalise(first)) == wanted, (keyword, first)


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_every_error_code_has_a_template_that_always_fills(lang: str) -> None:
    import string

    assert len(ErrorCode) > 10
    for code in ErrorCode:
        templates = load_words()[lang]["errors"].get(code.value)
        assert templates, code
        last = {name for _, name, _, _ in string.Formatter().parse(templates[-1]) if name}
        assert last <= ALWAYS_KNOWN, (code, templates[-1])


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_every_catalog_value_has_words(lang: str) -> None:
    words, catalog = load_words()[lang], load_catalog()
    assert set(catalog.day_codes) <= set(words["days"])
    # Services and kinds are named by their short codes only (safe on a shared phone).
    for section in ("services", "emergency_kinds"):
        for value in catalog.values(section):
            short = catalog.short(section, value)
            assert short != value and len(short) <= 2 and catalog.value(section, short.lower())
    assert set(catalog.values("referral_outcomes")) <= set(words["outcomes"])
    assert {r.value for r in Role} <= set(words["roles"])
    tags = {t for spec in catalog.commands.values() for g in spec.tag_groups for t in g.tags}
    assert tags <= set(words["tags"])


def test_both_languages_have_the_same_keys() -> None:
    en, bn = load_words()["en"], load_words()["bn"]
    assert set(en) == set(bn)
    for key, value in en.items():
        if isinstance(value, dict):
            assert set(value) == set(bn[key]), key


def test_every_error_code_reads_differently() -> None:
    """Each error says its own thing (no two codes share one English sentence)."""
    detail: dict[str, str | int] = {
        "token": "Q1",
        "record": 7,
        "code": "100009",
        "referral": 3,
        "date": "2026-03-01",
        "days": 50,
        "max": 45,
    }
    seen: dict[str, ErrorCode] = {}
    for code in ErrorCode:
        if code in (ErrorCode.UNKNOWN_SENDER, ErrorCode.INACTIVE_SENDER):
            continue
        text = render(Rejected((ParseError(code, "total", detail),), Role.ACTIVIST, "MEET"), "en")
        assert text not in seen, (code, seen.get(text))
        seen[text] = code
    assert len(seen) == len(ErrorCode) - 2  # every code but the two sender ones was rendered
