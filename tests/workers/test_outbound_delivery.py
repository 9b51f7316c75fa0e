"""Delivery reports move a message forward only: late, repeated or shuffled reports lose."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from schemas.provider_values import provider_key
from schemas.tables import OutboundMessage
from workers.outbound.delivery import apply_delivery_report

CASES = json.loads((Path(__file__).parent.parent / "data" / "at_delivery_cases.json").read_text())


def sent_message(
    session: Session, provider_id: str = "ATXid_1", cost: str | None = "BDT 0.5000"
) -> OutboundMessage:
    """A reply the provider accepted, waiting for its delivery reports."""
    now = datetime.now(UTC)
    message = OutboundMessage(
        to="+8801711000001",
        text="Thanks",
        kind="reply",
        backend="africastalking",
        status="sent",
        provider_status="Success",
        provider_id=provider_id,
        cost=cost,
        attempts=1,
        created_at=now,
        updated_at=now,
    )
    session.add(message)
    session.flush()
    return message


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_reports_in_any_order_end_in_the_right_state(session: Session, case: dict) -> None:
    message = sent_message(session)
    for report in case["reports"]:
        found = apply_delivery_report(
            session,
            provider_id="ATXid_1",
            status=report["status"],
            failure_reason=report.get("failureReason"),
        )
        assert found is not None and found.id == message.id
        session.commit()
    session.refresh(message)
    expect = case["expect"]
    assert message.status == expect["status"]
    assert message.provider_status == expect["provider_status"]
    assert message.failure_reason == expect["failure_reason"]


def test_unknown_provider_id_returns_none(session: Session) -> None:
    sent_message(session)
    assert apply_delivery_report(session, provider_id="ATXid_other", status="Success") is None


def test_report_touches_only_its_own_message(session: Session) -> None:
    mine = sent_message(session, "ATXid_1")
    other = sent_message(session, "ATXid_2")
    apply_delivery_report(session, provider_id="ATXid_1", status="Success")
    assert (mine.status, other.status) == ("delivered", "sent")


def test_sms_gateway_words_follow_the_same_rules(session: Session) -> None:
    # SMS Gateway for Android reports with its own words; the same forward-only rules apply.
    message = sent_message(session, "sg-1")
    apply_delivery_report(session, provider_id="sg-1", status="Delivered")
    apply_delivery_report(session, provider_id="sg-1", status="sent")
    assert (message.status, message.failure_reason) == ("delivered", None)


@pytest.mark.parametrize("order", [("delivered", "failed"), ("failed", "delivered")])
def test_a_failed_part_of_a_multipart_reply_wins(session: Session, order: tuple) -> None:
    # SMS Gateway reports each part: one `sms:delivered` part and one `sms:failed` part make
    # a reply that did not fully arrive, whichever report comes first.
    message = sent_message(session, "sg-2")
    for word in order:
        apply_delivery_report(session, provider_id="sg-2", status=word, failure_reason="part 2")
    assert (message.status, message.failure_reason) == ("failed", "part 2")


def test_africas_talking_final_status_is_never_overwritten(session: Session) -> None:
    message = sent_message(session, "ATXid_9")
    apply_delivery_report(session, provider_id="ATXid_9", status="Success")
    apply_delivery_report(session, provider_id="ATXid_9", status="Failed")
    assert message.status == "delivered"


def test_a_long_provider_id_is_found_by_its_report(session: Session) -> None:
    long_id = "gw-" + "x" * 150
    message = sent_message(session, provider_key(long_id))
    assert apply_delivery_report(session, provider_id=long_id, status="Delivered") is message
    other = "gw-" + "x" * 150 + "y"
    assert apply_delivery_report(session, provider_id=other, status="Delivered") is None


def test_report_does_not_commit(session: Session) -> None:
    message = sent_message(session)
    session.commit()
    apply_delivery_report(session, provider_id="ATXid_1", status="Success")
    session.rollback()
    session.refresh(message)
    assert message.status == "sent"
