"""Rina, the registered reporter the end-to-end tests send as (Anulia union, Assasuni)."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.tables import Reporter
from workers.db import session_scope
from workers.settings import Settings

PHONE = "+8801712345678"


def add_reporter(settings: Settings, role: str = "counsellor") -> None:
    """Register Rina in a transaction of her own, committed before the test sends anything."""
    with session_scope(settings) as session:
        session.add(
            Reporter(
                phone=PHONE,
                name="Rina",
                role=role,
                union="Anulia",
                upazila="Assasuni",
                language="en",
                active=True,
                created_at=datetime.now(UTC),
            )
        )
