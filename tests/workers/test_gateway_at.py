"""The africastalking backend against a local fake AT server: real SDK, real HTTP."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from tests.fakes.at_server import FakeAfricasTalking, Reply
from workers.outbound.gateways import gateway_for
from workers.outbound.gateways.africastalking import AfricasTalkingGateway, classify
from workers.settings import Settings

CASES = json.loads((Path(__file__).parent.parent / "data" / "at_send_responses.json").read_text())
NUMBER = "+8801711000001"


def at_settings(fake: FakeAfricasTalking, **changes: object) -> Settings:
    return Settings(
        sms_backend="africastalking",
        at_username="ashshash",
        at_api_key="key-123",
        at_api_base=fake.base_url,
        **changes,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_send_answer_is_classified(fake_at: FakeAfricasTalking, case: dict) -> None:
    fake_at.script(Reply.from_case(case["reply"]))
    timeout = (5.0, case.get("read_timeout", 5.0))
    gateway = AfricasTalkingGateway(at_settings(fake_at), timeout=timeout)
    result = gateway.send(NUMBER, "Thanks, record 12 saved")
    expect = case["expect"]
    assert result.ok is expect["ok"]
    assert result.status == expect["status"]
    assert result.retryable is expect["retryable"]
    assert result.provider_id == expect["provider_id"]
    assert result.cost == expect["cost"]
    if expect["ok"]:
        assert result.error is None
    else:
        assert expect["error_contains"] in (result.error or "")
    assert len(fake_at.seen) == 1


def test_sdk_posts_the_form_africas_talking_expects(fake_at: FakeAfricasTalking) -> None:
    gateway = gateway_for(at_settings(fake_at, at_sender_id="ASHSMS"))
    result = gateway.send(NUMBER, "ধন্যবাদ, রেকর্ড 12")
    assert result.ok and result.provider_id == "ATXid_1"
    (seen,) = fake_at.seen
    assert seen.path == "/version1/messaging"
    assert seen.headers["apiKey"] == "key-123"
    assert seen.headers["Accept"] == "application/json"
    assert seen.form == {
        "username": "ashshash",
        "to": NUMBER,
        "message": "ধন্যবাদ, রেকর্ড 12",
        "bulkSMSMode": "1",
        "from": "ASHSMS",
    }


def test_no_sender_id_sends_no_from_field(fake_at: FakeAfricasTalking) -> None:
    gateway_for(at_settings(fake_at)).send(NUMBER, "hi")
    assert "from" not in fake_at.seen[0].form


def test_api_base_with_trailing_slash_builds_the_same_url(fake_at: FakeAfricasTalking) -> None:
    gateway = AfricasTalkingGateway(at_settings(fake_at).with_(at_api_base=fake_at.base_url + "/"))
    assert gateway.messaging_url == fake_at.base_url + "/messaging"
    assert gateway.send(NUMBER, "hi").ok


def test_api_base_must_be_a_http_url() -> None:
    with pytest.raises(ValueError, match="AT_API_BASE"):
        AfricasTalkingGateway(Settings(at_api_base="127.0.0.1:8765/version1"))


def test_missing_api_key_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="AT_API_KEY"):
        gateway_for(Settings(sms_backend="africastalking", at_api_key=""))


def test_default_base_urls_are_the_sdks() -> None:
    sandbox = AfricasTalkingGateway(Settings(at_username="sandbox", at_api_key="k"))
    live = AfricasTalkingGateway(Settings(at_username="ashshash", at_api_key="k"))
    assert sandbox.messaging_url == "https://api.sandbox.africastalking.com/version1/messaging"
    assert live.messaging_url == "https://api.africastalking.com/version1/messaging"


def test_override_does_not_touch_the_sdk_globals(fake_at: FakeAfricasTalking) -> None:
    import africastalking

    before = africastalking.SMS
    AfricasTalkingGateway(at_settings(fake_at))
    assert africastalking.SMS is before


def test_connection_refused_is_retryable() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings(
        at_username="sandbox", at_api_key="k", at_api_base=f"http://127.0.0.1:{port}/version1"
    )
    result = AfricasTalkingGateway(settings).send(NUMBER, "hi")
    assert not result.ok and result.retryable
    assert result.status == "network-error"
    assert "ConnectionError" in (result.error or "")


def test_number_the_sdk_rejects_is_a_permanent_failure(fake_at: FakeAfricasTalking) -> None:
    result = AfricasTalkingGateway(at_settings(fake_at)).send("01711000001", "hi")
    assert not result.ok and not result.retryable
    assert "Invalid phone number" in (result.error or "")
    assert fake_at.seen == []  # the SDK refused before any request


@pytest.mark.parametrize("username", ["sandbox", "ashshash"])
def test_real_africas_talking_host_is_refused_by_the_guard(username: str) -> None:
    # No AT_API_BASE: the SDK aims at the real service; the suite's guard must stop it.
    gateway = AfricasTalkingGateway(Settings(at_username=username, at_api_key="k"))
    with pytest.raises(RuntimeError, match=r"api\.(sandbox\.)?africastalking\.com"):
        gateway.send(NUMBER, "must never leave this machine")


def test_string_response_with_recipient_for_another_number_uses_the_first() -> None:
    body = json.dumps(
        {
            "SMSMessageData": {
                "Recipients": [
                    {
                        "statusCode": "101",
                        "number": "+880171999",
                        "status": "Success",
                        "messageId": "ATXid_9",
                    }
                ]
            }
        }
    )
    result = classify(body, NUMBER)
    assert result.ok and result.provider_id == "ATXid_9" and result.cost is None


def _sdk_floor() -> str:
    import re
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    spec = next(d for d in project["project"]["dependencies"] if d.startswith("africastalking"))
    found = re.search(r">=([0-9.]+)", spec)
    assert found, spec
    return found.group(1)


def test_the_installed_sdk_has_what_the_backend_uses() -> None:
    # .ci/run installs the lowest version pyproject.toml allows and says so here; elsewhere
    # the check runs against whatever is installed, which the bound must also cover.
    import inspect
    from importlib.metadata import version

    from africastalking.Service import DEFAULT_TIMEOUT_S
    from africastalking.SMS import SMSService

    expected = os.environ.get("ASHSHASH_EXPECT_AT_SDK")
    if expected:
        assert version("africastalking") == expected == _sdk_floor()
    assert DEFAULT_TIMEOUT_S
    assert "timeout" in inspect.signature(SMSService.send).parameters
    assert tuple(int(p) for p in _sdk_floor().split(".")) >= (2, 0, 2)


def test_sends_from_one_thread_reuse_one_kept_alive_connection(
    fake_at: FakeAfricasTalking,
) -> None:
    gateway = AfricasTalkingGateway(
        Settings(at_username="ashshash", at_api_key="k", at_api_base=fake_at.base_url)
    )
    results = [gateway.send(f"+88017000000{i:02d}", "hello") for i in range(5)]
    assert [r.ok for r in results] == [True] * 5
    assert len(fake_at.recipients_seen()) == 5
    assert fake_at.connections == 1  # one TCP (and, in production, TLS) handshake, not five


def test_gateways_of_one_process_share_their_kept_alive_connections(
    fake_at: FakeAfricasTalking,
) -> None:
    # Each job (embedded mode, outreach) makes its own gateway: the TLS handshake to the API
    # must not come back with each one.
    settings = Settings(at_username="ashshash", at_api_key="k", at_api_base=fake_at.base_url)
    first, second = AfricasTalkingGateway(settings), AfricasTalkingGateway(settings)
    assert first.send("+8801700000001", "hello").ok
    assert second.send("+8801700000002", "hello").ok
    assert fake_at.connections == 1


def test_the_connection_pool_is_bounded_by_send_concurrency(fake_at: FakeAfricasTalking) -> None:
    gateway = AfricasTalkingGateway(at_settings(fake_at).with_(send_concurrency=7))
    http = gateway._sms._http
    assert http.connection_pool_kw["maxsize"] == 7 and http.connection_pool_kw["block"]


def test_the_environments_proxy_carries_the_api_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib3

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    settings = Settings(at_username="ashshash", at_api_key="k")
    http = AfricasTalkingGateway(settings)._sms._http
    assert isinstance(http, urllib3.ProxyManager)
    assert http.proxy is not None and http.proxy.host == "proxy.example"
    monkeypatch.setenv("NO_PROXY", "africastalking.com")
    assert not isinstance(AfricasTalkingGateway(settings)._sms._http, urllib3.ProxyManager)
