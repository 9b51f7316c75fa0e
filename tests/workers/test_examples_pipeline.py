"""Every row of examples.md's events and forgiving-reading tables through the real pipeline
(store_inbound -> drain batch -> parse -> apply -> reply), on whichever database and queue the
run uses: saved values, status and the reply's key words. The duplicate-rule rows and the
provider-clock row belong to the duplicate and provider rules (their own tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import count
from typing import Any

import pytest
from sqlalchemy import select

from schemas.envelope import InboundEnvelope
from schemas.tables import InboundMessage, OutboundMessage, Record, Referral, Reporter, Survivor
from workers.db import session_scope
from workers.inbound.process import drain_batch
from workers.inbound.store import store_inbound

RECEIVED = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # examples.md: 14:00 in Dhaka
ACTIVIST = "+8801712345679"
COUNSELLOR = "+8801712345678"
_ids = count(1)

# (text, status, record columns to compare, words the reply must contain)
NALTA: dict[str, Any] = {"union": "Nalta", "upazila": "Kaliganj"}
EVENTS: list[tuple[str, str, dict[str, Any], tuple[str, ...]]] = [
    (
        "SCH 845 S600 T45 P200 8/3/26 Kaliganj",
        "accepted",
        {
            "keyword": "SCH",
            "total": 845,
            "students": 600,
            "teachers": 45,
            "parents": 200,
            "activity_date": date(2026, 3, 8),
            "union": None,
            "upazila": "Kaliganj",
        },
        ("OK #",),
    ),
    (
        "com 350 m150 f200",
        "accepted",
        {
            "keyword": "COM",
            "total": 350,
            "m": 150,
            "f": 200,
            "activity_date": date(2026, 3, 10),
            **NALTA,
        },
        (),
    ),
    (
        "সভা ১৭ ১২/০২",
        "accepted",
        {"keyword": "MEET", "total": 17, "activity_date": date(2026, 2, 12)},
        (),
    ),
    ("meet,12;m=5,f:7", "accepted", {"total": 12, "m": 5, "f": 7}, ()),
    ("MEET M5 F7", "accepted", {"total": 12, "m": 5, "f": 7}, ()),
    ("YTH Y30 C20", "accepted", {"total": 50, "youths": 30, "cbo": 20}, ()),
    ("SCH 100 S80 T10 P10 M40 F60", "accepted", {"total": 100, "m": 40, "students": 80}, ()),
    ("MEET 12 M5 F6", "rejected", {}, ("M5+F6=11", "total is 12")),
    ("SCH 100 S80 T10 P10 M40 F50", "rejected", {}, ("M40+F50=90",)),
    ("MEET 12 M5 F7 O1", "rejected", {}, ("=13",)),
    ("MEET 0", "rejected", {}, ("1-5000",)),
    ("MEET 5001", "rejected", {}, ("1-5000",)),
    ("DAY IWD 20000", "accepted", {"day_code": "IWD", "total": 20000}, ()),
    ("DAY IWD 20001", "rejected", {}, ("1-20000",)),
    (
        "DAY IWD 1350 M600 F750",
        "accepted",
        {"day_code": "IWD", "total": 1350, "activity_date": date(2026, 3, 8)},
        (),
    ),
    ("DAY TIP 40", "rejected", {}, ("30/07/2025",)),
    ("DAY 300", "rejected", {}, ("day code missing",)),
    ("DAY XYZ 300", "rejected", {}, ("XYZ",)),
    ("MEET 12 11/3/26", "rejected", {}, ("after today",)),
    ("MEET 12 24/1/26", "accepted", {"activity_date": date(2026, 1, 24)}, ()),
    ("MEET 12 23/1/26", "rejected", {}, ("46 days",)),
    ("MEET 12 31/2", "rejected", {}, ("no such date",)),
    ("MEET 12 aj", "accepted", {"activity_date": date(2026, 3, 10)}, ()),
    ("MEET 12 gotokal", "accepted", {"activity_date": date(2026, 3, 9)}, ()),
    ("MEET 12 আজ", "accepted", {"activity_date": date(2026, 3, 10)}, ()),
    ("MEET 12 10-03-2026", "accepted", {"activity_date": date(2026, 3, 10)}, ()),
    ("MEET 12 10.3.26", "accepted", {"activity_date": date(2026, 3, 10)}, ()),
    (
        "MEET 12 Shyamnagr",
        "accepted",
        {"upazila": "Shyamnagar", "union": None},
        ("Shyamnagar (upazila)",),
    ),
    ("MEET 12 Atlantis", "rejected", {}, ("Atlantis", "Try:")),
    ("MEETT 12", "accepted", {"keyword": "MEET", "total": 12}, ("MEET",)),
    ("MET 12", "accepted", {"keyword": "MEET", "total": 12}, ("MEET",)),
    ("HELLO 12", "rejected", {}, ("'HELLO' not understood", "MEET UPD")),
    ("", "rejected", {}, ("You may send",)),
    (",,;;", "rejected", {}, ("You may send",)),
    ("IC 123459", "rejected", {}, ("counsellor",)),
]
M150: dict[str, Any] = {"keyword": "COM", "total": 350, "m": 150, "f": 200, **NALTA}
FORGIVING: list[tuple[str, str, dict[str, Any], tuple[str, ...]]] = [
    ("COM 350 M150 F200 thanks", "accepted", M150, ("(M150 F200)", "Nalta")),
    ("com 350 m150 f200 dhonnobad", "accepted", M150, ("Nalta",)),
    ("COM 350 M150 F200 -Rina", "accepted", M150, ("Nalta",)),
    ("COM 350 M150 F200 Nalta. Rina", "accepted", M150, ("Nalta",)),
    ("Re: COM 350 M150 F200", "accepted", M150, ("Pot song",)),
    *[
        (t, "accepted", {"keyword": "MEET", "total": 15, "m": 6, "f": 9}, ("(M6 F9)",))
        for t in (
            "meet 15, m6, f9.",
            "Meet 15. M6. F9",
            "MEET 15 M 6 F 9",
            "MEET 15 M-6 F-9",
            "MEET 15 M= 6 F= 9",
            "meet-15 m-6 f-9",
        )
    ],
    ("MEET 12 (M5 F7)", "accepted", {"total": 12, "m": 5, "f": 7}, ("(M5 F7)",)),
    ("সভা ১৪ পু ৫ ম ৯", "accepted", {"total": 14, "m": 5, "f": 9}, ()),
    *[
        (t, "accepted", {"keyword": "MEET", "total": 12, "m": 5, "f": 7}, ("(M5 F7)",))
        for t in ("সভা ১২ পুরুষ ৫ নারী ৭", "MEET 12 male 5 female 7", "MEET 12 5M 7F", "সভা ১২ পু৫ ম৭।")
    ],
    (
        "SCH845M300F545",
        "accepted",
        {"keyword": "SCH", "total": 845, "m": 300, "f": 545},
        ("845 (M300 F545)",),
    ),
    ("SCH 845 M300F545", "accepted", {"total": 845, "m": 300, "f": 545}, ()),
    ("upd40", "accepted", {"keyword": "UPD", "total": 40}, ("UP dialogue 40",)),
    ("DAY IWD300", "accepted", {"day_code": "IWD", "total": 300}, ("Women's Day 300",)),
    ("DAY IWD 1,350 M600 F750", "accepted", {"day_code": "IWD", "total": 1350}, ("1350",)),
    *[
        (t, "accepted", {"total": 12, "activity_date": date(2026, 3, 8)}, ("08/03/2026",))
        for t in (
            "MEET 12 M5 F7 8 march",
            "MEET 12 8 mar",
            "MEET 12 8th March",
            "MEET 12 ৮ মার্চ",
            "MEET 12 on 8/3",
            "MEET 12 date 8/3",
            "MEET 8 March 12",
        )
    ],
    ("LED 33 goto kal", "accepted", {"keyword": "LED", "activity_date": date(2026, 3, 9)}, ()),
    ("LED 33 ajke", "accepted", {"keyword": "LED", "activity_date": date(2026, 3, 10)}, ()),
    ("LED 33 kal", "rejected", {}, ("gotokal",)),
    ("COM 209 Gabura union", "accepted", {"union": "Gabura"}, ("Gabura",)),
    ("সভা ১৬ গাবুরা ইউনিয়ন", "accepted", {"union": "Gabura", "total": 16}, ()),
    ("COM 210 Nalta, Kaliganj", "accepted", {"union": "Nalta", "total": 210}, ()),
    ("MEET 12 M5 F7 COM 200 M80 F120", "rejected", {}, ("one report per SMS",)),
    ("mot 45", "rejected", {}, ("'mot' not understood",)),
    ("apr 12", "rejected", {}, ("'apr' not understood",)),
    ("SCH 845 M300 F545 -Kaliganj", "accepted", {"upazila": "Kaliganj", "union": None}, ()),
    ("MEET 5O", "rejected", {}, ("'5O' not understood",)),
    ("MEET 3 March 9", "rejected", {}, ("D/M",)),
    ("ok", "ignored", {}, ()),
    ("ধন্যবাদ", "ignored", {}, ()),
    ("👍", "ignored", {}, ()),
    ("MEET: 12", "accepted", {"total": 12}, ()),
    ("? SCH", "accepted", {}, ("School session: SCH",)),
    ("SCH?", "accepted", {}, ("School session: SCH",)),
    ("MEET 12 Xyz7", "rejected", {}, ("'Xyz7' not understood",)),
    (
        "TRN 16 M6 F10 TOPIC facilitation, advocacy",
        "accepted",
        {"keyword": "TRN", "total": 16, "topic": "facilitation, advocacy"},
        ("topic saved",),
    ),
]


@pytest.fixture
def people(settings):  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        for phone, role in ((ACTIVIST, "activist"), (COUNSELLOR, "counsellor")):
            s.add(
                Reporter(
                    phone=phone,
                    name="Rina Akter",
                    role=role,
                    union="Nalta",
                    upazila="Kaliganj",
                    language="en",
                    active=True,
                    created_at=RECEIVED,
                )
            )
    return settings


def send(
    settings, text: str, sender: str = ACTIVIST
) -> tuple[
    InboundMessage,
    str | None,  # type: ignore[no-untyped-def]
    Record | None,
]:
    """Store as a webhook does (stored at the provider's time), drain, read what it left."""
    with session_scope(settings) as s:
        message, _ = store_inbound(
            s,
            settings,
            InboundEnvelope(
                channel="sms",
                provider="at",
                provider_id=f"ex-{next(_ids)}",
                sender=sender,
                text=text,
                provider_time=RECEIVED,
            ),
        )
        message.stored_at = RECEIVED
        message_id = message.id
    drain_batch(settings)
    with session_scope(settings) as s:
        message = s.get(InboundMessage, message_id)
        assert message is not None
        reply = s.scalar(
            select(OutboundMessage.text).where(OutboundMessage.inbound_id == message_id)
        )
        record = s.scalar(select(Record).where(Record.inbound_id == message_id))
        s.expunge_all()
        return message, reply, record


@pytest.mark.parametrize(
    ("text", "status", "columns", "words"),
    EVENTS + FORGIVING,
    ids=[row[0] or "(empty)" for row in EVENTS + FORGIVING],
)
def test_example_row_through_the_pipeline(
    people,
    text: str,
    status: str,  # type: ignore[no-untyped-def]
    columns: dict[str, Any],
    words: tuple[str, ...],
) -> None:
    message, reply, record = send(people, text)
    assert message.status == status, (message.reason, reply)
    if status == "ignored":
        assert reply is None and record is None  # no reply: it must not start a reply loop
        return
    assert reply is not None
    for word in words:
        assert word in reply, (word, reply)
    if columns:
        assert record is not None, reply
        for name, value in columns.items():
            assert getattr(record, name) == value, (name, reply)
    elif status == "rejected":
        assert record is None
        assert "Try:" not in reply or "Atlantis" in text  # place names only for a place word


def test_survivor_rows_read_forgivingly_through_the_pipeline(people) -> None:  # type: ignore[no-untyped-def]
    with session_scope(people) as s:
        s.add(
            Survivor(
                code="100009",
                sex="M",
                age=30,
                is_child=False,
                upazila="Kaliganj",
                union="Nalta",
                enrolled_on=date(2026, 1, 5),
                active=True,
                created_at=RECEIVED,
            )
        )
    for text in ("IC 100 009", "IC 100009.", "IC S-100-009"):
        message, reply, record = send(people, text, COUNSELLOR)
        assert message.status == "accepted" and record is not None, reply
        assert reply is not None and "100009" in reply
    message, reply, _ = send(people, "IC 100 008", COUNSELLOR)
    assert message.status == "rejected" and reply is not None and "not valid" in reply
    message, reply, _ = send(people, "ENR F 17 Gabra", COUNSELLOR)
    assert message.status == "rejected" and reply is not None
    assert "place not understood" in reply and "Gabura" not in reply and "Try" not in reply
    message, reply, record = send(people, "REF 100009 H", COUNSELLOR)
    assert message.status == "accepted" and reply is not None and " H " in reply
    with session_scope(people) as s:
        number = s.scalar(select(Referral.id))
    message, reply, record = send(people, f"REF {number} DONE", COUNSELLOR)
    assert message.status == "accepted" and reply is not None
    assert f"R{number} 100009 H: received" in reply
    message, reply, record = send(people, f"REF R{number} NO", COUNSELLOR)
    assert reply is not None and f"R{number} 100009 H: changed to not received" in reply
    for word in ("health", "legal", "shelter", "trauma"):
        assert word not in reply.casefold()
