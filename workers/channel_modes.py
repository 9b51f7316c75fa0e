"""What the providers are set up to do, in words for `ashshash serve` and `GET /readyz`."""

from __future__ import annotations

from workers.settings import Settings


def smsgate_webhook_mode(settings: Settings) -> str:
    """`signed`, `unsigned` (SMSGATE_ALLOW_UNSIGNED=true) or `off` (404: no key set)."""
    if settings.smsgate_signing_key:
        return "signed"
    return "unsigned" if settings.smsgate_allow_unsigned else "off"


def modes(settings: Settings) -> dict[str, str]:
    """The outbound backend, the Africa's Talking environment, the SMS Gateway webhook."""
    return {
        "sms_backend": settings.sms_backend,
        "at_environment": settings.at_environment,
        "smsgate_webhook": smsgate_webhook_mode(settings),
    }


def describe(settings: Settings) -> list[str]:
    """Lines `ashshash serve` prints about the providers."""
    at = settings.at_environment
    at_line = f"Africa's Talking: {at} (AT_USERNAME={settings.at_username or 'unset'})" + (
        "" if at == "live" else ", messages go to the simulator, not to phones"
    )
    gate = {
        "signed": "SMS Gateway webhook: on, signed (SMSGATE_SIGNING_KEY set, "
        f"clock skew up to {settings.smsgate_max_skew_s} s)",
        "unsigned": "SMS Gateway webhook: on, UNSIGNED (SMSGATE_ALLOW_UNSIGNED=true): anyone "
        "with the URL can post messages",
        "off": "SMS Gateway webhook: off (404): set SMSGATE_SIGNING_KEY, or "
        "SMSGATE_ALLOW_UNSIGNED=true on purpose",
    }[smsgate_webhook_mode(settings)]
    return [f"Replies: SMS_BACKEND={settings.sms_backend}", at_line, gate]
