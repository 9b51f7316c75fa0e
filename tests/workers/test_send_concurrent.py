"""Concurrent sending against the local fake Africa's Talking answering after 200 ms."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import workers.outbound.send as outbound
from schemas.tables import OutboundMessage
from tests.fakes.at_server import FakeAfricasTalking
from workers.db import session_scope
from workers.outbound.pool import RECIPIENTS_PER_REQUEST
from workers.outbound.send import queue_reply, send_outbound
from workers.settings import Settings

DELAY = 0.2


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbound, "IN_PROCESS_DELAYS", (0.0, 0.0))


def number(i: int) -> str:
    return f"+88017{i:08d}"


def at(settings: Settings, fake: FakeAfricasTalking, concurrency: int = 32) -> Settings:
    fake.delay = DELAY
    return settings.with_(
        sms_backend="africastalking",
        at_username="ashshash",
        at_api_key="k",
        at_api_base=fake.base_url,
        send_concurrency=concurrency,
    )


def queue(settings: Settings, pairs: list[tuple[str, str]], kind: str = "reply") -> list[int]:
    with session_scope(settings) as session:
        return [
            queue_reply(session, settings, to=to, text=text, inbound_id=None, kind=kind).id
            for to, text in pairs
        ]


def rows(settings: Settings, ids: list[int]) -> list[OutboundMessage]:
    with session_scope(settings) as session:
        found = list(session.scalars(select(OutboundMessage).where(OutboundMessage.id.in_(ids))))
        session.expunge_all()
    return sorted(found, key=lambda m: m.id)


def test_many_replies_go_out_concurrently_each_once(
    settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    pairs = [(number(i), f"Saved, record {i}. Wrong? UNDO {i}") for i in range(80)]
    ids = queue(settings, pairs)
    send_outbound(*ids, settings=at(settings, fake_at))
    sent_to = [n for request in fake_at.recipients_seen() for n in request]
    assert sorted(sent_to) == sorted(to for to, _ in pairs)  # every one, once
    assert fake_at.max_in_flight > 1  # several requests were open at the same time
    assert fake_at.max_in_flight <= 32
    found = rows(settings, ids)
    assert [m.status for m in found] == ["sent"] * 80
    assert len({m.provider_id for m in found}) == 80
    assert all(m.cost == "BDT 0.5000" and m.attempts == 1 for m in found)


def test_the_pool_never_exceeds_send_concurrency(
    settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    ids = queue(settings, [(number(i), f"text {i}") for i in range(24)])
    send_outbound(*ids, settings=at(settings, fake_at, concurrency=4))
    assert 1 < fake_at.max_in_flight <= 4
    assert [m.status for m in rows(settings, ids)] == ["sent"] * 24


def test_a_retryable_failure_mid_batch_is_retried_and_a_permanent_one_recorded(
    settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    pairs = [(number(i), f"reply {i}") for i in range(40)]
    fake_at.fail_next(number(17), (500, "InternalServerError"))
    fake_at.fail_next(number(23), (403, "InvalidPhoneNumber"))
    ids = queue(settings, pairs)
    send_outbound(*ids, settings=at(settings, fake_at))
    by_to = {m.to: m for m in rows(settings, ids)}
    retried = by_to[number(17)]
    assert (retried.status, retried.attempts, retried.failure_reason) == ("sent", 2, None)
    refused = by_to[number(23)]
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert refused.failure_reason == "InvalidPhoneNumber (403)"
    others = [m for to, m in by_to.items() if to not in (number(17), number(23))]
    assert len(others) == 38 and all((m.status, m.attempts) == ("sent", 1) for m in others)
    sent_to = [n for request in fake_at.recipients_seen() for n in request]
    assert sent_to.count(number(17)) == 2 and sent_to.count(number(23)) == 1
    assert len(sent_to) == 41


def test_the_same_text_to_many_goes_as_one_request_per_chunk(
    settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    total = 2 * RECIPIENTS_PER_REQUEST + 50
    text = "The coordination meeting is due. Send MEET <total> when held."
    ids = queue(settings, [(number(i), text) for i in range(total)], kind="broadcast")
    send_outbound(*ids, settings=at(settings, fake_at))
    requests = fake_at.recipients_seen()
    assert sorted(len(r) for r in requests) == [50, RECIPIENTS_PER_REQUEST, RECIPIENTS_PER_REQUEST]
    found = rows(settings, ids)
    assert all(m.status == "sent" for m in found)
    assert len({m.provider_id for m in found}) == total  # each recipient its own id


def test_a_recipient_refused_in_a_list_is_recorded_alone(
    settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    fake_at.fail_next(number(3), (406, "UserInBlacklist"))
    ids = queue(settings, [(number(i), "same text") for i in range(6)], kind="broadcast")
    send_outbound(*ids, settings=at(settings, fake_at))
    assert len(fake_at.recipients_seen()) == 1
    statuses = {m.to: (m.status, m.failure_reason) for m in rows(settings, ids)}
    assert statuses.pop(number(3)) == ("failed", "UserInBlacklist (406)")
    assert set(statuses.values()) == {("sent", None)}


def test_the_same_text_twice_to_one_number_is_two_requests(
    settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    ids = queue(settings, [(number(1), "hello"), (number(2), "hello"), (number(1), "hello")])
    send_outbound(*ids, settings=at(settings, fake_at))
    assert sorted(map(sorted, fake_at.recipients_seen())) == [
        [number(1)],
        [number(1), number(2)],
    ]
    assert [m.status for m in rows(settings, ids)] == ["sent"] * 3
