"""Records through the real pipeline: stored message -> a batch of one -> record and reply."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.envelope import InboundEnvelope
from schemas.tables import Record, Referral, Reporter, Survivor
from workers.inbound.process import process_one
from workers.inbound.store import store_inbound
from workers.settings import Settings

NOW = datetime.now(UTC).replace(microsecond=0)
FORBIDDEN = ("trafficking", "survivor", "ashshash", "পাচার", "ভুক্তভোগী", "সারভাইভার", "আশ্বাস")


def counsellor(session: Session) -> Reporter:
    reporter = Reporter(
        phone="+8801712345678",
        name="Shirin",
        role="counsellor",
        union="Nalta",
        upazila="Kaliganj",
        language="en",
        active=True,
        created_at=NOW,
    )
    session.add(reporter)
    session.flush()
    return reporter


def sms(session: Session, settings: Settings, text: str, at: datetime = NOW) -> str:
    message, _ = store_inbound(
        session,
        settings,
        InboundEnvelope(
            channel="sms",
            provider="at",
            provider_id=f"{text}@{at.isoformat()}",
            sender="01712345678",
            text=text,
            provider_time=at,
        ),
    )
    result = process_one(session, settings, message, reply_by_sms=False, rng=random.Random(text))
    session.flush()
    reply = result.reply_text or ""
    assert not any(word in reply.lower() for word in FORBIDDEN), reply
    return reply


def test_enrol_session_certificate_and_referral_by_sms(
    session: Session, settings: Settings
) -> None:
    counsellor(session)
    reply = sms(session, settings, "ENR F 16 Gabura")
    survivor = session.scalar(select(Survivor))
    assert survivor is not None and survivor.code in reply
    # The reply carries the code but never the age, sex or place.
    assert "16" not in reply.replace(survivor.code, "") and "Gabura" not in reply
    code = survivor.code
    assert "OK" in sms(session, settings, f"IC {code}", NOW + timedelta(seconds=1))
    sms(session, settings, f"CERT {code}", NOW + timedelta(seconds=2))
    cert = session.scalar(select(Record).where(Record.keyword == "CERT"))
    assert cert is not None and cert.status == "active"
    ref_reply = sms(session, settings, f"REF {code} H", NOW + timedelta(seconds=3))
    referral = session.scalar(select(Referral))
    assert referral is not None and f"R{referral.id}" in ref_reply
    sms(session, settings, f"REF R{referral.id} DONE", NOW + timedelta(seconds=4))
    assert referral.outcome == "DONE"


def test_undo_by_sms_cancels_and_a_resent_text_is_not_recorded_twice(
    session: Session, settings: Settings
) -> None:
    counsellor(session)
    first = sms(session, settings, "MEET 12")
    number = int(re.search(r"#(\d+)", first).group(1))  # type: ignore[union-attr]
    sms(session, settings, "MEET 12", NOW + timedelta(minutes=3))
    assert len(session.scalars(select(Record)).all()) == 1
    sms(session, settings, f"UNDO {number}", NOW + timedelta(minutes=4))
    record = session.get(Record, number)
    assert record is not None and record.status == "cancelled"
