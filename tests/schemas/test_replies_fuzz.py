"""Whatever the parser or the database hands over, render never raises and stays in budget."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.commands import Command, ErrorCode, Lang, ParseError, Role
from schemas.outcomes import Accepted, Duplicate, HelpList, Rejected, Undone, WhoAmI
from schemas.parse.catalog import load_catalog
from schemas.places import load_gazetteer
from schemas.replies import render
from schemas.replies.sms_length import fits_reply
from schemas.replies.words import FORBIDDEN

KEYWORDS = list(load_catalog().commands)
PLACES = load_gazetteer().unions() + load_gazetteer().upazilas()
words = st.text(max_size=60)
numbers = st.integers(min_value=-(10**12), max_value=10**12)
values = st.one_of(words, numbers)
details = st.dictionaries(
    st.sampled_from(
        [
            "token",
            "text",
            "suggestions",
            "suggestions_bn",
            "parts",
            "value",
            "min",
            "max",
            "sum",
            "total",
            "days",
            "date",
            "tag",
            "code",
            "referral",
            "record",
            "roles",
            "keyword",
            "length",
        ]
    ),
    values,
    max_size=8,
)
errors = st.builds(
    ParseError,
    st.sampled_from(list(ErrorCode)),
    st.one_of(st.none(), words, st.sampled_from(["total", "M", "date"])),
    details,
)
commands = st.builds(
    Command,
    keyword=st.sampled_from(KEYWORDS),
    activity_date=st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2099, 12, 31))),
    total=st.one_of(st.none(), st.integers(0, 10**9)),
    tags=st.lists(st.tuples(st.sampled_from("MFOSTPYC"), st.integers(0, 10**9)), max_size=8).map(
        tuple
    ),
    place=st.one_of(st.none(), st.sampled_from(PLACES)),
    day_code=st.one_of(st.none(), words),
    code=st.one_of(st.none(), st.from_regex(r"\A[1-9][0-9]{5}\Z")),
    members=st.one_of(st.none(), st.integers(0, 10**6)),
    service=st.one_of(st.none(), words),
    referral=st.one_of(st.none(), st.integers(0, 10**9)),
    outcome=st.one_of(st.none(), words),
    kinds=st.lists(words, max_size=5).map(tuple),
    partner=st.one_of(st.none(), words),
    typed_keyword=st.one_of(st.none(), words),
)
outcomes = st.one_of(
    st.builds(
        Accepted,
        commands,
        st.integers(1, 10**7),
        st.one_of(st.none(), st.from_regex(r"\A[1-9][0-9]{5}\Z")),
        st.one_of(st.none(), st.integers(1, 10**5)),
    ),
    st.builds(
        Rejected,
        st.lists(errors, max_size=5).map(tuple),
        st.sampled_from(list(Role)),
        st.one_of(st.none(), st.sampled_from(KEYWORDS)),
    ),
    st.builds(Duplicate, st.one_of(st.none(), st.integers(1, 10**7)), words),
    st.builds(Undone, st.integers(1, 10**7), st.sampled_from(KEYWORDS)),
    st.builds(WhoAmI, words, st.sampled_from(list(Role)), st.one_of(st.none(), words)),
    st.builds(
        HelpList, st.sampled_from(list(Role)), st.one_of(st.none(), st.sampled_from(KEYWORDS))
    ),
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(outcome=outcomes, lang=st.sampled_from([Lang.EN, Lang.BN, "en", "bn", "xx", ""]))
def test_render_never_raises_and_fits(outcome: object, lang: str) -> None:
    text = render(outcome, lang)  # type: ignore[arg-type]
    used = "bn" if str(lang) == "bn" else "en"
    assert text and fits_reply(text, used), text
    assert not any(word in text.casefold() for word in FORBIDDEN), text
