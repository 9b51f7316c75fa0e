"""The USSD webhook end to end: hops over HTTP, Save through the SMS pipeline, retries, events."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.envelope import InboundEnvelope
from schemas.tables import InboundMessage, Record, Reporter, UssdEvent
from workers.inbound.process import process_one
from workers.inbound.store import store_inbound

NOW = datetime.now(UTC).replace(microsecond=0)
PHONE = "+8801712345678"
URL = "/hooks/test-token/at/ussd"
# Record columns that may differ between a USSD Save and the equivalent SMS.
SOURCE_ONLY = {"id", "inbound_id", "channel", "created_at"}


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("service.hooks.ussd._now", lambda: NOW)


def add_reporter(
    session: Session,
    role: str = "counsellor",
    phone: str = PHONE,
    union: str | None = "Nalta",
    language: str = "en",
    active: bool = True,
) -> Reporter:
    reporter = Reporter(
        phone=phone,
        name="Shirin",
        role=role,
        union=union,
        upazila="Kaliganj",
        language=language,
        active=active,
        created_at=NOW,
    )
    session.add(reporter)
    session.commit()
    return reporter


def hop(client, text: str, session_id: str = "ATUid_1", phone: str = "01712345678") -> str:  # type: ignore[no-untyped-def]
    response = client.post(
        URL,
        data={
            "sessionId": session_id,
            "serviceCode": "*384*7#",
            "phoneNumber": phone,
            "networkCode": "47001",
            "text": text,
        },
    )
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert body.startswith(("CON ", "END ")) and len(body) <= 160
    return body


def walk(client, path: str, session_id: str = "ATUid_1") -> str:  # type: ignore[no-untyped-def]
    """Post every hop of a path, as the provider does, and return the last screen."""
    inputs = path.split("*")
    body = hop(client, "", session_id)
    for n in range(1, len(inputs) + 1):
        assert body.startswith("CON "), (inputs[:n], body)
        body = hop(client, "*".join(inputs[:n]), session_id)
    return body


def sms(session: Session, settings, text: str, provider_id: str) -> int | None:  # type: ignore[no-untyped-def]
    message, _ = store_inbound(
        session,
        settings,
        InboundEnvelope(
            channel="sms",
            provider="at",
            provider_id=provider_id,
            sender=PHONE,
            text=text,
            provider_time=NOW,
        ),
    )
    result = process_one(session, settings, message, reply_by_sms=True)
    session.commit()
    return result.record_id


def record_number(body: str) -> int:
    assert body.startswith("END Saved #"), body
    return int(body.split("#", 1)[1].split(".", 1)[0])


def fields(session: Session, record_id: int) -> dict:
    record = session.get(Record, record_id)
    assert record is not None
    return {
        c.name: getattr(record, c.name)
        for c in Record.__table__.columns
        if c.name not in SOURCE_ONLY
    }


def test_unregistered_caller_gets_one_line_end(client, session) -> None:  # type: ignore[no-untyped-def]
    body = hop(client, "")
    assert body.startswith("END ") and "not registered" in body and "\n" not in body
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 0


def test_deactivated_caller_is_not_registered(client, session) -> None:  # type: ignore[no-untyped-def]
    add_reporter(session, active=False)
    assert "not registered" in hop(client, "1")


def test_wrong_token_is_404(client, session) -> None:  # type: ignore[no-untyped-def]
    add_reporter(session)
    response = client.post("/hooks/nope/at/ussd", data={"sessionId": "s", "phoneNumber": PHONE})
    assert response.status_code == 404


def test_missing_session_id_is_400(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(URL, data={"phoneNumber": PHONE, "text": ""})
    assert response.status_code == 400


def test_nothing_is_stored_before_save(client, session) -> None:  # type: ignore[no-untyped-def]
    add_reporter(session)
    body = walk(client, "1*1*12*5*7*1*1")
    assert "1 Save" in body
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 0
    assert walk(client, "1*1*12*5*7*1*1*2") == "END Cancelled. Nothing saved."
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 0


@pytest.mark.parametrize(
    ("ussd_path", "sms_text"),
    [
        ("1*1*12*5*7*1*1*1", "sova 12 m5 f7 aj"),
        ("1*4*845*400*445*2*2*Shyamnagr*1", "SCH 845 M400 F445 gotokal Shyamnagar"),
        ("1*9*1*1350*600*750*1*1*1", "DAY IWD 1350 M600 F750 aj Nalta"),
        ("1*6*40*#*#*1*1*1", "AWR 40 aj"),
    ],
)
def test_event_save_makes_the_record_the_sms_makes(
    client,
    session,
    settings,
    ussd_path,  # type: ignore[no-untyped-def]
    sms_text,
) -> None:
    add_reporter(session)
    ussd_id = record_number(walk(client, ussd_path))
    sms_id = sms(session, settings, sms_text, "sms-1")
    assert sms_id is not None and sms_id != ussd_id
    session.expire_all()
    assert fields(session, ussd_id) == fields(session, sms_id)
    ussd_record = session.get(Record, ussd_id)
    assert ussd_record is not None and ussd_record.channel == "ussd"
    message = session.get(InboundMessage, ussd_record.inbound_id)
    assert message is not None and message.channel == "ussd" and message.provider == "ussd"
    assert message.status == "accepted" and message.record_id == ussd_id


def _enrol(client) -> str:  # type: ignore[no-untyped-def]
    body = walk(client, "2*5*2*30*1*1", session_id="enrol")
    assert "New code " in body, body
    return body.split("New code ", 1)[1][:6]


@pytest.mark.parametrize(
    ("kind", "sms_form"),
    [
        ("2*1*{code}*1*1", "IC {code} aj"),
        ("2*2*{code}*4*2*1", "FC {code} 4 gotokal"),
        ("2*4*{code}*1*1", "NA {code} aj"),
        ("3*1*{code}*2*1*1", "REF {code} L aj"),
    ],
)
def test_survivor_save_makes_the_record_the_sms_makes(
    client,
    session,
    settings,
    kind,  # type: ignore[no-untyped-def]
    sms_form,
) -> None:
    add_reporter(session)
    code = _enrol(client)
    ussd_id = record_number(walk(client, kind.format(code=code)))
    sms_id = sms(session, settings, sms_form.format(code=code), "sms-2")
    assert sms_id is not None
    session.expire_all()
    ussd_fields, sms_fields = fields(session, ussd_id), fields(session, sms_id)
    if kind.startswith("3*1"):
        # Each referral gets its own number; everything else must agree.
        assert ussd_fields.pop("referral_id") != sms_fields.pop("referral_id")
    assert ussd_fields == sms_fields


def test_enrol_end_screen_carries_the_code_not_the_person(client, session) -> None:  # type: ignore[no-untyped-def]
    add_reporter(session)
    body = walk(client, "2*5*2*17*1*1")
    assert body.startswith("END Saved #") and "New code " in body
    assert "17" not in body.split("New code")[0] and " F " not in body


def test_retried_final_hop_makes_one_record(client, session) -> None:  # type: ignore[no-untyped-def]
    add_reporter(session)
    first = walk(client, "1*1*12*5*7*1*1*1")
    again = hop(client, "1*1*12*5*7*1*1*1")
    assert first == again and first.startswith("END Saved #")
    assert session.scalar(select(func.count()).select_from(Record)) == 1
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 1


def test_same_save_in_a_new_session_is_a_duplicate(client, session) -> None:  # type: ignore[no-untyped-def]
    add_reporter(session)
    first = record_number(walk(client, "1*1*12*5*7*1*1*1"))
    again = walk(client, "1*1*12*5*7*1*1*1", session_id="ATUid_2")
    assert again == f"END Already saved #{first}."
    assert session.scalar(select(func.count()).select_from(Record)) == 1


def test_rejected_save_says_why(client, session) -> None:  # type: ignore[no-untyped-def]
    add_reporter(session)
    body = walk(client, "2*1*100009*1*1")
    assert body == "END Not saved: No one with code 100009."
    message = session.scalar(select(InboundMessage))
    assert message is not None and message.status == "rejected"
    assert session.scalar(select(func.count()).select_from(Record)) == 0


def test_certificate_before_counselling_is_refused(client, session) -> None:  # type: ignore[no-untyped-def]
    add_reporter(session)
    code = _enrol(client)
    assert walk(client, f"2*3*{code}*1*1") == (
        "END Not saved: Certificate needs a counselling first."
    )


def test_referral_outcome_for_unknown_referral(client, session) -> None:  # type: ignore[no-untyped-def]
    add_reporter(session, language="bn")
    assert walk(client, "3*2*999*1*1*1") == "END Joma hoyni: Refer R999 nei."


def test_language_menu_sets_language_through_lang(client, session) -> None:  # type: ignore[no-untyped-def]
    reporter = add_reporter(session)
    assert walk(client, "5*2") == "END Bhasha: Bangla."
    session.expire_all()
    assert session.get(Reporter, reporter.id).language == "bn"
    message = session.scalar(select(InboundMessage))
    assert message is not None and message.text == "LANG BN" and message.channel == "ussd"
    assert hop(client, "", session_id="next").startswith("CON Bachhai korun:")


def test_last_three_records(client, session, settings) -> None:  # type: ignore[no-untyped-def]
    add_reporter(session, role="activist")
    assert hop(client, "4") == "END No records yet."
    ids = [
        sms(session, settings, text, f"m{i}")
        for i, text in enumerate(["MEET 12 aj", "SCH 40 gotokal", "AWR 30 aj", "TRN 9 aj"])
    ]
    lines = hop(client, "4").removeprefix("END ").splitlines()
    today = NOW.astimezone(ZoneInfo("Asia/Dhaka")).strftime("%d/%m/%y")
    assert [line.split()[0] for line in lines] == [f"#{n}" for n in reversed(ids[1:])]
    assert lines[0] == f"#{ids[3]} Training {today}"
    assert lines[2].startswith(f"#{ids[1]} School ")


def test_bangla_user_gets_banglish_screens(client, session) -> None:  # type: ignore[no-untyped-def]
    add_reporter(session, language="bn")
    body = walk(client, "1*1*12*5*7*1*1")
    assert body.startswith("CON Sova 12 (M5 F7)") and "1 Joma din" in body
    saved = hop(client, "1*1*12*5*7*1*1*1")
    assert saved.startswith("END Joma hoyeche #") and saved.isascii()


def test_activist_menu_hides_survivor_branches(client, session) -> None:  # type: ignore[no-untyped-def]
    add_reporter(session, role="activist")
    assert "Counselling" not in hop(client, "")
    assert hop(client, "2").startswith("CON Not a choice.")


def test_ussd_events_are_stored_once(client, session) -> None:  # type: ignore[no-untyped-def]
    form = {
        "sessionId": "ATUid_9",
        "serviceCode": "*384*7#",
        "phoneNumber": "01712345678",
        "networkCode": "47001",
        "status": "Incomplete",
        "input": "1*1*12",
        "errorMessage": "",
        "cost": "KES 0.00",
        "durationInMillis": "30000",
        "hopsCount": "3",
        "lastAppResponse": "CON Men?",
        "date": "2026-03-10 08:00:00",
    }
    for _ in range(2):
        assert client.post("/hooks/test-token/at/ussd-events", data=form).status_code == 200
    events = list(session.scalars(select(UssdEvent)))
    assert len(events) == 1
    event = events[0]
    assert (event.session_id, event.status, event.phone, event.input) == (
        "ATUid_9",
        "Incomplete",
        PHONE,
        "1*1*12",
    )
    assert event.extra is not None and event.extra["hopsCount"] == "3"
    assert (
        client.post("/hooks/test-token/at/ussd-events", data={"status": "Failed"}).status_code
        == 400
    )
    assert client.post("/hooks/wrong/at/ussd-events", data=form).status_code == 404


def test_a_failure_while_saving_ends_politely_and_stores_nothing(
    client,
    session,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    add_reporter(session)

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("bug in the pipeline")

    monkeypatch.setattr("workers.inbound.accept.process_one", broken)
    body = walk(client, "1*1*12*5*7*1*1*1")
    assert body == "END Service busy, please try again."
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 0


HOOK_CASES = json.loads(
    (Path(__file__).parents[1] / "data" / "ussd_cases.json").read_text("utf-8")
)["hook_cases"]


@pytest.mark.parametrize("case", HOOK_CASES, ids=[c["name"] for c in HOOK_CASES])
def test_hook_case(client, session, case: dict) -> None:  # type: ignore[no-untyped-def]
    if case["reporter"] is not None:
        add_reporter(session, **case["reporter"])
    body = hop(client, case["path"], phone=case["phone"])
    assert body.startswith(case["expect"] + " "), body
    for fragment in case["has"]:
        assert fragment in body, body
