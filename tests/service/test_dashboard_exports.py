"""CSV exports (filtered as on screen; viewers get masked, k = 11 versions), pipeline flags on
the overview and messages pages, and the bundled Bengali web font."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from schemas.tables import InboundMessage, OutboundMessage
from service.dashboard import flags
from tests.service.test_dashboard import SURVIVOR_UNION, as_role, seed


def _rows(answer) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))


def test_records_csv_follows_the_filters_for_a_coordinator(client, session) -> None:  # type: ignore[no-untyped-def]
    data = seed(session)
    as_role(client, session, "coordinator")
    every = _rows(client.get("/records.csv"))
    assert {r["type"] for r in every} == {"SCH", "ENR", "IC", "REF"}
    assert {r["code"] for r in every if r["type"] == "IC"} == {data["survivor"]}
    only = _rows(client.get("/records.csv?type=SCH"))
    assert [(r["type"], r["total"], r["students"]) for r in only] == [("SCH", "845", "600")]
    # A survivor's place never leaves, even for a coordinator.
    assert SURVIVOR_UNION not in client.get("/records.csv").get_data(as_text=True)


def test_records_csv_for_a_viewer_counts_survivor_records_with_the_floor(client, session) -> None:  # type: ignore[no-untyped-def]
    data = seed(session)
    as_role(client, session, "viewer")
    answer = client.get("/records.csv")
    rows = _rows(answer)
    assert "public" in answer.headers["Content-Disposition"]
    assert "code" not in rows[0]
    assert data["survivor"] not in answer.get_data(as_text=True)
    events = [r for r in rows if r["id"]]
    summary = [r for r in rows if not r["id"]]
    assert [r["type"] for r in events] == ["SCH"]
    assert {r["type"] for r in summary} == {"ENR", "IC", "REF"}
    assert {r["records"] for r in summary} == {"<11"}
    assert all(len(r["activity_date"]) == 7 for r in summary)  # a month, not a day


def test_messages_csv_masks_and_hides_for_a_viewer(client, session) -> None:  # type: ignore[no-untyped-def]
    data = seed(session)
    as_role(client, session, "viewer")
    rows = _rows(client.get("/messages.csv"))
    assert all("•" in r["phone"] for r in rows)
    texts = {r["text"] for r in rows}
    assert "SCH 845 S600 T45 P200 Kaliganj" in texts
    assert not any(data["survivor"] in t for t in texts)
    out = _rows(client.get("/messages.csv?direction=out"))
    assert [r["direction"] for r in out] == ["out"]


def test_messages_csv_for_a_coordinator_keeps_the_status_filter(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "coordinator")
    rows = _rows(client.get("/messages.csv?status=rejected"))
    assert [r["status"] for r in rows] == ["rejected"]
    # A text that a spreadsheet would run as a formula is defused.
    now = datetime.now(UTC)
    session.add(
        InboundMessage(
            channel="sms",
            provider="at",
            provider_id="f1",
            sender="+1",
            text='=HYPERLINK("x")',
            provider_time=now,
            stored_at=now,
            status="ignored",
        )
    )
    session.commit()
    texts = [r["text"] for r in _rows(client.get("/messages.csv?status=ignored"))]
    assert texts == ['\'=HYPERLINK("x")']


def test_clock_flags_and_send_failures_are_shown(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    now = datetime.now(UTC)
    session.add(
        InboundMessage(
            channel="sms",
            provider="at",
            provider_id="clk",
            sender="+1",
            text="MEET 3",
            provider_time=now,
            stored_at=now,
            status="ignored",
            flags="clock",
        )
    )
    for n in range(2):
        session.add(
            OutboundMessage(
                to=f"+88017110000{n}",
                text="x",
                kind="reply",
                backend="africastalking",
                status="failed",
                failure_reason="InsufficientBalance",
                created_at=now,
                updated_at=now,
            )
        )
    session.commit()
    as_role(client, session, "coordinator")
    overview = client.get("/").get_data(as_text=True)
    assert "<strong>1</strong> messages flagged clock" in overview
    assert "InsufficientBalance" in overview
    flagged = client.get("/messages?flag=clock").get_data(as_text=True)
    assert "1 found" in flagged and 'class="badge flag-clock"' in flagged
    rows = _rows(client.get("/messages.csv?flag=clock"))
    assert [r["flags"] for r in rows] == ["clock"]


def test_throttled_numbers_come_from_the_throttle_module_when_there(
    client, session, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import types

    as_role(client, session, "viewer")
    assert "None right now." in client.get("/").get_data(as_text=True)
    fake = types.ModuleType("workers.outbound.throttle")
    fake.throttled_numbers = lambda session, settings, now: [("+8801711000009", 60)]  # type: ignore[attr-defined]
    real_import = flags.importlib.import_module
    name_of = "workers.outbound.throttle"
    monkeypatch.setattr(
        flags.importlib,
        "import_module",
        lambda name: fake if name == name_of else real_import(name),
    )
    body = client.get("/").get_data(as_text=True)
    assert "+88017•••••009" in body and "+8801711000009" not in body


def test_the_bengali_font_is_served_by_the_app_and_named_in_the_css(client) -> None:  # type: ignore[no-untyped-def]
    css = client.get("/dashboard-static/dashboard.css").get_data(as_text=True)
    assert "../dashboard-fonts/NotoSansBengali-Regular.ttf" in css
    assert "http" not in css.replace("http-equiv", "")
    font = client.get("/dashboard-fonts/NotoSansBengali-Regular.ttf")
    assert font.status_code == 200 and font.data[:4] == b"\x00\x01\x00\x00"
    assert "max-age" in font.headers["Cache-Control"]
    assert b"SIL OPEN FONT LICENSE" in client.get("/dashboard-fonts/OFL.txt").data.upper()
    assert client.get("/dashboard-fonts/..%2Fauth.py").status_code == 404
