"""Broadcasts through the fake Africa's Talking: one request per same-text chunk, every
recipient's status kept, replies not held behind it; groups; the budget and the phone rate."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

import workers.outbound.send as outbound
import workers.outreach.sending as sending
from schemas.tables import Broadcast, OutboundMessage, Reporter
from tests.fakes.at_server import FakeAfricasTalking
from tests.workers.outreach.fixture import at, reporter
from tests.workers.outreach.test_schedule import redis_settings  # noqa: F401 - fixture
from workers.db import session_scope
from workers.outbound.gateways import SendResult
from workers.outbound.send import queue_reply, send_outbound
from workers.outreach import broadcast
from workers.outreach.pacing import parse_rate
from workers.outreach.sending import send_outreach
from workers.queue import enqueue
from workers.settings import Settings, SettingsError

OPEN = at(date(2026, 11, 4), 11)  # a Wednesday morning, project time
TEXT = "Office closed on Sunday. Reports as usual by SMS."


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sending, "_now", lambda: OPEN)
    monkeypatch.setattr(outbound, "_now", lambda: OPEN)
    monkeypatch.setattr(outbound, "IN_PROCESS_DELAYS", (0.0, 0.0))


def many(settings: Settings, n: int, role: str = "activist") -> list[str]:
    with session_scope(settings) as session:
        phones = [f"+8801910{i:06d}" for i in range(n)]
        session.add_all(
            Reporter(
                phone=p,
                name="L",
                role=role,
                union="Kulia",
                upazila="Debhata",
                language="en",
                active=True,
                created_at=OPEN - timedelta(days=5),
            )
            for p in phones
        )
    return phones


def at_backend(settings: Settings, fake: FakeAfricasTalking) -> Settings:
    return settings.with_(
        sms_backend="africastalking", at_username="a", at_api_key="k", at_api_base=fake.base_url
    )


def rows(settings: Settings, broadcast_id: int) -> list[OutboundMessage]:
    with session_scope(settings) as session:
        found = broadcast.statuses(session, broadcast_id)
        session.expunge_all()
    return found


@pytest.mark.slow
def test_a_1000_recipient_broadcast_is_one_request_per_chunk(
    settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    phones = many(settings, 1000)
    s = at_backend(settings.with_(redis_url=None), fake_at)
    fake_at.delay = 0.2
    fake_at.fail_next(phones[500], (403, "InvalidPhoneNumber"))
    broadcast_id, plan = broadcast.create(s, "all", TEXT, actor="cli")
    assert (len(plan.phones), plan.per_message, plan.segments) == (1000, 1, 1000)
    requests = fake_at.recipients_seen()
    assert len(requests) == 10 and all(len(r) == 100 for r in requests)
    assert sorted(n for r in requests for n in r) == sorted(phones)
    statuses = {m.to: (m.status, m.cost) for m in rows(settings, broadcast_id)}
    assert statuses.pop(phones[500])[0] == "failed"
    assert set(statuses.values()) == {("sent", "BDT 0.5000")}
    with session_scope(settings) as session:
        stored = session.get(Broadcast, broadcast_id)
        assert stored is not None and (stored.recipients, stored.segments) == (1000, 1000)


def test_replies_go_before_a_broadcast_already_queued(
    redis_settings: Settings,
    fake_at: FakeAfricasTalking,  # noqa: F811
) -> None:
    from workers.worker import run_worker

    many(redis_settings, 1000)
    s = at_backend(redis_settings, fake_at)
    broadcast.create(s, "all", TEXT, actor="cli")  # ten outreach jobs, queued first
    with session_scope(s) as session:
        reply = queue_reply(
            session, s, to="+8801711999999", text="Saved, record 7.", inbound_id=None
        )
    enqueue(s, send_outbound, reply.id)  # then a reply arrives
    run_worker(s, burst=True)
    order = fake_at.recipients_seen()
    assert order[0] == ["+8801711999999"]  # the reply went first
    assert len(order) == 11


def test_groups_role_upazila_union_phones_and_errors(settings: Settings) -> None:
    many(settings, 3)
    counsellor = reporter(settings, "counsellor", joined=date(2026, 1, 1))
    with session_scope(settings) as session:
        assert len(broadcast.plan(session, settings, "all", "hi").phones) == 4
        assert len(broadcast.plan(session, settings, "counsellors", "hi").phones) == 1
        assert len(broadcast.plan(session, settings, "Debhata", "hi").phones) == 3
        assert len(broadcast.plan(session, settings, "nalta", "hi").phones) == 1
        plan = broadcast.plan(session, settings, "01910000000, +8801711000111", "hi")
        assert plan.phones == ["+8801910000000", "+8801711000111"]
        assert plan.unknown == ["+8801711000111"]
        bangla = broadcast.plan(session, settings, "all", "সভা রবিবার সকাল ১০টায়")
        assert bangla.per_message == 1 and bangla.segments == 4
        for group, text, error in [
            ("Nowhere", "hi", "no one in group"),
            ("all", "  ", "empty"),
            ("0171x, 12", "hi", "not a phone number"),
        ]:
            with pytest.raises(broadcast.GroupError, match=error):
                broadcast.plan(session, settings, group, text)
    assert counsellor


def test_quiet_hours_and_the_budget_hold_a_broadcast_then_it_goes(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = settings.with_(redis_url=None)
    many(s, 3)
    night = at(date(2026, 11, 4), 22)
    monkeypatch.setattr(sending, "_now", lambda: night)
    broadcast_id, _ = broadcast.create(s, "all", TEXT, actor="cli")
    held = rows(s, broadcast_id)
    assert {(m.status, m.failure_reason) for m in held} == {
        ("queued", "held: quiet hours (21:00-08:00)")
    }
    monkeypatch.setattr(sending, "_now", lambda: OPEN)
    budgeted = s.with_(sms_monthly_budget=2)
    with session_scope(s) as session:  # two segments already sent this month
        for _ in range(2):
            m = queue_reply(session, s, to="+8801711000001", text="x", inbound_id=None)
            m.status = "sent"
    send_outreach(*(m.id for m in held), settings=budgeted)
    assert {m.failure_reason for m in rows(s, broadcast_id)} == {"held: monthly SMS budget reached"}
    send_outreach(*(m.id for m in held), settings=s)  # the budget raised: they go
    assert {m.status for m in rows(s, broadcast_id)} == {"sent"}


def test_smsgate_outreach_is_paced_and_nothing_dropped(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[str] = []

    class Phone:
        name = "smsgate"

        def send(self, to: str, text: str) -> SendResult:
            sent.append(to)
            return SendResult(ok=True, status="Pending", provider_id=f"p{len(sent)}")

    monkeypatch.setattr(outbound, "gateway_for", lambda _s: Phone())
    s = settings.with_(redis_url=None, sms_backend="smsgate", smsgate_rate="5/30m")
    many(s, 8)
    with session_scope(s) as session:  # a reply already used one of the five
        reply = queue_reply(session, s, to="+8801711000001", text="Saved", inbound_id=None)
    send_outbound(reply.id, settings=s)
    broadcast_id, _ = broadcast.create(s, "all", TEXT, actor="cli")
    found = rows(s, broadcast_id)
    assert [m.status for m in found].count("sent") == 4
    waiting = [m for m in found if m.status == "queued"]
    assert len(waiting) == 4
    assert {m.failure_reason for m in waiting} == {"held: phone rate 5/30m"}
    later = OPEN + timedelta(minutes=31)
    monkeypatch.setattr(sending, "_now", lambda: later)
    monkeypatch.setattr(outbound, "_now", lambda: later)
    send_outreach(*(m.id for m in waiting), settings=s)
    assert {m.status for m in rows(s, broadcast_id)} == {"sent"}
    assert len(sent) == 9  # every one once: the reply and the eight


def test_smsgate_rate_must_be_readable() -> None:
    assert parse_rate("30/30m") == (30, timedelta(minutes=30))
    assert parse_rate("20/1h") == (20, timedelta(hours=1))
    with pytest.raises(SettingsError, match="SMSGATE_RATE"):
        parse_rate("thirty")


def test_the_budget_notice_goes_to_coordinators_at_80_percent(settings: Settings) -> None:
    from workers.outreach.run import run_rules

    coordinator = reporter(settings, "coordinator", joined=date(2026, 1, 1))
    s = settings.with_(sms_monthly_budget=10, redis_url=None)
    with session_scope(s) as session:
        for _ in range(8):
            m = queue_reply(session, s, to="+8801711000001", text="x", inbound_id=None)
            m.status, m.created_at = "sent", datetime(2026, 11, 2, tzinfo=UTC)
    report = run_rules(s, now=OPEN)
    notices = [o for o in report.outcomes if o.due.rule == "budget" and o.result == "sent"]
    assert [o.text for o in notices] == ["SMS use this month has reached 80% of the budget."]
    again = run_rules(s, now=OPEN + timedelta(hours=1))
    assert not [o for o in again.outcomes if o.due.rule == "budget" and o.result == "sent"]
    assert coordinator


def test_at_100_percent_reminders_stop_and_replies_still_go(settings: Settings) -> None:
    from tests.workers.outreach.fixture import record
    from workers.outreach.run import run_rules

    activist = reporter(settings, joined=date(2026, 1, 5))
    record(settings, activist, "MEET", date(2026, 10, 1))
    s = settings.with_(sms_monthly_budget=5, redis_url=None)
    with session_scope(s) as session:
        for _ in range(5):
            m = queue_reply(session, s, to="+8801711000001", text="x", inbound_id=None)
            m.status = "sent"
    report = run_rules(s, now=OPEN)  # day 34 of silence
    silent = [o.result for o in report.outcomes if o.due.rule == "silent_reporter"]
    assert silent[0] == "stopped: monthly SMS budget reached" and "sent" not in silent
    with session_scope(s) as session:
        reply = queue_reply(session, s, to="+8801711000002", text="Saved", inbound_id=None)
    send_outbound(reply.id, settings=s)
    with session_scope(s) as session:
        assert session.get(OutboundMessage, reply.id).status == "sent"  # type: ignore[union-attr]
        assert not session.scalars(
            select(OutboundMessage).where(OutboundMessage.kind == "reminder")
        ).all()
