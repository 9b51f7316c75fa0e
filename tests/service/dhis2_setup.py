"""Shared by the DHIS2 push tests: a small mapping, two records, and a fake DHIS2 per test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from schemas.tables import InboundMessage, Record, Reporter
from tests.fakes.dhis2_server import FakeDhis2
from workers.settings import Settings

MAPPING = """
data_set = "ASHSHASH_CTIP_MONTHLY"
period_type = "Monthly"
id_scheme = "code"

[org_units]
"Satkhira" = "OU_SAT"
"Assasuni" = "OU_ASS"
"Assasuni/Anulia" = "OU_ANULIA"

[[values]]
indicator = "events.SCH.participants"
data_element = "SCH_PART"
level = "union"
[values.category_option_combos]
M = "MALE"
F = "FEMALE"
O = "OTHER"
"" = "NOT_GIVEN"

[[values]]
indicator = "events.SCH.count"
data_element = "SCH_COUNT"
level = "union"
"""
# What MAPPING sends for March 2021 with the two records below.
MARCH_VALUES = 5
TOKEN = "d2pat_Z3xQ9secretTOKEN0123456789"


def write_mapping(settings: Settings, text: str = MAPPING) -> None:
    folder = Path(settings.instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dhis2.toml").write_text(text, encoding="utf-8")


def add_school_session(
    session: Session, *, total: int = 40, m: int = 10, f: int = 20, day: date = date(2021, 3, 8)
) -> None:
    """One SCH record in Anulia (Assasuni), as the pipeline would have stored it."""
    reporter = session.query(Reporter).first()
    if reporter is None:
        reporter = Reporter(
            phone="+8801712345678",
            name="Rina",
            role="activist",
            union="Anulia",
            upazila="Assasuni",
            language="en",
            active=True,
            created_at=datetime.now(UTC),
        )
        session.add(reporter)
        session.flush()
    n = session.query(InboundMessage).count()
    at = datetime.now(UTC)
    msg = InboundMessage(
        channel="sms",
        provider="at",
        provider_id=f"dhis2-{n}",
        sender=reporter.phone,
        text=f"SCH {total}",
        provider_time=at,
        stored_at=at,
        status="processed",
        reporter_id=reporter.id,
        processed_at=at,
    )
    session.add(msg)
    session.flush()
    session.add(
        Record(
            inbound_id=msg.id,
            reporter_id=reporter.id,
            channel="sms",
            keyword="SCH",
            status="active",
            activity_date=day,
            received_at=at,
            created_at=at,
            total=total,
            m=m,
            f=f,
            o=0,
            upazila="Assasuni",
            union="Anulia",
        )
    )
    session.commit()


@pytest.fixture
def fake_dhis2() -> Iterator[FakeDhis2]:
    fake = FakeDhis2(token=TOKEN).start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short timeouts and backoff, so retry tests take a second, not minutes."""
    monkeypatch.setattr("workers.dhis2.push.TIMEOUT", 0.4)
    monkeypatch.setattr("workers.dhis2.push.BACKOFF", 0.01)
