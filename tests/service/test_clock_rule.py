"""The provider's clock is not the truth (issue 8 items 5 and 6; examples.md, the 2031 row).

A callback dated 9999-12-31, 0001-01-01, 2031 or 2019 is stored with the time stored and
flagged `clock`; no record takes its date; `/`, `/messages` and `ashshash requeue` keep
working even for such a value stored before the rule (an older release)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from schemas.tables import InboundMessage, Record
from service import create_app
from service.cli import _register, cli
from tests.senders import PHONE, add_reporter
from tests.service.test_dashboard import as_role
from workers.db import session_scope
from workers.runtime import use_settings
from workers.settings import Settings

DEPLOYED = 7  # MAX_PROVIDER_LAG_DAYS as deployed (the suite's default replays history)


def _process_queued(settings: Settings) -> None:
    if settings.redis_url:
        from workers.worker import run_worker

        try:
            run_worker(settings, burst=True)
        finally:
            use_settings(None)


def _today() -> date:
    return datetime.now(ZoneInfo("Asia/Dhaka")).date()


@pytest.mark.parametrize(
    "raw_date",
    ["2031-01-01 00:00:00", "0001-01-01 00:00:00", "9999-12-31 23:59:59", "2019-06-01 10:00:00"],
)
def test_a_callback_with_a_wrong_date_makes_a_record_dated_today(settings, raw_date) -> None:  # type: ignore[no-untyped-def]
    cfg = settings.with_(max_provider_lag_days=DEPLOYED)
    add_reporter(cfg, role="activist")
    client = create_app(cfg).test_client()
    form = {
        "from": PHONE,
        "to": "21212",
        "text": "MEET 17 M5 F12",
        "id": "ATXid_clock",
        "date": raw_date,
    }
    assert client.post("/hooks/test-token/at/sms", data=form).status_code == 200
    _process_queued(cfg)
    with session_scope(cfg) as s:
        message = s.scalars(select(InboundMessage)).one()
        record = s.scalars(select(Record)).one()
        assert message.status == "accepted" and message.flags == "clock"
        assert message.extra["provider_time"][:10] == raw_date[:10]  # kept as sent
        stored = message.stored_at.replace(tzinfo=message.stored_at.tzinfo or UTC)
        assert message.provider_time.replace(tzinfo=UTC) == stored.astimezone(UTC)
        assert record.activity_date == _today()


def _legacy(settings: Settings, when: datetime, status: str, n: int) -> int:
    """A message stored by a release without the clock rule: the provider time as sent."""
    with session_scope(settings) as s:
        row = InboundMessage(
            channel="sms",
            provider="at",
            provider_id=f"legacy-{n}",
            sender=PHONE,
            text="MEET 17 M5 F12",
            provider_time=when,
            stored_at=datetime.now(UTC),
            status=status,
        )
        s.add(row)
        s.flush()
        return row.id


EDGES = [datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC)]


def test_no_stored_time_breaks_the_overview_or_the_messages_page(client, session, settings) -> None:  # type: ignore[no-untyped-def]
    for n, when in enumerate(EDGES):
        _legacy(settings, when, "accepted", n)
    as_role(client, session, "coordinator")
    for page in ("/", "/messages", "/messages?page=2", "/?lang=bn"):
        response = client.get(page)
        assert response.status_code == 200, page
    body = client.get("/messages").get_data(as_text=True)
    # 9999-12-31 has no Dhaka form: shown as stored; 0001-01-01 (in local mean time) has one.
    assert "9999-12-31 23:59 UTC" in body and "1 Jan 1, 06:" in body


def test_the_clock_flag_shows_on_the_messages_page(client, session, settings) -> None:  # type: ignore[no-untyped-def]
    cfg = settings.with_(max_provider_lag_days=DEPLOYED)
    app = create_app(cfg)
    hook = app.test_client()
    form = {
        "from": PHONE,
        "to": "21212",
        "text": "WHO",
        "id": "ATXid_2031",
        "date": "2031-01-01 00:00:00",
    }
    assert hook.post("/hooks/test-token/at/sms", data=form).status_code == 200
    _process_queued(cfg)
    as_role(client, session, "coordinator")
    body = client.get("/messages").get_data(as_text=True)
    assert 'class="badge flag-clock"' in body


def test_requeue_puts_a_legacy_edge_time_right_and_processes_it(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    add_reporter(settings, role="activist")
    ids = [_legacy(settings, when, "failed", n) for n, when in enumerate(EDGES)]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("INSTANCE_PATH", settings.instance_path)
    monkeypatch.setenv("MAX_PROVIDER_LAG_DAYS", str(DEPLOYED))
    if settings.redis_url:
        monkeypatch.setenv("REDIS_URL", settings.redis_url)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    _register()
    result = CliRunner().invoke(cli, ["requeue"])
    assert result.exit_code == 0, result.output
    assert "2 failed message(s) retried" in result.output
    _process_queued(settings.with_(max_provider_lag_days=DEPLOYED))
    with session_scope(settings) as s:
        rows = [s.get(InboundMessage, i) for i in ids]
        assert all(row is not None and row.flags == "clock" for row in rows)
        assert {row.status for row in rows if row} <= {"accepted", "duplicate"}
        records = list(s.scalars(select(Record)))
        assert records and all(r.activity_date <= _today() + timedelta(days=1) for r in records)
        assert all(r.activity_date.year not in (1, 9999) for r in records)
