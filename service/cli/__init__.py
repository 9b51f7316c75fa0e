"""The `ashshash` command line: one click group; each noun's commands live in their own module.

The room's rule: a command parses its options, opens a session, calls `workers` (or
`service.reports` / `service.dhis2` for documents) and prints one line on bad input with a
non-zero exit, never a traceback. May import click, `service` packages, `workers` and
`schemas`; never Flask views.
"""

from __future__ import annotations

import sys

import click

from workers.settings import Settings, SettingsError, load_settings


class AppContext:
    """Settings loaded lazily, so `ashshash --help` works without any configuration."""

    def __init__(self) -> None:
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = load_settings()
            except SettingsError as exc:
                raise click.ClickException(str(exc)) from exc
        return self._settings


pass_ctx = click.make_pass_decorator(AppContext, ensure=True)


@click.group()
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Ashshash SMS: field data by text message."""
    ctx.ensure_object(AppContext)


def _register() -> None:
    from service.cli import db as _db  # noqa: F401

    # Each module below adds its commands to `cli` when imported.
    for name in ("pipeline", "reporters", "report", "users", "dhis2", "outreach"):
        try:
            __import__(f"service.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"service.cli.{name}":
                raise


def main() -> None:
    _register()
    try:
        rv = cli.main(standalone_mode=False)
    except click.UsageError as exc:
        # One line, as the interface promises, instead of click's usage block.
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
        click.echo(f"Error: {exc.format_message()}{hint}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    # `--help` and `ctx.exit(n)` come back as an exit code; a finished command as None.
    sys.exit(rv if isinstance(rv, int) else 0)
