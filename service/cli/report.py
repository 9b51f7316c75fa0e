"""`ashshash report`: the donor progress report for a period, in json, md, xlsx, docx or pdf."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from schemas.periods import PeriodError, resolve_period
from service.cli import AppContext, cli, pass_ctx
from service.cli.output import write_output
from service.reports.build import ReportError, build_report, make_scope, project_dates
from service.reports.lang import LANGS
from service.reports.render import DOCUMENTS, FORMATS, render
from workers.db import session_scope

_TEXT_FORMATS = ("json", "md")


@cli.command("report")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day (inclusive).")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day (inclusive).")
@click.option("--period", metavar="P", help="2021, 2021-Q3, FY2021 (Oct 2020-Sep 2021), project.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.option("--public", is_flag=True, help="Apply the privacy floor for sharing outside.")
@click.option("--upazila", help="Only this upazila.")
@click.option("--union", help="Only this union (not with --public).")
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default="en",
    show_default=True,
    help="Language of the report (bn: Bangla words, digits and dates).",
)
@pass_ctx
def report(
    ctx: AppContext,
    start: str | None,
    end: str | None,
    period: str | None,
    fmt: str,
    out: Path | None,
    public: bool,
    upazila: str | None,
    union: str | None,
    lang: str,
) -> None:
    """The donor progress report (indicators.md) for a period."""
    settings = ctx.settings
    try:
        first, last = project_dates(settings)
        chosen = resolve_period(
            start=start, end=end, period=period, project_start=first, project_end=last
        )
        scope = make_scope(chosen, upazila, union, public=public)
        if out is None and fmt not in _TEXT_FORMATS:
            raise ReportError(f"--format {fmt} needs --out FILE")
        with session_scope(settings) as session:
            built = build_report(
                session, settings, scope, public=public, breakdowns=fmt in DOCUMENTS, lang=lang
            )
        data = render(built, fmt)
    except (PeriodError, ReportError) as exc:
        raise click.ClickException(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise click.ClickException(
            f"database not reachable or not migrated ({type(exc).__name__});"
            " run `ashshash db upgrade`"
        ) from exc
    if write_output(data, out):
        click.echo(f"wrote {out}", err=True)
