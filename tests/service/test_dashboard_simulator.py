"""Dashboard phone simulator and report page: the real pipeline and the real renderers."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from schemas.tables import InboundMessage, OutboundMessage, Record, Reporter
from tests.service.test_dashboard import as_role, page_token, seed


def _reporter(session) -> Reporter:  # type: ignore[no-untyped-def]
    reporter = Reporter(
        phone="+8801711000009",
        name="Shila",
        role="activist",
        union="Nalta",
        upazila="Kaliganj",
        language="en",
        created_at=datetime.now(UTC),
    )
    session.add(reporter)
    session.commit()
    return reporter


def test_simulator_makes_a_record_and_shows_the_reply(client, session) -> None:  # type: ignore[no-untyped-def]
    reporter = _reporter(session)
    as_role(client, session, "coordinator")
    listed = client.get("/reporters").get_data(as_text=True)
    assert "/simulator?reporter=%2B8801711000009" in listed
    form = client.get("/simulator?reporter=%2B8801711000009").get_data(as_text=True)
    assert '<option value="+8801711000009" selected>' in form
    answer = client.post(
        "/simulator",
        data={
            "csrf_token": page_token(client),
            "reporter": reporter.phone,
            "text": "MEET 12 M5 F7",
        },
    )
    assert answer.status_code == 200
    record = session.scalars(select(Record)).one()
    assert (record.keyword, record.total, record.m, record.f) == ("MEET", 12, 5, 7)
    assert record.reporter_id == reporter.id
    body = html.unescape(answer.get_data(as_text=True))
    reply = re.search(r'<p class="bubble in" id="reply">(.*?)</p>', body, re.S)
    assert reply is not None and f"#{record.id}" in reply.group(1)
    message = session.scalars(select(InboundMessage)).one()
    assert (message.provider, message.status, message.record_id) == ("web", "accepted", record.id)
    # Shown on screen only: nothing is queued to text the reporter's real phone.
    assert session.scalars(select(OutboundMessage)).all() == []


def test_simulator_typed_phone_and_a_mistake(client, session) -> None:  # type: ignore[no-untyped-def]
    _reporter(session)
    as_role(client, session, "coordinator")
    answer = client.post(
        "/simulator",
        data={"csrf_token": page_token(client), "phone": "01711-000009", "text": "MEET 12 M5 F6"},
    )
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "not saved" in body
    assert session.scalars(select(Record)).all() == []
    stranger = client.post(
        "/simulator",
        data={"csrf_token": page_token(client), "phone": "01999999999", "text": "MEET 12"},
    )
    assert stranger.status_code == 200
    assert session.scalars(select(Record)).all() == []
    empty = client.post("/simulator", data={"csrf_token": page_token(client), "text": "MEET 1"})
    assert empty.status_code == 200 and "Choose a reporter" in empty.get_data(as_text=True)


@pytest.mark.slow
def test_report_page_shows_the_narrative_and_downloads(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "coordinator")
    year = datetime.now(UTC).year
    page = client.get(f"/report?period={year}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "<h2>Well-being of survivors of trafficking</h2>" in body and "Satkhira" in body
    assert "school/madrasah/college with 845 participants" in body
    for fmt, magic in (("xlsx", b"PK"), ("docx", b"PK"), ("pdf", b"%PDF")):
        answer = client.get(f"/report/download.{fmt}?period={year}")
        assert answer.status_code == 200, fmt
        assert answer.data.startswith(magic)
        assert "attachment" in answer.headers["Content-Disposition"]
    assert client.get("/report?period=nonsense").status_code == 400
    assert client.get("/report?upazila=Nowhere").status_code == 400
    # Dates picked in the form win over the period box it keeps filled in.
    dated = client.get(f"/report?period=1999&from={year}-01-01&to={year}-12-31")
    assert dated.status_code == 200 and "845 participants" in dated.get_data(as_text=True)
    elsewhere = client.get(f"/report?period={year}&upazila=Tala").get_data(as_text=True)
    assert "845 participants" not in elsewhere
    assert client.get("/report/download.exe?period=2021").status_code == 404


def test_viewer_report_is_the_public_version(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "viewer")
    year = datetime.now(UTC).year
    body = client.get(f"/report?period={year}").get_data(as_text=True)
    assert "&lt;11" in body
    md = client.get(f"/report/download.md?period={year}&public=0").get_data(as_text=True)
    assert "<11" in md
