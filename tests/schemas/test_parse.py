"""The SMS language, table-driven: every rule, parse-level error and example of the spec."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from schemas.commands import Command, ParseResult, Role
from schemas.parse import Sender, load_context, parse

CASES = tomllib.loads(
    (Path(__file__).parents[1] / "data" / "parse_cases.toml").read_text(encoding="utf-8")
)["case"]
RECEIVED = "2026-03-10T08:00:00Z"


def _run(case: dict[str, Any]) -> ParseResult:
    ctx = load_context()
    home_name = case.get("home", "Nalta")
    home = ctx.gazetteer.union(home_name) if home_name else None
    received = datetime.fromisoformat(case.get("received", RECEIVED))
    text = case["text"] + "x" * case.get("pad", 0)
    sender = Sender(Role(case.get("role", "activist")), home, case.get("name"))
    return parse(text, sender, received, ctx)


def _actual(command: Command, key: str) -> object:
    place = command.place
    derived = {
        "tags": " ".join(f"{t}{n}" for t, n in command.tags),
        "date": command.activity_date.isoformat() if command.activity_date else None,
        "place": place.name if place else None,
        "upazila": place.upazila if place else None,
        "union": (place.union or "") if place else None,
        "place_typed": place.typed if place else None,
        "kinds": " ".join(command.kinds),
        "lang": command.lang.value if command.lang else None,
    }
    return derived[key] if key in derived else getattr(command, key)


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{i:03d}:{c.get('rule') or c['text'][:40]}" for i, c in enumerate(CASES)]
)
def test_parse_case(case: dict[str, Any]) -> None:
    result = _run(case)
    if "expect" in case:
        assert result.ok, result.errors
        assert result.command is not None
        for key, want in case["expect"].items():
            assert _actual(result.command, key) == want, key
        return
    assert not result.ok and result.command is None
    first = result.errors[0]
    want = case["error"]
    assert first.code.value == want["code"]
    if "field" in want:
        assert first.field == want["field"]
    for key, value in want.get("detail", {}).items():
        assert first.detail.get(key) == value, key
    if case.get("only_error"):
        assert len(result.errors) == 1
    if "suggestions" in case:
        assert len(str(first.detail["suggestions"]).split(", ")) == case["suggestions"]


def test_every_row_has_an_outcome() -> None:
    assert all(("expect" in c) != ("error" in c) for c in CASES)
    assert len(CASES) >= 90


def test_naive_received_time_is_read_as_utc_not_raised() -> None:
    ctx = load_context()
    result = parse(
        "MEET 12",
        Sender(Role.ACTIVIST, ctx.gazetteer.union("Nalta")),
        datetime(2026, 3, 10, 20, 0),
        ctx,
    )
    assert result.ok and result.command is not None
    assert result.command.activity_date == date(2026, 3, 11)


def test_configured_maximum_replaces_the_default_but_not_days_own() -> None:
    base = load_context()
    ctx = type(base)(base.catalog, base.gazetteer, base.timezone, 45, max_total=100)
    sender = Sender(Role.ACTIVIST, base.gazetteer.union("Nalta"))
    received = datetime.fromisoformat(RECEIVED)
    assert parse("MEET 101", sender, received, ctx).errors[0].detail["max"] == 100
    assert parse("DAY IWD 20000", sender, received, ctx).ok


def test_backdate_window_is_configurable() -> None:
    ctx = load_context(max_backdate_days=300)
    sender = Sender(Role.ACTIVIST, ctx.gazetteer.union("Nalta"))
    result = parse("DAY TIP 40", sender, datetime.fromisoformat(RECEIVED), ctx)
    assert result.ok and result.command is not None
    assert result.command.activity_date == date(2025, 7, 30)
