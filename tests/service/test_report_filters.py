"""Every filter and period form against the plan's own arithmetic; the `ashshash report` command."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from schemas.periods import Period, parse_period
from service.cli import _register, cli
from service.reports.build import make_scope
from service.reports.indicators import indicators
from tests.reports_fixture import ENR_PLACES, REPORTERS
from tests.reports_fixture_feed import expected
from tests.service.fixtures_reports import ReportDb, report_db  # noqa: F401
from workers.db import session_factory

UPAZILAS = ["Assasuni", "Debhata", "Kalaroa", "Kaliganj", "Satkhira Sadar", "Shyamnagar", "Tala"]
UNIONS = sorted({r[3] for r in REPORTERS} | {u for u, _ in ENR_PLACES})
PERIODS = [
    "2020",
    "2021",
    "2022",
    "2021-Q1",
    "2021-Q2",
    "2021-Q3",
    "2021-Q4",
    "FY2021",
    "FY2022",
    "project",
    "2021-03",
]


def _comparable(ind: dict[str, Any]) -> dict[str, Any]:
    """The parts of the JSON object the plan can predict (names and report counts aside)."""
    # The kinds of emergency support are not in the plan's facts: test_report_truthful.py.
    return {
        "survivors": {k: v for k, v in ind["survivors"].items() if k != "emergency_kinds"},
        "community_counselling": ind["community_counselling"],
        "events": {
            k: {f: v[f] for f in ("count", "participants", "gender")}
            for k, v in ind["events"].items()
        },
        "international_days": [
            {f: d[f] for f in ("code", "date", "participants")} for d in ind["international_days"]
        ],
    }


def _actual(
    db: ReportDb, period: Period, upazila: str | None = None, union: str | None = None
) -> dict[str, Any]:
    with session_factory(db.settings)() as session:
        return indicators(session, make_scope(period, upazila, union))


def _project(db: ReportDb) -> tuple[date, date]:
    return (
        date.fromisoformat(db.settings.project_start),
        date.fromisoformat(db.settings.project_end),
    )


@pytest.mark.parametrize("name", PERIODS)
def test_every_period_form_counts_by_activity_date(report_db: ReportDb, name: str) -> None:  # noqa: F811
    period = parse_period(name, *_project(report_db))
    got = _actual(report_db, period)
    assert got["period"] == period.as_dict()
    assert _comparable(got) == expected(report_db.plan, period.start, period.end)


@pytest.mark.parametrize("upazila", UPAZILAS)
def test_filter_by_upazila(report_db: ReportDb, upazila: str) -> None:  # noqa: F811
    period = Period(date(2021, 1, 1), date(2021, 12, 31))
    got = _actual(report_db, period, upazila=upazila.upper())
    assert _comparable(got) == expected(report_db.plan, period.start, period.end, upazila)


@pytest.mark.parametrize("union", UNIONS)
def test_filter_by_union(report_db: ReportDb, union: str) -> None:  # noqa: F811
    period = Period(date(2020, 6, 1), date(2021, 6, 30))
    got = _actual(report_db, period, union=union)
    want = expected(report_db.plan, period.start, period.end, union=union)
    assert _comparable(got) == want
    assert want != expected(report_db.plan, date(1990, 1, 1), date(1990, 1, 2))  # not all zero


def test_upazilas_add_up_to_the_district(report_db: ReportDb) -> None:  # noqa: F811
    period = Period(date(2021, 1, 1), date(2021, 12, 31))
    parts = [_actual(report_db, period, upazila=u)["survivors"]["enrolled"] for u in UPAZILAS]
    assert sum(parts) == 298


def test_an_empty_period_gives_zeros_not_an_error(report_db: ReportDb) -> None:  # noqa: F811
    got = _actual(report_db, Period(date(2019, 1, 1), date(2019, 6, 30)))
    flat = json.dumps(_comparable(got))
    assert not any(ch in "123456789" for ch in flat)
    assert set(got["events"]) == {"MEET", "UPD", "LED", "SCH", "COM", "AWR", "YTH", "TRN"}
    assert got["international_days"] == []


# --- the command line -------------------------------------------------------------------


def _run(db: ReportDb, monkeypatch: pytest.MonkeyPatch, *args: str):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", db.settings.database_url)
    monkeypatch.setenv("INSTANCE_PATH", db.settings.instance_path)
    monkeypatch.delenv("REDIS_URL", raising=False)
    _register()
    return CliRunner().invoke(cli, ["report", *args])


def test_cli_json_goes_to_stdout_and_nothing_else(report_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    result = _run(report_db, monkeypatch, "--period", "2021", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["survivors"]["enrolled"] == 298
    same = _run(report_db, monkeypatch, "--from", "2021-01-01", "--to", "2021-12-31")
    assert json.loads(same.stdout) == data


def test_cli_md_and_filters(report_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    result = _run(
        report_db, monkeypatch, "--period", "2021", "--format", "md", "--upazila", "kaliganj"
    )
    assert result.exit_code == 0
    assert result.stdout.startswith("# ASHSHASH progress report: January-December 2021")
    assert "District: Kaliganj, Satkhira" in result.stdout


def test_cli_writes_binary_formats_to_a_file(report_db, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    out = tmp_path / "r.xlsx"
    result = _run(
        report_db,
        monkeypatch,
        "--period",
        "FY2021",
        "--format",
        "xlsx",
        "--out",
        str(out),
        "--public",
    )
    assert result.exit_code == 0 and result.stdout == ""
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert "By upazila" in wb.sheetnames
    pdf = tmp_path / "r.pdf"
    assert (
        _run(
            report_db, monkeypatch, "--period", "2021", "--format", "pdf", "--out", str(pdf)
        ).exit_code
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args",
    [
        ("--period", "2021-Q9"),
        ("--from", "2021-01-01"),
        ("--from", "2021-12-31", "--to", "2021-01-01"),
        ("--period", "2021", "--upazila", "Atlantis"),
        ("--period", "2021", "--union", "Nalta", "--public"),
        ("--period", "2021", "--union", "Nalta", "--upazila", "Tala"),
        ("--period", "2021", "--format", "pdf"),
        ("--period", "2021", "--format", "csv"),
    ],
)
def test_cli_bad_input_is_one_line_and_non_zero(report_db, monkeypatch, args) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    result = _run(report_db, monkeypatch, *args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output and result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    # One error line (click adds its usage hint before it only for a malformed option).
    assert lines[-1].startswith("Error: ") and sum(1 for x in lines if "Error" in x) == 1
    if args[-1] != "csv":
        assert len(lines) == 1
