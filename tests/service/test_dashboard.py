"""Dashboard: login, every page for a coordinator, roles, CSRF, undo and the language switch."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.tables import (
    AuditEntry,
    InboundMessage,
    OutboundMessage,
    Record,
    Referral,
    Reporter,
    Survivor,
    UssdEvent,
)
from service.auth import create_user

PASSWORD = "a long password"
# A survivor's place that nothing else in the seed data uses: it must never reach a page.
SURVIVOR_UNION = "Bhomra"
SURVIVOR_UPAZILA = "Satkhira Sadar"


def make_user(session: Session, email: str, role: str) -> None:
    create_user(session, email, role, PASSWORD)
    session.commit()


def csrf(client) -> str:  # type: ignore[no-untyped-def]
    client.get("/login")
    with client.session_transaction() as sess:
        return str(sess["csrf"])


def login(client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    token = csrf(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def as_role(client, session: Session, role: str) -> str:  # type: ignore[no-untyped-def]
    email = f"{role}@example.org"
    make_user(session, email, role)
    assert login(client, email).status_code == 302
    return email


def page_token(client) -> str:  # type: ignore[no-untyped-def]
    with client.session_transaction() as sess:
        return str(sess["csrf"])


def _message(
    session: Session,
    n: int,
    reporter: Reporter,
    text: str,
    status: str,
    reason: str | None = None,
    at: datetime | None = None,
) -> InboundMessage:
    at = at or datetime.now(UTC)
    msg = InboundMessage(
        channel="sms",
        provider="at",
        provider_id=f"seed-{n}",
        sender=reporter.phone,
        text=text,
        provider_time=at,
        stored_at=at,
        status=status,
        reason=reason,
        reporter_id=reporter.id,
        processed_at=at,
    )
    session.add(msg)
    session.flush()
    return msg


def _record(
    session: Session, msg: InboundMessage, reporter: Reporter, keyword: str, **fields: object
) -> Record:
    rec = Record(
        inbound_id=msg.id,
        reporter_id=reporter.id,
        channel="sms",
        keyword=keyword,
        status="active",
        activity_date=fields.pop("activity_date", date.today()),
        received_at=msg.provider_time,
        created_at=msg.provider_time,
        **fields,
    )
    session.add(rec)
    session.flush()
    msg.record_id = rec.id
    return rec


def seed(session: Session) -> dict[str, object]:
    """A small day of work: an event, an enrolment with services and an overdue referral, a
    rejected message and a reply."""
    now = datetime.now(UTC)
    activist = Reporter(
        phone="+8801711000001",
        name="Rahima Activist",
        role="activist",
        union="Nalta",
        upazila="Kaliganj",
        language="en",
        created_at=now,
    )
    counsellor = Reporter(
        phone="+8801711000002",
        name="Karim Counsellor",
        role="counsellor",
        union="Nalta",
        upazila="Kaliganj",
        language="bn",
        created_at=now,
    )
    session.add_all([activist, counsellor])
    session.flush()
    m1 = _message(session, 1, activist, "SCH 845 S600 T45 P200 Kaliganj", "accepted")
    event = _record(
        session,
        m1,
        activist,
        "SCH",
        total=845,
        students=600,
        teachers=45,
        parents=200,
        upazila="Kaliganj",
        union=None,
    )
    survivor = Survivor(
        code="482713",
        sex="F",
        age=15,
        is_child=True,
        upazila=SURVIVOR_UPAZILA,
        union=SURVIVOR_UNION,
        enrolled_on=date.today() - timedelta(days=40),
        created_at=now,
    )
    session.add(survivor)
    session.flush()
    m2 = _message(session, 2, counsellor, f"ENR F 15 {SURVIVOR_UNION}", "accepted")
    enr = _record(
        session,
        m2,
        counsellor,
        "ENR",
        survivor_id=survivor.id,
        upazila=SURVIVOR_UPAZILA,
        union=SURVIVOR_UNION,
    )
    m3 = _message(session, 3, counsellor, "IC 482713", "accepted")
    ic = _record(
        session,
        m3,
        counsellor,
        "IC",
        survivor_id=survivor.id,
        upazila=SURVIVOR_UPAZILA,
        union=SURVIVOR_UNION,
    )
    m4 = _message(session, 4, counsellor, "REF 482713 HEALTH", "accepted")
    ref_rec = _record(
        session,
        m4,
        counsellor,
        "REF",
        survivor_id=survivor.id,
        service="HEALTH",
        upazila=SURVIVOR_UPAZILA,
        union=SURVIVOR_UNION,
        activity_date=date.today() - timedelta(days=35),
    )
    referral = Referral(
        survivor_id=survivor.id,
        service="HEALTH",
        record_id=ref_rec.id,
        referred_on=date.today() - timedelta(days=35),
    )
    session.add(referral)
    _message(
        session,
        5,
        activist,
        "MEET 12 Kulllia <script>alert(1)</script>",
        "rejected",
        reason="unknown_place:place",
    )
    session.add(
        OutboundMessage(
            inbound_id=m1.id,
            to=activist.phone,
            text=f"OK #{event.id}",
            kind="reply",
            backend="outbox",
            status="sent",
            created_at=now,
            updated_at=now,
        )
    )
    session.commit()
    return {
        "event": event.id,
        "enr": enr.id,
        "ic": ic.id,
        "referral": referral.id,
        "survivor": survivor.code,
    }


PAGES = (
    "/",
    "/messages",
    "/messages?direction=out",
    "/messages?status=rejected",
    "/records",
    "/records?type=SCH&from=2000-01-01&to=2100-01-01",
    "/survivors",
    "/referrals",
    "/referrals?state=overdue",
    "/reporters",
    "/report",
    "/simulator",
)


def test_pages_need_a_login(client) -> None:  # type: ignore[no-untyped-def]
    for path in PAGES:
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert "/login" in answer.headers["Location"]
    assert client.get("/healthz").status_code == 200


def test_login_and_logout(client, session) -> None:  # type: ignore[no-untyped-def]
    make_user(session, "me@example.org", "coordinator")
    assert login(client, "me@example.org", "wrong password").status_code == 401
    assert client.get("/").status_code == 302
    answer = login(client, "me@example.org")
    assert answer.status_code == 302
    assert client.get("/").status_code == 200
    assert client.post("/logout", data={"csrf_token": page_token(client)}).status_code == 302
    assert client.get("/").status_code == 302


def test_login_returns_to_the_page_asked_for_but_never_offsite(client, session) -> None:  # type: ignore[no-untyped-def]
    make_user(session, "me@example.org", "viewer")
    token = csrf(client)
    answer = client.post(
        "/login?next=/records",
        data={"email": "me@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert answer.headers["Location"].endswith("/records")
    client.post("/logout", data={"csrf_token": page_token(client)})
    for target in ("//evil.example/x", "/\t/evil.example", "https://evil.example", "/\\evil"):
        token = csrf(client)
        answer = client.post(
            "/login",
            data={
                "email": "me@example.org",
                "password": PASSWORD,
                "csrf_token": token,
                "next": target,
            },
        )
        assert "evil" not in answer.headers["Location"], target
        client.post("/logout", data={"csrf_token": page_token(client)})


def test_every_page_renders_for_a_coordinator(client, session) -> None:  # type: ignore[no-untyped-def]
    data = seed(session)
    as_role(client, session, "coordinator")
    for path in PAGES:
        answer = client.get(path)
        assert answer.status_code == 200, path
    body = client.get("/records").get_data(as_text=True)
    assert f"#{data['event']}" not in body or "845" in body
    assert "482713" in body  # coordinators see survivor codes
    overdue = client.get("/referrals?state=overdue").get_data(as_text=True)
    assert f"R{data['referral']}" in overdue


def test_raw_texts_are_escaped(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "coordinator")
    body = client.get("/messages").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_overview_charts_count_todays_messages(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "coordinator")
    body = client.get("/").get_data(as_text=True)
    # Five messages today, four saved, one rejected for an unknown place.
    tiles = dict(
        re.findall(r'<span class="n">([^<]+)</span><span class="k">([^<]+)</span>', body)[i][::-1]
        for i in range(3)
    )
    assert tiles == {"messages today": "5", "saved today": "4", "not saved today": "1"}
    assert "place not found" in body
    assert "school session" in body


def test_viewer_cannot_undo_or_see_survivors(client, session) -> None:  # type: ignore[no-untyped-def]
    data = seed(session)
    as_role(client, session, "viewer")
    survivors = client.get("/survivors").get_data(as_text=True)
    assert "482713" not in survivors
    assert "&lt;11" in survivors  # one survivor: shown only as a public count
    records = client.get("/records").get_data(as_text=True)
    assert "482713" not in records
    assert "/undo" not in records
    answer = client.post(f"/records/{data['enr']}/undo", data={"csrf_token": page_token(client)})
    assert answer.status_code == 403
    assert client.get(f"/records/{data['enr']}/undo").status_code == 403
    assert session.get(Record, data["enr"]).status == "active"
    messages = client.get("/messages").get_data(as_text=True)
    assert "ENR F 15" not in messages and "SCH 845" in messages
    assert "482713" not in client.get("/referrals").get_data(as_text=True)
    assert client.get("/simulator").status_code == 403


def test_coordinator_undo_cancels_and_audits_the_user(client, session) -> None:  # type: ignore[no-untyped-def]
    data = seed(session)
    email = as_role(client, session, "coordinator")
    assert f"/records/{data['enr']}/undo" in client.get("/records").get_data(as_text=True)
    confirm = client.get(f"/records/{data['enr']}/undo?next=/records")
    assert confirm.status_code == 200 and "482713" in confirm.get_data(as_text=True)
    assert client.get("/records/999999/undo").status_code == 404
    answer = client.post(f"/records/{data['enr']}/undo", data={"csrf_token": page_token(client)})
    assert answer.status_code == 302
    session.expire_all()
    record = session.get(Record, data["enr"])
    assert record.status == "cancelled"
    assert session.scalars(select(Survivor)).one().active is False  # same rules as SMS UNDO
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity_id == record.id, AuditEntry.action == "cancel")
    ).all()
    assert len(entries) == 1
    assert entries[0].actor.startswith("user:") and entries[0].detail["user"] == email
    again = client.post(
        f"/records/{data['enr']}/undo",
        data={"csrf_token": page_token(client)},
        follow_redirects=True,
    )
    assert "already cancelled" in again.get_data(as_text=True)


def test_post_without_csrf_token_is_rejected(client, session) -> None:  # type: ignore[no-untyped-def]
    data = seed(session)
    as_role(client, session, "coordinator")
    answer = client.post(f"/records/{data['ic']}/undo", data={})
    assert answer.status_code == 400
    answer = client.post(f"/records/{data['ic']}/undo", data={"csrf_token": "forged"})
    assert answer.status_code == 400
    assert session.get(Record, data["ic"]).status == "active"
    # The login form is protected too.
    client.post("/logout", data={"csrf_token": page_token(client)})
    answer = client.post("/login", data={"email": "coordinator@example.org", "password": PASSWORD})
    assert answer.status_code == 400


def test_bangla_switch_shows_bangla_labels(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "coordinator")
    client.get("/lang/bn?next=/records")
    body = client.get("/records").get_data(as_text=True)
    assert "রেকর্ড" in body and "স্কুল সেশন" in body
    assert "৮৪৫" in body  # Babel-formatted numbers, in Bengali digits
    assert 'lang="bn"' in body
    client.get("/lang/en")
    assert "School" not in body and "school session" in client.get("/records").get_data(
        as_text=True
    )


def test_no_survivor_sex_age_or_place_on_records_or_survivors(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "coordinator")
    for path in ("/records", "/survivors", "/referrals", "/"):
        body = client.get(path).get_data(as_text=True)
        assert SURVIVOR_UNION not in body, path
        assert SURVIVOR_UPAZILA not in body, path
        assert re.search(r"\b(age|sex)\b", body, re.IGNORECASE) is None, path
    survivors = client.get("/survivors").get_data(as_text=True)
    assert "482713" in survivors and "individual counselling" in survivors


def test_bad_filters_never_crash(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "viewer")
    for path in (
        "/records?from=31-02-2021&to=x&type=<b>&page=-3",
        "/messages?status=zzz&page=a",
        "/referrals?state=../../",
        "/survivors?code=abc",
        "/reporters?show=1",
    ):
        assert client.get(path).status_code == 200, path


def test_pages_load_nothing_from_the_internet_and_run_no_script(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "coordinator")
    for path in (*PAGES, "/login"):
        answer = client.get(path)
        body = answer.get_data(as_text=True)
        assert re.search(r'(src|href|action)="(https?:)?//', body) is None, path
        assert "<script" not in body, path
        assert "script-src 'none'" in answer.headers["Content-Security-Policy"]
        assert answer.headers["Cache-Control"] == "no-store"
    assert client.get("/dashboard-static/dashboard.css").status_code == 200


def test_login_page_switches_language_before_login(client) -> None:  # type: ignore[no-untyped-def]
    client.get("/lang/bn?next=/login")
    body = client.get("/login").get_data(as_text=True)
    assert "পাসওয়ার্ড" in body and "Password" not in body


def test_overview_shows_how_ussd_sessions_ended(client, session) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    for n, status in enumerate(("Incomplete", "Incomplete", "Success")):
        session.add(
            UssdEvent(
                session_id=f"s{n}",
                status=status,
                phone="+8801711000001",
                input="1*4",
                received_at=now,
            )
        )
    session.commit()
    as_role(client, session, "viewer")
    body = client.get("/").get_data(as_text=True)
    assert "How USSD sessions ended" in body
    ended = re.search(r'left before the end</span>.*?<span class="value">(\d+)</span>', body, re.S)
    assert ended is not None and ended.group(1) == "2"


def test_every_label_has_words_in_both_languages(client, session) -> None:  # type: ignore[no-untyped-def]
    data = seed(session)
    as_role(client, session, "coordinator")
    for lang in ("en", "bn"):
        client.get(f"/lang/{lang}")
        for path in (*PAGES, f"/records/{data['ic']}/undo", "/nowhere-in-dashboard"):
            body = client.get(path).get_data(as_text=True)
            # A key without words would show through as its dotted or snake_case name.
            leaked = re.findall(
                r">\s*((?:kw|status|err|svc|outcome|role|ussd)\.[A-Za-z_]+|"
                r"(?:nav|tile|chart|sim|ref|report|error)_[a-z_]+)\s*<",
                body,
            )
            assert leaked == [], (lang, path, leaked)


def test_a_bug_shows_a_plain_page_not_a_traceback(client, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from service.dashboard import overview

    def broken(*_args: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(overview, "tiles", broken)
    as_role(client, session, "coordinator")
    answer = client.get("/")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 500
    assert "Something went wrong" in body
    assert "secret internals" not in body and "Traceback" not in body
