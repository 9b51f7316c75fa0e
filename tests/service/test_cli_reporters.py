"""`ashshash reporters import | list | deactivate` through click, against the test database."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import service.cli.reporters  # noqa: F401  (adds the `reporters` group to `cli`)
from service.cli import AppContext, cli
from workers.settings import Settings

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def run(settings: Settings):  # type: ignore[no-untyped-def]
    def invoke(*args: str) -> Result:
        ctx = AppContext()
        ctx._settings = settings
        return CliRunner().invoke(cli, ["reporters", *args], obj=ctx)

    return invoke


def test_import_prints_the_summary_and_exits_zero(run) -> None:  # type: ignore[no-untyped-def]
    result = run("import", str(DATA / "reporters.csv"))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "imported 4, updated 0, skipped 0"
    again = run("import", str(DATA / "reporters.csv"))
    assert again.output.strip() == "imported 0, updated 0, skipped 0"


def test_import_lists_bad_lines_imports_good_ones_and_exits_non_zero(run) -> None:  # type: ignore[no-untyped-def]
    result = run("import", str(DATA / "reporters_bad.csv"))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1] == "imported 2, updated 0, skipped 8"
    assert [line.split(":")[0] for line in lines[:-1]] == [f"line {n}" for n in range(3, 11)]
    assert "Traceback" not in result.output
    listed = run("list")
    assert "+8801912345679" in listed.output and "Good Too" in listed.output


def test_missing_file_is_one_line_and_non_zero(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("import", str(tmp_path / "missing.csv"))
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1
    assert "cannot read" in result.output


def test_list_shows_every_reporter_with_role_and_union(run) -> None:  # type: ignore[no-untyped-def]
    assert "no reporters" in run("list").output
    run("import", str(DATA / "reporters.csv"))
    result = run("list")
    assert result.exit_code == 0
    out = result.output
    assert out.splitlines()[0].split() == [
        "phone",
        "name",
        "role",
        "union",
        "upazila",
        "lang",
        "status",
    ]
    assert len(out.strip().splitlines()) == 5
    assert "+8801812345678" in out and "Gabura" in out and "counsellor" in out


def test_deactivate_then_list_active_only(run) -> None:  # type: ignore[no-untyped-def]
    run("import", str(DATA / "reporters.csv"))
    result = run("deactivate", "01712345678")
    assert result.exit_code == 0
    assert result.output.strip() == "deactivated +8801712345678 (Rina Begum)"
    assert "+8801712345678" not in run("list", "--active-only").output
    assert "inactive" in run("list").output


def test_deactivate_unknown_number_is_one_line_and_non_zero(run) -> None:  # type: ignore[no-untyped-def]
    result = run("deactivate", "01700000000")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no reporter with phone 01700000000"


def test_a_database_without_tables_is_a_one_line_error(tmp_path: Path) -> None:
    ctx = AppContext()
    ctx._settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'empty.db'}",
        secret_key="s",
        webhook_token="t",
        instance_path=str(tmp_path / "instance"),
    )
    result = CliRunner().invoke(cli, ["reporters", "list"], obj=ctx)
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "ashshash db upgrade" in result.output
