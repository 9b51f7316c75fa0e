"""The printed command card cannot drift: every example on it goes through the real parser."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas.commands import EVENT_KEYWORDS, ParseResult, Role
from schemas.outcomes import Accepted, Rejected
from schemas.parse import Sender, load_context, parse
from schemas.parse.catalog import load_catalog
from schemas.replies import render

CARD = Path(__file__).resolve().parents[2] / "docs" / "command-card.md"
# The card's examples are written for a message received on 10 March 2026 (so `8/3`,
# `DAY IWD` and `gotokal` are all inside the 45-day window) by someone registered in Nalta.
RECEIVED = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
HOME = "Nalta"
# What the database would add to a reply shown on the card: record, new code, referral, and
# for a referral outcome the referral's code and service.
RECORD, NEW_CODE, REFERRAL, SERVICE = 4821, "482711", 12, "HEALTH"
FORBIDDEN = ("trafficking", "survivor", "victim", "ashshash", "পাচার", "ভুক্তভোগী", "সারভাইভার", "আশ্বাস")
_MARKER = re.compile(r"<!--\s*card:\s*(\w+)\s*-->")
_FENCE = re.compile(r"^```([\w-]*)\s*$")


@dataclass(frozen=True)
class Block:
    role: Role
    kind: str  # sms | sms-wrong | reply | reply-bn
    lines: tuple[str, ...]
    source: str | None  # reply blocks: the last example of the sms block before them


def _blocks() -> list[Block]:
    blocks: list[Block] = []
    role: Role | None = None
    kind: str | None = None
    lines: list[str] = []
    last_example: str | None = None
    for line in CARD.read_text(encoding="utf-8").splitlines():
        marker = _MARKER.search(line)
        if marker and kind is None:
            role, last_example = Role(marker.group(1)), None
            continue
        fence = _FENCE.match(line)
        if fence and kind is None:
            kind, lines = fence.group(1), []
        elif fence:
            assert role is not None, "an example block before any <!-- card: role --> marker"
            body = tuple(x.strip() for x in lines if x.strip())
            source = last_example if kind.startswith("reply") else None
            blocks.append(Block(role, kind, body, source))
            if kind.startswith("sms") and body:
                last_example = body[-1]
            kind = None
        elif kind is not None:
            lines.append(line)
    assert kind is None, "a fenced block on the card is never closed"
    return blocks


BLOCKS = _blocks()


def _parse(text: str, role: Role) -> ParseResult:
    ctx = load_context()
    return parse(text, Sender(role, ctx.gazetteer.union(HOME)), RECEIVED, ctx)


def _examples(kind: str) -> list[tuple[Role, str]]:
    return [(b.role, line) for b in BLOCKS if b.kind == kind for line in b.lines]


def test_the_card_has_a_page_per_role_with_examples() -> None:
    assert {b.role for b in BLOCKS} == set(Role)
    for role in Role:
        assert len([1 for r, _ in _examples("sms") if r is role]) >= 5, role
        assert any(r is role for r, _ in _examples("sms-wrong")), role
    assert {b.kind for b in BLOCKS} <= {"sms", "sms-wrong", "reply", "reply-bn"}


@pytest.mark.parametrize(("role", "text"), _examples("sms"), ids=lambda v: str(v))
def test_every_example_is_accepted_for_its_role(role: Role, text: str) -> None:
    result = _parse(text, role)
    assert result.ok, (text, result.errors)


@pytest.mark.parametrize(("role", "text"), _examples("sms-wrong"), ids=lambda v: str(v))
def test_every_wrong_example_is_rejected(role: Role, text: str) -> None:
    result = _parse(text, role)
    assert not result.ok and result.errors, text


@pytest.mark.parametrize("role", list(Role))
def test_each_page_shows_every_keyword_its_role_may_send(role: Role) -> None:
    shown = {_parse(text, role).keyword for r, text in _examples("sms") if r is role}
    wanted = set(load_catalog().allowed_keywords(role))
    if role is Role.COUNSELLOR:  # activity reports are on the activist card; one is shown
        wanted -= set(EVENT_KEYWORDS)
    assert wanted <= shown, sorted(wanted - shown)


@pytest.mark.parametrize(
    "block",
    [b for b in BLOCKS if b.kind.startswith("reply")],
    ids=lambda b: f"{b.role}-{b.kind}-{b.source}",
)
def test_replies_on_the_card_are_what_the_service_sends(block: Block) -> None:
    assert block.source is not None, "a reply block needs an sms block before it"
    result = _parse(block.source, block.role)
    if result.ok:
        assert result.command is not None
        outcome: Accepted | Rejected = Accepted(
            result.command, RECORD, code=NEW_CODE, referral=REFERRAL, service=SERVICE
        )
    else:
        outcome = Rejected(result.errors, block.role, result.keyword)
    lang = "bn" if block.kind == "reply-bn" else "en"
    assert block.lines == (render(outcome, lang),)


def test_the_card_never_uses_the_forbidden_words() -> None:
    text = CARD.read_text(encoding="utf-8").casefold()
    for word in FORBIDDEN:
        assert word not in text, word


def test_the_card_shows_the_forgiving_forms_in_english_and_bangla() -> None:
    """Issue 10: a card reader learns that `M 300`, a thank-you, a full stop, `8 March` and
    `Gabura union` are fine; each such example is on the card and is accepted."""
    lines = [text for _, text in _examples("sms")]
    for wanted in (
        "M 5",
        "thanks",
        "ধন্যবাদ",
        "8 March",
        "৮ মার্চ",
        "Gabura union",
        "গাবুরা ইউনিয়ন",
        "F-12.",
        "IC 482 711",
        "REF 12 DONE",
    ):
        assert any(wanted in line for line in lines), wanted
