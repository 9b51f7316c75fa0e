"""The Africa's Talking SMS webhook, table-driven from tests/data/at_sms_cases.json."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from schemas.envelope import InboundEnvelope
from schemas.provider_values import provider_key
from schemas.tables import InboundMessage
from service import create_app

CASES = json.loads((Path(__file__).parent.parent / "data" / "at_sms_cases.json").read_text())


def _stored(app) -> list[InboundMessage]:  # type: ignore[no-untyped-def]
    from workers.db import session_scope

    with session_scope(app.extensions["ashshash.settings"]) as s:
        return list(s.scalars(select(InboundMessage).order_by(InboundMessage.id)))


_AGO = re.compile(r"\{ago:(-?\d+)\}")


def _when(text: str, now: datetime) -> str:
    """`{ago:N}`: the time N seconds before `now`, as AT writes it (UTC, to the second)."""
    return _AGO.sub(lambda m: f"{now - timedelta(seconds=int(m.group(1))):%Y-%m-%d %H:%M:%S}", text)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=value.tzinfo or UTC)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_at_sms_case(settings, case) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings.with_(**case.get("settings", {})))
    client = app.test_client()
    now = datetime.now(UTC).replace(microsecond=0)
    forms = [dict(f) for f in case.get("forms") or [case["form"]]]
    for form in forms:
        if "date" in form:
            form["date"] = _when(form["date"], now)
        if "text_repeat" in case:
            char, count = case["text_repeat"]
            form["text"] = char * count
    token = case.get("token", settings.webhook_token)
    responses = [
        client.post(f"/hooks/{token}/at/sms", data=form)
        for form in forms
        for _ in range(case.get("repeat", 1))
    ]
    for response in responses:
        assert response.status_code == case["expect_status"], response.get_data(as_text=True)
        if "expect_in_body" in case:
            assert case["expect_in_body"] in response.get_data(as_text=True)
    rows = _stored(app)
    assert len(rows) == case["expect_stored"]
    assert len({row.provider_id for row in rows}) == len(rows)
    if rows:
        row = rows[0]
        form = forms[0]
        assert row.provider == "at" and row.channel == "sms"
        assert row.provider_id == provider_key(form["id"])
        assert len(row.provider_id) <= 120
        if "expect_sender" in case:
            assert row.sender == case["expect_sender"]
        if "expect_text" in case:
            assert row.text == case["expect_text"].replace("\x00", "\ufffd")
        if "expect_flags" in case:
            assert row.flags == case["expect_flags"]
        expected = case.get("expect_provider_time")
        if expected == "stored":
            assert _aware(row.provider_time) == _aware(row.stored_at)
        elif expected:
            assert _aware(row.provider_time) == _aware(datetime.fromisoformat(_when(expected, now)))


def test_wrong_token_is_logged_without_the_token(client, caplog) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/hooks/guess-123/at/sms", data=CASES[0]["form"])
    assert response.status_code == 404
    assert "wrong token" in caplog.text
    assert "guess-123" not in caplog.text


def test_message_is_committed_before_the_answer(app, settings) -> None:  # type: ignore[no-untyped-def]
    # A fresh session on a fresh connection sees the row as soon as the answer is out.
    response = app.test_client().post("/hooks/test-token/at/sms", data=CASES[0]["form"])
    assert response.status_code == 200
    from workers.db import session_factory

    with session_factory(settings)() as other:
        assert other.scalar(select(func.count(InboundMessage.id))) == 1


def test_other_provider_same_id_is_a_different_message(app, session) -> None:  # type: ignore[no-untyped-def]
    from workers.inbound.store import store_inbound

    settings = app.extensions["ashshash.settings"]
    app.test_client().post("/hooks/test-token/at/sms", data=CASES[0]["form"])
    _, created = store_inbound(
        session,
        settings,
        InboundEnvelope(
            channel="sms",
            provider="smsgate",
            provider_id=CASES[0]["form"]["id"],
            sender="01712345678",
            text="HELP",
            provider_time=datetime(2021, 3, 8, tzinfo=UTC),
        ),
    )
    session.commit()
    assert created
