"""`ashshash broadcast` and `ashshash reminders`: what they print, exit codes, one-line errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

import service.cli.outreach  # noqa: F401 - adds the commands to the group
from schemas.tables import Broadcast, OutboundMessage, Reporter
from tests.service.test_cli_pipeline import one_line_error, run
from workers.db import session_scope
from workers.settings import Settings


@pytest.fixture
def local(settings: Settings) -> Settings:
    s = settings.with_(redis_url=None)
    with session_scope(s) as session:
        session.add_all(
            Reporter(
                phone=f"+8801910{i:06d}",
                name="A",
                role="activist",
                union="Kulia",
                upazila="Debhata",
                language="en",
                active=True,
                created_at=datetime.now(UTC) - timedelta(days=40),
            )
            for i in range(3)
        )
    return s


def test_broadcast_dry_run_prints_recipients_and_cost_and_stores_nothing(local) -> None:  # type: ignore[no-untyped-def]
    result = run(local, "broadcast", "--to", "all", "--dry-run", "Meeting", "on", "Sunday")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[:3] == ["+8801910000000", "+8801910000001", "+8801910000002"]
    assert lines[3] == "would get 3 recipients: 1 segment(s) each, 3 segments in all"
    with session_scope(local) as session:
        assert session.scalar(select(func.count()).select_from(OutboundMessage)) == 0


def test_broadcast_stores_one_broadcast_and_its_messages(local) -> None:  # type: ignore[no-untyped-def]
    result = run(local, "broadcast", "--to", "activists", "Meeting on Sunday")
    assert result.exit_code == 0, result.output
    assert "queued for 3 recipients" in result.output
    with session_scope(local) as session:
        assert session.scalar(select(func.count()).select_from(Broadcast)) == 1
        kinds = session.scalars(select(OutboundMessage.kind)).all()
        assert kinds == ["broadcast"] * 3


def test_broadcast_to_nobody_is_a_one_line_error(local) -> None:  # type: ignore[no-untyped-def]
    line = one_line_error(run(local, "broadcast", "--to", "Nowhere", "hi"))
    assert "no one in group 'Nowhere'" in line


def test_reminders_dry_run_says_what_and_why(local) -> None:  # type: ignore[no-untyped-def]
    result = run(local, "reminders", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "project time" in result.output.splitlines()[0]
    assert "silent_reporter" in result.output and "no accepted record since" in result.output
    with session_scope(local) as session:
        assert session.scalar(select(func.count()).select_from(OutboundMessage)) == 0


def test_a_broken_outreach_toml_is_a_one_line_error(local) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    folder = Path(local.instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "outreach.toml").write_text("[rules.silent_reporter]\nafter_days = 'soon'\n")
    line = one_line_error(run(local, "reminders", "--dry-run"))
    assert "after_days must be a whole number" in line
