"""Targets from targets.toml: % achieved, no columns without targets, clear errors for bad files."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from schemas.periods import Period
from service.cli import _register, cli
from service.reports.build import ReportError, build_report, make_scope
from service.reports.doc_tables import indicators_table
from service.reports.labels import labels
from service.reports.targets import achieved, load_targets, targets_for
from tests.service.report_records import record, reporter
from workers.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "targets.example.toml"
Y2021 = Period(date(2021, 1, 1), date(2021, 12, 31))
START, END = date(2019, 11, 1), date(2022, 8, 31)


def _write(settings: Settings, text: str) -> None:
    Path(settings.instance_path).mkdir(parents=True, exist_ok=True)
    (Path(settings.instance_path) / "targets.toml").write_text(text, encoding="utf-8")


def test_the_shipped_example_loads_and_matches_periods_exactly(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "targets.toml")
    found = load_targets(tmp_path, START, END)
    assert len(found) == 7
    assert targets_for(found, Y2021)["survivors.enrolled"] == 300
    assert targets_for(found, Period(START, END)) == {"survivors.enrolled": 900}
    assert targets_for(found, Period(date(2021, 1, 1), date(2021, 3, 31))) == {}


def test_percent_achieved_is_number_over_target(session: Session, settings: Settings) -> None:
    who = reporter(session)
    for _ in range(3):
        record(session, who, "SCH", date(2021, 4, 2), total=100)
    _write(
        settings,
        '[[target]]\nindicator = "events.SCH.count"\nperiod = "2021"\ntarget = 4\n'
        '[[target]]\nindicator = "events.SCH.participants"\nperiod = "2021-01-01..'
        '2021-12-31"\ntarget = 240\n',
    )
    report = build_report(
        session, settings, make_scope(Y2021, None, None), public=False, breakdowns=True
    )
    table = indicators_table(report, labels("en"))
    assert table.columns == ["Indicator", "Number", "Target", "% achieved"]
    rows = dict(zip(table.keys, table.rows, strict=True))
    assert rows["events.SCH.count"][1:] == [3, 4, 75.0]
    assert rows["events.SCH.participants"][1:] == [300, 240, 125.0]
    assert rows["survivors.enrolled"][1:] == [0, None, None]  # no target: blank, not 0 %
    assert achieved("<11", 20) is None  # a hidden count gives no share away


def test_no_targets_means_no_target_columns(session: Session, settings: Settings) -> None:
    report = build_report(
        session, settings, make_scope(Y2021, None, None), public=False, breakdowns=True
    )
    assert report.targets == {}
    assert indicators_table(report, labels("en")).columns == ["Indicator", "Number"]
    assert indicators_table(report, labels("bn")).columns == ["সূচক", "সংখ্যা"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[target]\n", "cannot be read"),
        (
            '[[target]]\nindicator = "survivors.enroled"\nperiod = "2021"\ntarget = 3\n',
            "target 1: unknown indicator 'survivors.enroled'",
        ),
        (
            '[[target]]\nindicator = "survivors.enrolled"\nperiod = "2021"\ntarget = -3\n',
            "target 1: target must be a whole number above 0",
        ),
        (
            '[[target]]\nindicator = "survivors.enrolled"\nperiod = "2021-Q5"\ntarget = 3\n',
            "target 1: period '2021-Q5'",
        ),
        ('[[target]]\nindicator = "survivors.enrolled"\ntarget = 3\n', "target 1: missing period"),
        (
            '[[target]]\nindicator = "survivors.enrolled"\nperiod = "2021"\ntarget = 3\n' * 2,
            "two targets for survivors.enrolled",
        ),
        ("goal = 3\n", "expected only [[target]] tables"),
    ],
)
def test_a_bad_targets_file_is_a_clear_error(
    session: Session, settings: Settings, text: str, message: str
) -> None:
    _write(settings, text)
    with pytest.raises(ReportError, match="targets.toml") as caught:
        build_report(
            session, settings, make_scope(Y2021, None, None), public=False, breakdowns=True
        )
    assert message in str(caught.value)
    # The narrative alone (md, json) does not need targets and is still served.
    assert build_report(session, settings, make_scope(Y2021, None, None), public=False)


def test_the_command_line_reports_a_bad_targets_file_in_one_line(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(settings, "goal = 3\n")
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("INSTANCE_PATH", settings.instance_path)
    _register()
    result = CliRunner().invoke(
        cli, ["report", "--period", "2021", "--format", "pdf", "--out", str(tmp_path / "r.pdf")]
    )
    assert result.exit_code == 1
    assert "targets.toml: expected only [[target]] tables" in result.output
    assert "Traceback" not in result.output
