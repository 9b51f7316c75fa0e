"""`ashshash broadcast | reminders`: a text to a group, and the outreach rules run now."""

from __future__ import annotations

import click
from sqlalchemy.exc import SQLAlchemyError

from schemas.outreach.config import ConfigError
from service.cli import AppContext, cli, pass_ctx
from service.cli.pipeline import _one_line, _prepare


@cli.command()
@click.option(
    "--to",
    "group",
    required=True,
    help="all, a role, an upazila, a union, or phones separated by commas",
)
@click.option("--dry-run", is_flag=True, help="print who would get it and the cost; send nothing")
@click.argument("text", nargs=-1, required=True)
@pass_ctx
def broadcast(app: AppContext, group: str, dry_run: bool, text: tuple[str, ...]) -> None:
    """Send one text to a group of reporters (see docs/outreach.md)."""
    from workers.db import session_scope
    from workers.outreach import broadcast as broadcasts

    settings = app.settings
    _prepare(settings)
    message = " ".join(text)
    try:
        if dry_run:
            with session_scope(settings) as session:
                plan = broadcasts.plan(session, settings, group, message)
            for phone in plan.phones:
                click.echo(phone)
            _summary(plan, "would get")
            return
        broadcast_id, plan = broadcasts.create(settings, group, message, actor="cli")
    except broadcasts.GroupError as exc:
        raise click.ClickException(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise click.ClickException(f"database error: {_one_line(exc)}") from exc
    _summary(plan, "queued for")
    click.echo(f"broadcast {broadcast_id}: statuses on the dashboard's outreach page")


def _summary(plan: object, verb: str) -> None:
    from workers.outreach.broadcast import Plan

    assert isinstance(plan, Plan)
    click.echo(
        f"{verb} {len(plan.phones)} recipients: {plan.per_message} segment(s) each, "
        f"{plan.segments} segments in all"
    )
    if plan.unknown:
        click.echo(f"{len(plan.unknown)} of them are not registered reporters")


@cli.command()
@click.option("--dry-run", is_flag=True, help="print what would go out now and why; send nothing")
@pass_ctx
def reminders(app: AppContext, dry_run: bool) -> None:
    """Run the reminder and follow-up rules now (the worker runs them on their schedule)."""
    from workers.outreach.run import run_rules

    settings = app.settings
    _prepare(settings)
    try:
        report = run_rules(settings, dry_run=dry_run)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"now {report.local:%Y-%m-%d %H:%M} project time; "
        + (
            f"outreach closed: {report.closed}, opens {report.opens:%Y-%m-%d %H:%M}"
            if report.closed and report.opens
            else "outreach open"
        )
    )
    if report.budget.budget:
        click.echo(f"budget: {report.budget.used} of {report.budget.budget} segments this month")
    for outcome in report.outcomes:
        due = outcome.due
        click.echo(
            f"{outcome.result:<34} {due.rule:<16} step {due.step} to {due.phone}: "
            f"{due.why} | {outcome.text}"
        )
    if not report.outcomes:
        click.echo("nothing is due")
