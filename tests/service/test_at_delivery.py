"""POST /hooks/<token>/at/delivery: reports move replies forward, never back; bad input is a
400 naming the field; unknown ids get 200 so the provider stops repeating them."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from schemas.tables import OutboundMessage
from tests.workers.test_outbound_delivery import sent_message

CASES = json.loads((Path(__file__).parent.parent / "data" / "at_delivery_cases.json").read_text())
URL = "/hooks/test-token/at/delivery"


def form(
    provider_id: str = "ATXid_1",
    status: str = "Success",
    _only: list[str] | None = None,
    **extra: str,
) -> dict[str, str]:
    full = {
        "id": provider_id,
        "status": status,
        "phoneNumber": "+8801711000001",
        "networkCode": "47001",
        "retryCount": "0",
        **extra,
    }
    return {k: v for k, v in full.items() if _only is None or k in _only}


@pytest.fixture
def sent(session: Session) -> OutboundMessage:
    message = sent_message(session, cost=None)
    session.commit()
    return message


def reload(session: Session, message: OutboundMessage) -> OutboundMessage:
    session.expire_all()
    found = session.get(OutboundMessage, message.id)
    assert found is not None
    return found


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_reports_posted_in_any_order_end_in_the_right_state(
    client, session: Session, sent: OutboundMessage, case: dict
) -> None:
    for report in case["reports"]:
        response = client.post(URL, data=form(**report))
        assert response.status_code == 200
    message = reload(session, sent)
    expect = case["expect"]
    assert message.status == expect["status"]
    assert message.provider_status == expect["provider_status"]
    assert message.failure_reason == expect["failure_reason"]


@pytest.mark.parametrize("missing", ["id", "status"])
def test_missing_field_is_a_400_naming_it(
    client, session: Session, sent: OutboundMessage, missing: str
) -> None:
    data = form()
    del data[missing]
    response = client.post(URL, data=data)
    assert response.status_code == 400
    assert missing in response.get_json()["detail"]
    assert reload(session, sent).status == "sent"


def test_blank_field_is_missing(client, sent: OutboundMessage) -> None:
    response = client.post(URL, data=form(status="  "))
    assert response.status_code == 400 and "status" in response.get_json()["detail"]


@pytest.mark.parametrize("absent", ["retryCount", "phoneNumber", "networkCode"])
def test_optional_fields_may_be_absent(
    client, session: Session, sent: OutboundMessage, absent: str
) -> None:
    # Only `id` and `status` move a reply on (courier requires no more either).
    data = form()
    del data[absent]
    assert client.post(URL, data=data).status_code == 200
    assert reload(session, sent).status == "delivered"


def test_unknown_id_is_acknowledged_and_logged(
    client, session: Session, sent: OutboundMessage, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="ashshash.hooks.at_delivery"):
        response = client.post(URL, data=form(provider_id="ATXid_nobody"))
    assert response.status_code == 200
    assert "ATXid_nobody" in caplog.text
    assert reload(session, sent).status == "sent"


def test_wrong_token_is_404_and_changes_nothing(
    client, session: Session, sent: OutboundMessage
) -> None:
    response = client.post("/hooks/wrong-token/at/delivery", data=form())
    assert response.status_code == 404
    assert reload(session, sent).status == "sent"


def test_get_is_not_allowed(client) -> None:
    assert client.get(URL).status_code == 405


def test_database_down_answers_503_so_the_provider_retries(
    client, sent: OutboundMessage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    import service.hooks.at_delivery as hook

    def down(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr(hook, "apply_delivery_report", down)
    response = client.post(URL, data=form())
    assert response.status_code == 503
    assert b"Traceback" not in response.data
