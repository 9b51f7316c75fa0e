"""`ashshash serve | worker | send | requeue | purge`: running the message pipeline."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import click
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from service.cli import AppContext, cli, pass_ctx
from workers.settings import Settings

HOOK_ROUTES = (
    ("Africa's Talking SMS", "at/sms"),
    ("Africa's Talking delivery reports", "at/delivery"),
    ("Africa's Talking USSD", "at/ussd"),
    ("Africa's Talking USSD events", "at/ussd-events"),
    ("SMS Gateway for Android", "smsgate"),
)


def _prepare(settings: Settings) -> None:
    """Migrations and reference data, with a one-line error when the database is not there."""
    from workers.inbound.decide import load_reference_data
    from workers.migrate import upgrade

    try:
        upgrade(settings)
    except (SQLAlchemyError, OSError) as exc:
        raise click.ClickException(f"database not reachable: {_one_line(exc)}") from exc
    load_reference_data(settings)


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _no_password(url: str) -> str:
    """A URL fit for a terminal or a log: any password in it replaced by ***."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@pass_ctx
def serve(ctx: AppContext, host: str, port: int) -> None:
    """Apply migrations, load reference data and serve the web app (dashboard, webhooks, API)."""
    import logging

    from service import create_app
    from workers.channel_modes import describe
    from workers.settings import at_username_problem

    # Request lines (werkzeug) and the app's warnings to standard error, through the mask
    # that create_app installs: webhook paths are logged as /hooks/***/...
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = ctx.settings
    problem = at_username_problem(settings)
    if problem:
        raise click.ClickException(problem)
    _prepare(settings)
    base = f"http://{host}:{port}"
    click.echo(f"Dashboard: {base}/")
    click.echo("Webhook URLs (keep them secret: the token is the password):")
    for label, route in HOOK_ROUTES:
        click.echo(f"  {label:36} {base}/hooks/{settings.webhook_token}/{route}")
    mode = (
        "RQ on " + _no_password(settings.redis_url)
        if settings.redis_url
        else "in-process (no REDIS_URL)"
    )
    click.echo(f"Jobs: {mode}")
    for line in describe(settings):
        click.echo(line)
    create_app(settings).run(host=host, port=port, threaded=True)


@cli.command()
@click.option("--burst", is_flag=True, help="Stop once the queues are empty.")
@pass_ctx
def worker(ctx: AppContext, burst: bool) -> None:
    """RQ worker for all queues (needs REDIS_URL); sweeps for unprocessed messages."""
    from redis.exceptions import RedisError

    from workers.queue import QueueUnavailable
    from workers.settings import at_username_problem
    from workers.worker import run_worker

    settings = ctx.settings
    if not settings.redis_url:
        raise click.ClickException("REDIS_URL is not set: without it jobs run inside the web app")
    problem = at_username_problem(settings)
    if problem:
        raise click.ClickException(problem)
    from workers.queue import QUEUES, redis_connection

    try:
        redis_connection(settings.redis_url).ping()
        mode = "until the queues are empty" if burst else "sweeping every 30 s; Ctrl-C stops"
        click.echo(f"worker on {', '.join(QUEUES)} ({mode})")
        run_worker(settings, burst=burst)
    except (RedisError, QueueUnavailable) as exc:
        raise click.ClickException(f"queue not reachable: {_one_line(exc)}") from exc
    except SQLAlchemyError as exc:
        raise click.ClickException(f"database not reachable: {_one_line(exc)}") from exc


@cli.command()
@click.argument("phone")
@click.argument("text", nargs=-1, required=True)
@click.option("--timeout", default=30.0, show_default=True, help="Seconds to wait for a worker.")
@pass_ctx
def send(ctx: AppContext, phone: str, text: tuple[str, ...], timeout: float) -> None:
    """Feed one SMS from PHONE through the full pipeline and print the reply."""
    from schemas.envelope import InboundEnvelope
    from schemas.status import MessageStatus
    from schemas.tables import InboundMessage, OutboundMessage
    from workers.db import session_scope
    from workers.inbound.accept import Unavailable, accept
    from workers.phones import to_e164

    settings = ctx.settings
    if to_e164(phone, settings.default_region) is None:
        raise click.ClickException(f"not a phone number: {phone}")
    _prepare(settings)
    envelope = InboundEnvelope(
        channel="sms",
        provider="cli",
        provider_id=f"cli-{uuid.uuid4().hex}",
        sender=phone,
        text=" ".join(text),
        provider_time=datetime.now(UTC),
    )
    try:
        kept = accept(settings, envelope)  # as a webhook would: stored, then handed on
    except Unavailable as exc:
        raise click.ClickException(f"database and queue not reachable: {exc}") from exc
    if kept.stored is None:
        raise click.ClickException("database not reachable: the message was queued raw")
    message_id = kept.stored.id
    deadline = time.monotonic() + timeout
    while True:
        with session_scope(settings) as session:
            row = session.get(InboundMessage, message_id)
            status, reason = (row.status, row.reason) if row else ("missing", None)
            reply = session.scalar(
                select(OutboundMessage.text).where(OutboundMessage.inbound_id == message_id)
            )
        if status != MessageStatus.RECEIVED:
            break
        if time.monotonic() > deadline:
            raise click.ClickException(
                f"message {message_id} stored but not processed within {timeout:g} s: "
                "is `ashshash worker` running?"
            )
        time.sleep(0.2)
    if reply is not None:
        click.echo(reply)
    else:
        detail = f" ({reason})" if reason else ""
        click.echo(f"[no reply: {status}{detail}]")


@cli.command()
@pass_ctx
def requeue(ctx: AppContext) -> None:
    """Re-enqueue stored-but-unprocessed messages, failed messages and failed jobs."""
    from workers.inbound.sweep import requeue as do_requeue

    try:
        report = do_requeue(ctx.settings)
    except SQLAlchemyError as exc:
        raise click.ClickException(f"database not reachable: {_one_line(exc)}") from exc
    click.echo(report.summary())


@cli.command()
@click.option("--older-than", "days", metavar="DAYS", help="Whole days, at least 1.")
@pass_ctx
def purge(ctx: AppContext, days: str | None) -> None:
    """Blank raw texts and sender numbers of processed (or failed) messages and USSD events
    stored more than DAYS ago; keep records."""
    from workers.db import session_scope
    from workers.purge import MAX_DAYS, purge_inbound

    if days is None or not days.strip().isdigit() or not 1 <= int(days) <= MAX_DAYS:
        raise click.ClickException(
            f"--older-than DAYS must be a whole number of days from 1 to {MAX_DAYS}"
        )

    try:
        with session_scope(ctx.settings) as session:
            count = purge_inbound(session, int(days))
    except SQLAlchemyError as exc:
        raise click.ClickException(f"database not reachable: {_one_line(exc)}") from exc
    click.echo(f"purged {count} message(s) older than {int(days)} day(s); records kept")
