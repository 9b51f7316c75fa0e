"""Which provider setup is live, said by `ashshash serve` and `GET /readyz`; footguns refused."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from service import create_app
from service.cli import _register, cli
from workers.outbound.gateways.africastalking import AfricasTalkingGateway
from workers.settings import Settings, SettingsError, at_username_problem, load_settings


def _serve(settings: Settings, monkeypatch: pytest.MonkeyPatch, **env: str):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("INSTANCE_PATH", settings.instance_path)
    monkeypatch.delenv("REDIS_URL", raising=False)
    for name in (
        "SMS_BACKEND",
        "AT_USERNAME",
        "AT_API_KEY",
        "SMSGATE_SIGNING_KEY",
        "SMSGATE_ALLOW_UNSIGNED",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("flask.Flask.run", lambda *_a, **_k: None)  # print, do not block
    _register()
    return CliRunner().invoke(cli, ["serve"])


def test_serve_says_the_smsgate_webhook_is_off_without_a_key(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    result = _serve(settings, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "SMS Gateway webhook: off (404)" in result.output


def test_serve_says_when_unsigned_posts_are_allowed_on_purpose(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    result = _serve(settings, monkeypatch, SMSGATE_ALLOW_UNSIGNED="true")
    assert "SMS Gateway webhook: on, UNSIGNED" in result.output
    signed = _serve(settings, monkeypatch, SMSGATE_SIGNING_KEY="k3y")
    assert "SMS Gateway webhook: on, signed" in signed.output


@pytest.mark.parametrize(("username", "word"), [("sandbox", "sandbox"), ("ashshash", "live")])
def test_serve_names_the_africas_talking_environment(settings, monkeypatch, username, word) -> None:  # type: ignore[no-untyped-def]
    result = _serve(
        settings, monkeypatch, SMS_BACKEND="africastalking", AT_API_KEY="k", AT_USERNAME=username
    )
    assert result.exit_code == 0, result.output
    assert f"Africa's Talking: {word} (AT_USERNAME={username})" in result.output


def test_a_key_without_a_username_is_refused_at_start(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    result = _serve(settings, monkeypatch, SMS_BACKEND="africastalking", AT_API_KEY="atsk_live")
    assert result.exit_code != 0
    assert "AT_USERNAME is not set" in result.output and "Traceback" not in result.output
    with pytest.raises(ValueError, match="AT_USERNAME is not set"):
        AfricasTalkingGateway(Settings(sms_backend="africastalking", at_api_key="atsk_live"))
    assert at_username_problem(Settings(sms_backend="outbox")) is None


def test_readyz_says_which_provider_setup_is_live(settings) -> None:  # type: ignore[no-untyped-def]
    live = create_app(
        settings.with_(
            sms_backend="africastalking",
            at_username="ashshash",
            at_api_key="k",
            smsgate_signing_key="s",
        )
    )
    body = live.test_client().get("/readyz").get_json()
    assert body["providers"] == {
        "sms_backend": "africastalking",
        "at_environment": "live",
        "smsgate_webhook": "signed",
    }
    body = create_app(settings).test_client().get("/readyz").get_json()
    assert body["providers"]["at_environment"] == "sandbox"
    assert body["providers"]["smsgate_webhook"] == "off"
    assert "k" not in str(body["providers"].values())


def test_the_new_settings_are_read_and_checked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    base = {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "s", "WEBHOOK_TOKEN": "t"}
    defaults = load_settings(base)
    assert (defaults.max_provider_lag_days, defaults.smsgate_max_skew_s) == (7, 300)
    assert defaults.smsgate_allow_unsigned is False and defaults.at_environment == "sandbox"
    read = load_settings(
        {
            **base,
            "MAX_PROVIDER_LAG_DAYS": "30",
            "SMSGATE_MAX_SKEW_S": "900",
            "SMSGATE_ALLOW_UNSIGNED": "true",
        }
    )
    assert (read.max_provider_lag_days, read.smsgate_max_skew_s) == (30, 900)
    assert read.smsgate_allow_unsigned is True
    with pytest.raises(SettingsError, match="MAX_PROVIDER_LAG_DAYS"):
        load_settings({**base, "MAX_PROVIDER_LAG_DAYS": "0"})
