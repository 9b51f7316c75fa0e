"""`ashshash reporters import FILE.csv | list | deactivate PHONE`: who may send messages."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import click
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from schemas.actor import Actor
from service.cli import AppContext, cli, pass_ctx
from workers.db import session_scope
from workers.reporters import CsvError, deactivate, import_csv, list_reporters

T = TypeVar("T")


@cli.group()
def reporters() -> None:
    """Registered senders (activists, counsellors, coordinators)."""


@contextmanager
def _database(ctx: AppContext) -> Iterator[Session]:
    """A committed unit of work; a database problem becomes one line, never a traceback."""
    try:
        with session_scope(ctx.settings) as session:
            yield session
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise click.ClickException(
            f"database error ({reason}); is it running and migrated (`ashshash db upgrade`)?"
        ) from exc


def _run(ctx: AppContext, work: Callable[[Session], T]) -> T:
    with _database(ctx) as session:
        return work(session)


@reporters.command("import")
@click.argument("file", metavar="FILE.csv")
@pass_ctx
def reporters_import(ctx: AppContext, file: str) -> None:
    """Add or update reporters from a CSV with columns phone,name,role,union,language.

    Good rows are imported; each bad row is listed with its line number and skipped
    (exit status 1 when any row was skipped). Importing the same file again changes nothing.
    """
    region = ctx.settings.default_region
    try:
        report = _run(ctx, lambda s: import_csv(s, Path(file), region=region, actor=Actor.system()))
    except CsvError as exc:
        raise click.ClickException(str(exc)) from exc
    for line, problem in report.problems:
        click.echo(f"line {line}: {problem}")
    click.echo(report.summary())
    if report.skipped:
        sys.exit(1)


@reporters.command("list")
@click.option("--active-only", is_flag=True, help="Leave out deactivated numbers.")
@pass_ctx
def reporters_list(ctx: AppContext, active_only: bool) -> None:
    """Every registered number with its name, role, union and reply language."""

    def rows(session: Session) -> list[tuple[str, ...]]:
        return [
            (
                r.phone,
                r.name,
                r.role,
                r.union or "-",
                r.upazila or "-",
                r.language,
                "active" if r.active else "inactive",
            )
            for r in list_reporters(session, include_inactive=not active_only)
        ]

    found = _run(ctx, rows)
    if not found:
        click.echo("no reporters registered (import some with `ashshash reporters import`)")
        return
    header = ("phone", "name", "role", "union", "upazila", "lang", "status")
    widths = [max(len(str(row[i])) for row in [header, *found]) for i in range(len(header))]
    for row in [header, *found]:
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())


@reporters.command("deactivate")
@click.argument("phone")
@pass_ctx
def reporters_deactivate(ctx: AppContext, phone: str) -> None:
    """Stop PHONE from reporting (its past records stay and still count)."""
    region = ctx.settings.default_region

    def work(session: Session) -> str:
        reporter = deactivate(session, phone, region=region, actor=Actor.system())
        return f"deactivated {reporter.phone} ({reporter.name})"

    try:
        click.echo(_run(ctx, work))
    except LookupError as exc:
        raise click.ClickException(str(exc.args[0])) from exc
