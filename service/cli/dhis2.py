"""`ashshash dhis2 check | export | push`: the indicators as DHIS2 data values (docs/dhis2.md)."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from sqlalchemy.exc import SQLAlchemyError

from schemas.dhis2.formats import FORMATS
from service.cli import AppContext, cli, pass_ctx
from service.cli.output import write_output
from service.dhis2.run import (
    Dhis2Error,
    Prepared,
    audit_push,
    export_bytes,
    outcome_lines,
    prepare,
    problem_list,
    refusal,
    send,
)
from workers.db import session_scope

T = TypeVar("T")


@cli.group("dhis2")
def dhis2() -> None:
    """The indicators as DHIS2 data values: check the mapping, export a file, push."""


def _guarded(run: Callable[[], T]) -> T:
    try:
        return run()
    except Dhis2Error as exc:
        raise click.ClickException(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise click.ClickException(
            f"database not reachable or not migrated ({type(exc).__name__});"
            " run `ashshash db upgrade`"
        ) from exc


def _warn(prepared: Prepared) -> None:
    for line in prepared.warnings:
        click.echo(f"warning: {line}", err=True)


def _prepared(ctx: AppContext, period: str | None) -> Prepared:
    def run() -> Prepared:
        with session_scope(ctx.settings) as session:
            return prepare(session, ctx.settings, period)

    return _guarded(run)


@dhis2.command("check")
@click.option(
    "--period",
    metavar="P",
    help="Check the places with data in P only (default: every year of the project).",
)
@pass_ctx
def check(ctx: AppContext, period: str | None) -> None:
    """Check instance/dhis2.toml against the indicators, the gazetteer and the data."""
    prepared = _prepared(ctx, period)
    _warn(prepared)
    if prepared.problems:
        click.echo(problem_list(prepared), err=True)
        sys.exit(1)
    periods = ", ".join(p.id for p in prepared.periods)
    click.echo(
        f"mapping OK: {len(prepared.mapping.values)} indicators,"
        f" {len(prepared.export.values)} data values for {periods}"
    )


@dhis2.command("export")
@click.option(
    "--period",
    required=True,
    metavar="P",
    help="2021-03, 2021-Q3, 2021, FY2021 (= 2020Oct) or a DHIS2 period id.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@pass_ctx
def export(ctx: AppContext, period: str, fmt: str, out: Path | None) -> None:
    """The period's data values as a file for DHIS2's Import/Export app."""
    prepared = _prepared(ctx, period)
    _warn(prepared)
    if prepared.problems:
        raise click.ClickException(refusal(prepared, "exported"))
    for note in prepared.export.notes:
        click.echo(f"note: {note}", err=True)
    data = export_bytes(prepared, fmt)
    if write_output(data, out):
        click.echo(f"wrote {out}: {len(prepared.export.values)} data values", err=True)


@dhis2.command("push")
@click.option(
    "--period",
    required=True,
    metavar="P",
    help="2021-03, 2021-Q3, 2021, FY2021 (= 2020Oct) or a DHIS2 period id.",
)
@click.option("--dry-run", is_flag=True, help="DHIS2 checks everything and saves nothing.")
@pass_ctx
def push_cmd(ctx: AppContext, period: str, dry_run: bool) -> None:
    """POST the period's data values to DHIS2 and show its import summary."""
    settings = ctx.settings

    def run() -> tuple[Prepared, list[str], bool]:
        with session_scope(settings) as session:
            prepared = prepare(session, settings, period)
        if prepared.problems:
            return prepared, [], False
        outcome = send(settings, prepared, dry_run=dry_run)
        with session_scope(settings) as session:
            audit_push(
                session, prepared, outcome, period=period, dry_run=dry_run, actor=f"cli:{_user()}"
            )
        return prepared, outcome_lines(outcome, dry_run), outcome.ok

    prepared, lines, ok = _guarded(run)
    _warn(prepared)
    if prepared.problems:
        raise click.ClickException(refusal(prepared))
    for note in prepared.export.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(
        f"{len(prepared.export.values)} data values for {', '.join(p.id for p in prepared.periods)}"
    )
    for line in lines:
        click.echo(line)
    if not ok:
        sys.exit(1)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        return "unknown"
