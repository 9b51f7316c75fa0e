"""USSD end-of-session events summarised for the dashboard: statuses and where people stop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas.tables import UssdEvent
from workers.inbound.ussd import event_summary


def test_summary_counts_statuses_and_branches_where_sessions_stop(session) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    rows = [
        ("a", "Success", "1*1*12*5*7*1*1*1", now),
        ("b", "Incomplete", "1*4*845", now),
        ("c", "Incomplete", "1*4", now),
        ("d", "Failed", "", now),
        ("e", "Incomplete", "2*1*100008", now),
        ("f", "Incomplete", "1*4*9", now),
        ("old", "Incomplete", "3*1", now - timedelta(days=40)),
    ]
    for sid, status, typed, at in rows:
        session.add(
            UssdEvent(
                session_id=sid, status=status, phone="+8801712345678", input=typed, received_at=at
            )
        )
    session.commit()
    summary = event_summary(session, since=now - timedelta(days=30))
    assert summary.total == 6
    assert summary.by_status == {"Success": 1, "Incomplete": 4, "Failed": 1}
    assert summary.abandoned_at[0] == ("1*4", 3)
    assert set(summary.abandoned_at[1:]) == {("(main menu)", 1), ("2*1", 1)}
    assert event_summary(session).total == 7
