"""The USSD tree walked hop by hop from table cases, and exhaustively for screen limits."""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from schemas.commands import Lang, Role
from schemas.parse import Sender, load_context, parse
from schemas.parse.canonical import to_text
from schemas.ussd import MAX_SCREEN, Screen, ShowRecent, Submission, menu

CASES = json.loads((Path(__file__).parents[1] / "data" / "ussd_cases.json").read_text("utf-8"))
RECEIVED = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
FORBIDDEN = re.compile(r"traffick|survivor|victim|ashshash", re.IGNORECASE)


@pytest.fixture(scope="module")
def ctx():  # type: ignore[no-untyped-def]
    return load_context("Asia/Dhaka", 45)


def _hop(case: dict, ctx) -> Screen | Submission | ShowRecent:  # type: ignore[no-untyped-def]
    return menu(
        case["path"],
        Role(case["role"]),
        Lang(case.get("lang", "en")),
        case.get("home", "Nalta"),
        RECEIVED,
        ctx,
    )


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_ussd_hop(case: dict, ctx) -> None:  # type: ignore[no-untyped-def]
    result = _hop(case, ctx)
    expect = case["expect"]
    if expect in ("CON", "END"):
        assert isinstance(result, Screen), result
        assert result.kind == expect, result.body
        for fragment in case.get("has", []):
            assert fragment in result.text, f"{fragment!r} not in {result.text!r}"
        for fragment in case.get("lacks", []):
            assert fragment not in result.text, f"{fragment!r} in {result.text!r}"
    elif expect == "RECENT":
        assert isinstance(result, ShowRecent)
    else:
        assert isinstance(result, Submission), result
        command = result.command
        for field, want in case["command"].items():
            if field == "place_name":
                assert command.place is not None and command.place.name == want
            elif field == "activity_date":
                assert command.activity_date == date.fromisoformat(want)
            elif field == "tags":
                assert [list(t) for t in command.tags] == want
            else:
                assert getattr(command, field) == want, (field, getattr(command, field))


def test_every_case_has_a_distinct_path_per_role_and_language() -> None:
    keys = [
        (c["role"], c.get("lang", "en"), c.get("home", "Nalta"), c["path"]) for c in CASES["cases"]
    ]
    assert len(keys) == len(set(keys))


# Answers tried on screens that take typed input: valid, invalid, skip, back and home.
TYPED = ("12", "5", "#", "100009", "100008", "080326", "310226", "Shyamnagr", "abc", "0", "00")


def _choices(text: str) -> list[str]:
    numbers = [n for n in re.findall(r"^(\d+) ", text, flags=re.MULTILINE) if n != "0"]
    return [*numbers, "0", "9", "00"] if numbers else list(TYPED)


@pytest.mark.slow
@pytest.mark.parametrize("lang", list(Lang))
@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.ACTIVIST, "Nalta"),
        (Role.COUNSELLOR, "Gabura"),
        (Role.COORDINATOR, None),
    ],
)
def test_every_reachable_screen_fits_and_is_plain_latin(
    ctx,
    lang: Lang,
    role: Role,  # type: ignore[no-untyped-def]
    home: str | None,
) -> None:
    # A screen is expanded once per branch of the tree (its first two answers), so every
    # event type, session kind and referral branch is walked to its end.
    seen: set[tuple[str, tuple[str, ...]]] = set()
    kinds: set[str] = set()
    queue: deque[tuple[str, int, str]] = deque([("", 0, "")])
    ends = submissions = 0
    while queue:
        path, depth, parent = queue.popleft()
        result = menu(path, role, lang, home, RECEIVED, ctx)
        if isinstance(result, Submission):
            submissions += 1
            kinds.add(result.command.keyword)
            continue
        if isinstance(result, ShowRecent):
            continue
        body = result.body
        assert len(body) <= MAX_SCREEN, (path, len(body), body)
        assert all(32 <= ord(ch) < 127 or ch == "\n" for ch in body), (path, body)
        assert not FORBIDDEN.search(body), (path, body)
        if result.kind == "END":
            ends += 1
            continue
        key = (body, tuple(path.split("*")[:2]))
        asked_again = parent and result.text != parent and result.text.endswith(parent)
        if asked_again or key in seen or depth >= 12:
            continue
        seen.add(key)
        for answer in _choices(result.text):
            queue.append((f"{path}*{answer}" if path else answer, depth + 1, result.text))
    assert ends > 0 and submissions > 0
    allowed = {"MEET", "UPD", "LED", "SCH", "COM", "AWR", "YTH", "TRN", "DAY", "LANG"}
    if role != Role.ACTIVIST:
        allowed |= {"IC", "FC", "CERT", "NA", "ENR", "REF", "REFOUT"}
    assert kinds == allowed


SUBMITS = [c for c in CASES["cases"] if c["expect"] == "SUBMIT"]


@pytest.mark.parametrize("case", SUBMITS, ids=[c["name"] for c in SUBMITS])
def test_saved_command_reads_back_the_same_as_sms(case: dict, ctx) -> None:  # type: ignore[no-untyped-def]
    """What Save stores is the SMS text of the command: parsing it gives the command back."""
    result = _hop(case, ctx)
    assert isinstance(result, Submission)
    union = case.get("home", "Nalta")
    home = ctx.gazetteer.union(union) if union else None
    parsed = parse(to_text(result.command), Sender(Role(case["role"]), home), RECEIVED, ctx)
    assert parsed.ok, parsed.errors
    expected = result.command
    if expected.place is not None:  # the near-match note is not part of the SMS text
        expected = replace(expected, place=replace(expected.place, typed=None))
    assert parsed.command == expected
