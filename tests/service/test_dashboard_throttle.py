"""The reporters page shows the numbers past SENDER_HOURLY_LIMIT as throttled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from schemas.tables import InboundMessage, OutboundMessage, Reporter
from tests.service.test_dashboard import as_role

PHONE = "+8801712345678"


def replies(session: Session, phone: str, n: int, minutes_ago: float = 5) -> None:
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    for i in range(n):
        message = InboundMessage(
            channel="sms",
            provider="at",
            provider_id=f"{phone}-{i}",
            sender=phone,
            text=f"MEET {i + 1}",
            provider_time=at,
            stored_at=at,
            status="accepted",
        )
        session.add(message)
        session.flush()
        session.add(
            OutboundMessage(
                inbound_id=message.id,
                to=phone,
                text="OK",
                kind="reply",
                backend="outbox",
                status="sent",
                created_at=at,
                updated_at=at,
            )
        )
    session.commit()


def test_a_number_past_the_limit_shows_as_throttled(client, session, settings) -> None:  # type: ignore[no-untyped-def]
    session.add(
        Reporter(
            phone=PHONE,
            name="Rina",
            role="activist",
            union="Nalta",
            upazila="Kaliganj",
            language="en",
            active=True,
            created_at=datetime.now(UTC),
        )
    )
    replies(session, PHONE, settings.sender_hourly_limit)
    replies(session, "+8801812345678", settings.sender_hourly_limit - 1)  # one short
    replies(session, "+8801912345678", settings.sender_hourly_limit, minutes_ago=61)  # old
    as_role(client, session, "coordinator")
    page = client.get("/reporters").get_data(as_text=True)
    assert "Replies paused" in page and PHONE in page
    assert "+8801812345678" not in page and "+8801912345678" not in page
    cell = f'<td data-label="Replies in the last hour">{settings.sender_hourly_limit}</td>'
    assert cell in page


def test_nothing_is_shown_when_no_number_is_throttled(client, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    assert "Replies paused" not in client.get("/reporters").get_data(as_text=True)


def test_a_viewer_sees_the_throttled_number_masked(client, session, settings) -> None:  # type: ignore[no-untyped-def]
    replies(session, PHONE, settings.sender_hourly_limit)
    as_role(client, session, "viewer")
    page = client.get("/reporters").get_data(as_text=True)
    assert "Replies paused" in page and PHONE not in page and "+88017" in page
