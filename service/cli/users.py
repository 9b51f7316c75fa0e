"""`ashshash users create|token`: dashboard logins and API tokens."""

from __future__ import annotations

import sys

import click

from service.auth import ROLES, UserError, create_user, issue_token
from service.cli import AppContext, cli, pass_ctx
from workers.db import session_scope


@cli.group()
def users() -> None:
    """Dashboard and API users."""


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may see.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_ctx
def users_create(ctx: AppContext, email: str, role: str, password_stdin: bool) -> None:
    """Create a dashboard login (the password is prompted unless --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with session_scope(ctx.settings) as session:
            user = create_user(session, email, role, password)
            click.echo(f"created {user.email} ({user.role})")
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc


@users.command("token")
@click.argument("email")
@pass_ctx
def users_token(ctx: AppContext, email: str) -> None:
    """Print a new API token for EMAIL (an earlier token stops working)."""
    try:
        with session_scope(ctx.settings) as session:
            token = issue_token(session, email)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(token)
