"""Every webhook decoder under hostile input (NUL, invalid UTF-8, lone surrogates, nested JSON,
huge fields, extreme dates): never a 5xx, and every message acknowledged is stored.

Runs on the suite's database: SQLite by default, PostgreSQL (where NUL and surrogates used to
give 500) when DATABASE_URL points there, as CI's second run does."""

from __future__ import annotations

import json
from urllib.parse import quote_from_bytes

from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import select

from schemas.provider_values import provider_key
from schemas.tables import InboundMessage
from service import create_app
from workers.db import session_scope

FUZZ = hsettings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
URL = "/hooks/test-token"

# Text with the characters that broke things: NUL, controls, surrogates, Bangla, emoji.
nasty = st.text(
    alphabet=st.one_of(
        st.sampled_from(["\x00", "\ufffd", "\u200d", "ক", "্", "😀", "*", "%", "&", "=", "\n"]),
        st.characters(codec="utf-8"),
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    ),
    max_size=40,
)
huge = st.integers(min_value=1, max_value=60_000).map(lambda n: "z" * n)
field = st.one_of(nasty, huge, st.just(""))
dates = st.one_of(
    st.sampled_from(
        [
            "9999-12-31 23:59:59",
            "0001-01-01 00:00:00",
            "2031-01-01T00:00:00Z",
            "2019-06-01 10:00:00",
            "2017-05-03T06:04:45.123+06:00",
            "",
            "yesterday",
            "9999-12-31T23:59:59-05:00",
            "0001-01-01T00:00:00+14:00",
            "2021-02-30",
        ]
    ),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S")),
    nasty,
)
raw_bytes = st.binary(max_size=300)  # invalid UTF-8 among it


def _form_bytes(fields: dict[str, str | bytes]) -> bytes:
    def enc(v: str | bytes) -> str:
        data = v if isinstance(v, bytes) else v.encode(errors="surrogatepass")
        return quote_from_bytes(data)

    return "&".join(f"{enc(k)}={enc(v)}" for k, v in fields.items()).encode()


def _post_form(client, path: str, fields: dict):  # type: ignore[no-untyped-def]
    return client.post(
        path, data=_form_bytes(fields), content_type="application/x-www-form-urlencoded"
    )


def _stored(settings, provider: str, provider_id: str) -> bool:  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        return (
            s.scalar(
                select(InboundMessage.id).where(
                    InboundMessage.provider == provider,
                    InboundMessage.provider_id == provider_key(provider_id),
                )
            )
            is not None
        )


def _app(settings):  # type: ignore[no-untyped-def]
    return create_app(settings.with_(smsgate_allow_unsigned=True, max_provider_lag_days=7))


def test_at_sms_never_5xx_and_stores_what_it_acknowledges(settings) -> None:  # type: ignore[no-untyped-def]
    client = _app(settings).test_client()
    seen = []

    @FUZZ
    @given(
        sender=field,
        text=st.one_of(field, raw_bytes),
        date=dates,
        pid=st.one_of(nasty, huge, st.text(min_size=121, max_size=400)),
        extra=st.dictionaries(nasty, field, max_size=3),
    )
    # The shapes that once failed, always tried: NUL and a lone surrogate in every field,
    # dates past the calendar, an id past the column.
    @example(
        sender="+8801712345678\x00",
        text="MEET\x00 \ud800",
        date="9999-12-31 23:59:59",
        pid="ATXid_\x00" + "9" * 200,
        extra={"linkId\x00": "\ud800"},
    )
    @example(
        sender="01712345678",
        text=b"\xff\xfe MEET",
        date="0001-01-01 00:00:00",
        pid="ATXid_plain",
        extra={},
    )
    def run(sender, text, date, pid, extra) -> None:  # type: ignore[no-untyped-def]
        fields = {**extra, "from": sender, "to": "21212", "text": text, "date": date, "id": pid}
        response = _post_form(client, f"{URL}/at/sms", fields)
        assert response.status_code < 500, response.get_data(as_text=True)
        if response.status_code == 200:
            seen.append(pid)
            assert _stored(settings, "at", pid)

    run()
    assert seen  # the loop above did reach the stored case


def test_at_delivery_and_ussd_never_5xx(settings) -> None:  # type: ignore[no-untyped-def]
    client = _app(settings).test_client()
    codes: list[int] = []

    @FUZZ
    @given(
        pid=field,
        status=field,
        reason=st.one_of(field, raw_bytes),
        session_id=field,
        phone=field,
        text=field,
        route=st.sampled_from(["delivery", "ussd", "ussd-events"]),
    )
    @example(
        pid="ATXid_\x00",
        status="Success",
        reason="\x00",
        session_id="s\x00",
        phone="+88017\x00",
        text="1*\x00",
        route="ussd-events",
    )
    @example(
        pid="ATXid_\x00",
        status="Fail\x00",
        reason=b"\xff",
        session_id="s",
        phone="+8801712345678",
        text="",
        route="delivery",
    )
    @example(
        pid="",
        status="",
        reason="",
        session_id="s\x00\ud800",
        phone="+8801712345678\x00",
        text="1*\x00",
        route="ussd",
    )
    def run(pid, status, reason, session_id, phone, text, route) -> None:  # type: ignore[no-untyped-def]
        fields = {
            "id": pid,
            "status": status,
            "failureReason": reason,
            "sessionId": session_id,
            "phoneNumber": phone,
            "text": text,
            "input": text,
            "errorMessage": reason,
            "serviceCode": "*384#",
            "networkCode": "47001",
        }
        response = _post_form(client, f"{URL}/at/{route}", fields)
        assert response.status_code < 500, response.get_data(as_text=True)
        codes.append(response.status_code)

    run()
    assert 200 in codes


def _json_text(value: object) -> str:
    # Lone surrogates survive as JSON escapes, exactly what a hostile sender can post.
    return json.dumps(value, ensure_ascii=True)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_smsgate_never_5xx_and_stores_what_it_acknowledges(settings) -> None:  # type: ignore[no-untyped-def]
    client = _app(settings).test_client()
    stored: list[int] = []
    json_value = st.recursive(
        st.none() | st.booleans() | st.integers() | nasty,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(nasty, inner, max_size=3),
        max_leaves=8,
    )

    @FUZZ
    @given(
        event=st.sampled_from(
            [
                "sms:received",
                "sms:sent",
                "sms:delivered",
                "sms:failed",
                "sms:cancelled",
                "system:ping",
                "mms:received",
            ]
        ),
        sender=st.one_of(field, json_value),
        text=st.one_of(field, json_value),
        received=st.one_of(dates, json_value),
        message_id=st.one_of(field, json_value),
        junk=st.one_of(st.none(), raw_bytes, st.integers(1000, 30_000).map(_nested)),
    )
    @example(
        event="sms:received",
        sender="01712345678\x00",
        text="MEET \ud800\x00",
        received="9999-12-31T23:59:59.000-05:00",
        message_id="m\x00",
        junk=None,
    )
    @example(
        event="sms:delivered",
        sender="x",
        text="y",
        received="0001-01-01T00:00:00+06:00",
        message_id="gw-\x00" + "1" * 300,
        junk=None,
    )
    @example(
        event="sms:received",
        sender="x",
        text="y",
        received="",
        message_id="m",
        junk=_nested(30_000),
    )
    def run(event, sender, text, received, message_id, junk) -> None:  # type: ignore[no-untyped-def]
        if isinstance(junk, bytes):
            body = junk
        elif isinstance(junk, str):
            body = junk.encode()
        else:
            body = _json_text(
                {
                    "event": event,
                    "deviceId": "dev",
                    "payload": {
                        "phoneNumber": sender,
                        "message": text,
                        "receivedAt": received,
                        "messageId": message_id,
                        "recipient": sender,
                        "reason": text,
                    },
                }
            ).encode()
        with session_scope(settings) as s:
            before = len(list(s.scalars(select(InboundMessage.id))))
        response = client.post(f"{URL}/smsgate", data=body, content_type="application/json")
        assert response.status_code < 500, response.get_data(as_text=True)
        if response.status_code == 200 and junk is None and event == "sms:received":
            with session_scope(settings) as s:
                after = len(list(s.scalars(select(InboundMessage.id))))
            # New, or a repeat of one already stored (same sender, text and time).
            assert after in (before, before + 1)
            stored.append(after)

    run()
    assert stored and max(stored) >= 1
