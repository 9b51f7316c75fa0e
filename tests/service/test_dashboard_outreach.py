"""The outreach pages as a coordinator sees them: month's use, due now, broadcast preview,
send and per-recipient status; viewers kept out; the reporters page marks silent ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.tables import Broadcast, OutboundMessage, Reporter
from tests.service.test_dashboard import as_role, page_token
from workers.settings import Settings


def _reporters(session: Session, n: int, *, joined_days_ago: int = 5) -> None:
    session.add_all(
        Reporter(
            phone=f"+8801910{i:06d}",
            name=f"Activist {i}",
            role="activist",
            union="Kulia",
            upazila="Debhata",
            language="en",
            active=True,
            created_at=datetime.now(UTC) - timedelta(days=joined_days_ago),
        )
        for i in range(n)
    )
    session.commit()


def test_viewers_cannot_open_outreach(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "viewer")
    assert client.get("/outreach").status_code == 403
    assert client.get("/outreach/broadcast").status_code == 403
    assert b'href="/outreach"' not in client.get("/").data


def test_preview_shows_recipients_and_cost_then_send_shows_status(
    client,
    session: Session,
    settings: Settings,  # type: ignore[no-untyped-def]
) -> None:
    _reporters(session, 3)
    as_role(client, session, "coordinator")
    page = client.get("/outreach")
    assert page.status_code == 200 and b"Due now" in page.data
    form = {
        "group": "Debhata",
        "text": "Office closed on Sunday.",
        "action": "preview",
        "csrf_token": page_token(client),
    }
    preview = client.post("/outreach/broadcast", data=form)
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "<strong>3</strong> recipients" in html and "<strong>3</strong> segments" in html
    assert "+8801910000002" in html
    assert session.scalar(select(func.count()).select_from(Broadcast)) == 0  # nothing yet
    sent = client.post("/outreach/broadcast", data={**form, "action": "send"})
    assert sent.status_code == 302
    status = client.get(sent.headers["Location"])
    text = status.get_data(as_text=True)
    assert status.status_code == 200 and text.count("+88019100000") == 3
    assert "sent: 3" in text or "queued: 3" in text
    assert session.scalar(select(func.count()).where(OutboundMessage.kind == "broadcast")) == 3


def test_a_bad_group_is_a_clear_400(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    answer = client.post(
        "/outreach/broadcast",
        data={
            "group": "Nowhere",
            "text": "hi",
            "action": "preview",
            "csrf_token": page_token(client),
        },
    )
    assert answer.status_code == 400 and b"no one in group" in answer.data


def test_reporters_page_marks_silent_reporters(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    _reporters(session, 1, joined_days_ago=45)
    as_role(client, session, "coordinator")
    html = client.get("/reporters").get_data(as_text=True)
    assert 'Activist 0 <span class="badge st-duplicate">silent</span>' in html
