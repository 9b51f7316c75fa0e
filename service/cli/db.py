"""`ashshash db upgrade`: apply the Alembic migrations."""

from __future__ import annotations

import click

from service.cli import AppContext, cli, pass_ctx
from workers.migrate import upgrade


@cli.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@pass_ctx
def db_upgrade(ctx: AppContext) -> None:
    """Apply every migration not yet applied."""
    upgrade(ctx.settings)
    click.echo("database is up to date")
