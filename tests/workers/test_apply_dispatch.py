"""The dispatch table: every catalog command reaches exactly one handler, chosen by its shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

import schemas.parse.catalog as catalog_module
import workers.apply.dispatch as dispatch
from schemas.commands import EVENT_KEYWORDS, Command, ErrorCode, Role
from schemas.outcomes import Rejected
from schemas.parse.catalog import CATALOG_PATH, SHAPES, load_catalog, read_catalog
from tests.workers.test_apply import error_of, make_message, make_reporter, record_count
from workers.apply import Later, apply_command, can_wait
from workers.apply.dispatch import ROUTES, Applying, Route, route_for, unrouted
from workers.settings import Settings


def test_every_catalog_command_has_exactly_one_handler() -> None:
    catalog = load_catalog()
    assert len(catalog.commands) >= 20  # the whole catalog was read, not an empty one
    for keyword, spec in catalog.commands.items():
        rows = [shape for shape in ROUTES if shape == spec.shape]
        assert len(rows) == 1, f"{keyword} (shape {spec.shape}) has {len(rows)} handlers"
        assert route_for(keyword) is ROUTES[spec.shape]
    assert unrouted(catalog) == []


def test_the_table_has_a_row_for_each_shape_the_catalog_allows_and_no_other() -> None:
    assert set(ROUTES) == SHAPES


def test_a_catalog_command_added_without_a_handler_fails_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A new shape admitted by the catalog's reader but given no row in the dispatch table.
    monkeypatch.setattr(catalog_module, "SHAPES", SHAPES | {"petition"})
    added = '\n[commands.PET]\ngroup = "common"\nshape = "petition"\nform = "PET"\n'
    path = tmp_path / "commands.toml"
    path.write_text(CATALOG_PATH.read_text(encoding="utf-8") + added, encoding="utf-8")
    catalog = read_catalog(path)
    assert "PET" in catalog.commands
    assert unrouted(catalog) == ["PET"]
    assert route_for("PET", catalog) is None


def test_apply_command_takes_the_handler_from_the_table_by_shape(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    reached: list[tuple[str, str]] = []

    def recorder(shape: str) -> Route:
        def handler(a: Applying) -> Rejected:
            reached.append((a.command.keyword, shape))
            return Rejected(errors=(), role=Role.COORDINATOR)

        return Route(handler)

    monkeypatch.setattr(dispatch, "ROUTES", {shape: recorder(shape) for shape in SHAPES})
    coordinator = make_reporter(session, "coordinator")
    catalog = load_catalog()
    for keyword in catalog.commands:
        message = make_message(session, coordinator, keyword)
        command = Command(keyword=keyword)
        apply_command(session, settings, message=message, reporter=coordinator, command=command)
    assert reached == [(kw, spec.shape) for kw, spec in catalog.commands.items()]


def test_the_commands_that_may_wait_for_a_batch_flush_are_events_cc_who_and_help() -> None:
    waiting = {kw for kw in load_catalog().commands if can_wait(Command(keyword=kw))}
    assert waiting == {*EVENT_KEYWORDS, "CC", "WHO", "HELP"}
    assert not can_wait(Command(keyword="NOPE"))


def test_a_command_that_reads_the_database_cannot_wait(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    message = make_message(session, counsellor, "ENR F 24")
    with pytest.raises(ValueError, match="cannot wait"):
        apply_command(
            session,
            settings,
            message=message,
            reporter=counsellor,
            command=Command(keyword="ENR", sex="F", age=24),
            later=Later(),
        )


SURVIVOR_KEYWORDS = [kw for kw, s in load_catalog().commands.items() if s.group == "survivor"]


@pytest.mark.parametrize("keyword", SURVIVOR_KEYWORDS)
def test_an_activist_is_refused_every_survivor_command_even_past_the_parser(
    session: Session, settings: Settings, keyword: str
) -> None:
    activist = make_reporter(session)
    message = make_message(session, activist, keyword)
    outcome = apply_command(
        session, settings, message=message, reporter=activist, command=Command(keyword=keyword)
    )
    assert error_of(outcome) == ErrorCode.ROLE_NOT_ALLOWED
    assert isinstance(outcome, Rejected)
    assert outcome.errors[0].detail == {"keyword": keyword, "roles": "counsellor, coordinator"}
    assert record_count(session) == 0


def test_the_survivor_commands_are_the_counsellors_ten() -> None:
    assert sorted(SURVIVOR_KEYWORDS) == sorted(
        ("ENR", "NA", "IC", "FC", "CC", "CERT", "REF", "REFOUT", "EMG", "SUP")
    )


def test_a_keyword_the_catalog_does_not_know_is_rejected(
    session: Session, settings: Settings
) -> None:
    coordinator = make_reporter(session, "coordinator")
    message = make_message(session, coordinator, "XYZ 1")
    outcome = apply_command(
        session, settings, message=message, reporter=coordinator, command=Command(keyword="XYZ")
    )
    assert error_of(outcome) == ErrorCode.UNKNOWN_KEYWORD
    assert isinstance(outcome, Rejected) and outcome.errors[0].detail == {"token": "XYZ"}
