"""Frozen settings, read once from the environment (and `.env`) and passed everywhere."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

SMS_BACKENDS = ("outbox", "africastalking", "smsgate")


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///instance/ashshash.db"
    redis_url: str | None = None
    secret_key: str = ""
    webhook_token: str = ""
    sms_backend: str = "outbox"
    timezone: str = "Asia/Dhaka"
    default_region: str = "BD"
    max_backdate_days: int = 45
    project_name: str = "ASHSHASH"
    donor: str = "Winrock International"
    district: str = "Satkhira"
    # The Bangla edition of the report names them in Bangla; "prepared by" is on its cover.
    project_name_bn: str = "আশ্বাস"
    donor_bn: str = "উইনরক ইন্টারন্যাশনাল"
    district_bn: str = "সাতক্ষীরা"
    report_prepared_by: str = ""
    project_start: str = "2019-11-01"
    project_end: str = "2022-08-31"
    # Unset: sandbox, and the africastalking backend refuses to start with an API key (a live
    # key sent to the sandbox fails every send as unauthorised). See `at_environment`.
    at_username: str = ""
    at_api_key: str = ""
    at_sender_id: str | None = None
    at_api_base: str | None = None
    at_callback_tz: str = "UTC"
    smsgate_url: str | None = None
    smsgate_user: str | None = None
    smsgate_password: str | None = None
    smsgate_signing_key: str | None = None
    smsgate_allow_unsigned: bool = False  # /smsgate without SMSGATE_SIGNING_KEY: 404 unless True
    smsgate_max_skew_s: int = 300  # a signed webhook's X-Timestamp this far off: 401
    max_provider_lag_days: int = 7  # an older provider time is replaced by the stored time
    unknown_sender_reply: bool = True  # False: stay silent to unregistered numbers
    sender_hourly_limit: int = 60  # replies to one number per rolling hour; 0: no limit
    empty_repeat_reply: bool = False  # True: an empty SMS again within 10 min gets the list again
    own_numbers: str = ""  # comma-separated numbers of the service itself: never answered
    max_body_bytes: int = 64 * 1024
    # Failed dashboard logins per account and client address in 15 minutes (5x per address).
    login_max_attempts: int = 10
    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
    proxy_count: int = 0
    metrics_token: str | None = None  # set: GET /metrics needs `Authorization: Bearer <it>`
    dhis2_url: str | None = None  # overrides the url of instance/dhis2.toml
    dhis2_token: str | None = field(default=None, repr=False)  # a secret: never in a repr
    dhis2_mapping: str | None = None  # default: <instance_path>/dhis2.toml
    instance_path: str = "instance"
    send_concurrency: int = 64  # provider requests in flight at once per worker process
    smsgate_rate: str = "30/30m"  # outreach through one Android phone: N per window
    sms_monthly_budget: int = 0  # outbound segments per calendar month; 0: no budget
    extra: Mapping[str, Any] = field(default_factory=dict)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @property
    def at_environment(self) -> str:
        """Which Africa's Talking environment the username points at: sandbox or live."""
        return "sandbox" if self.at_username.strip() in ("", "sandbox") else "live"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


_ENV_NAMES: dict[str, str] = {
    "database_url": "DATABASE_URL",
    "redis_url": "REDIS_URL",
    "secret_key": "SECRET_KEY",
    "webhook_token": "WEBHOOK_TOKEN",
    "sms_backend": "SMS_BACKEND",
    "timezone": "TIMEZONE",
    "default_region": "DEFAULT_REGION",
    "max_backdate_days": "MAX_BACKDATE_DAYS",
    "project_name": "PROJECT_NAME",
    "donor": "DONOR",
    "district": "DISTRICT",
    "project_name_bn": "PROJECT_NAME_BN",
    "donor_bn": "DONOR_BN",
    "district_bn": "DISTRICT_BN",
    "report_prepared_by": "REPORT_PREPARED_BY",
    "project_start": "PROJECT_START",
    "project_end": "PROJECT_END",
    "at_username": "AT_USERNAME",
    "at_api_key": "AT_API_KEY",
    "at_sender_id": "AT_SENDER_ID",
    "at_api_base": "AT_API_BASE",
    "at_callback_tz": "AT_CALLBACK_TZ",
    "smsgate_url": "SMSGATE_URL",
    "smsgate_user": "SMSGATE_USER",
    "smsgate_password": "SMSGATE_PASSWORD",
    "smsgate_signing_key": "SMSGATE_SIGNING_KEY",
    "smsgate_allow_unsigned": "SMSGATE_ALLOW_UNSIGNED",
    "smsgate_max_skew_s": "SMSGATE_MAX_SKEW_S",
    "max_provider_lag_days": "MAX_PROVIDER_LAG_DAYS",
    "unknown_sender_reply": "UNKNOWN_SENDER_REPLY",
    "sender_hourly_limit": "SENDER_HOURLY_LIMIT",
    "empty_repeat_reply": "EMPTY_REPEAT_REPLY",
    "own_numbers": "OWN_NUMBERS",
    "max_body_bytes": "MAX_BODY_BYTES",
    "login_max_attempts": "LOGIN_MAX_ATTEMPTS",
    "proxy_count": "PROXY_COUNT",
    "metrics_token": "METRICS_TOKEN",
    "dhis2_url": "DHIS2_URL",
    "dhis2_token": "DHIS2_TOKEN",
    "dhis2_mapping": "DHIS2_MAPPING",
    "instance_path": "INSTANCE_PATH",
    "send_concurrency": "SEND_CONCURRENCY",
    "smsgate_rate": "SMSGATE_RATE",
    "sms_monthly_budget": "SMS_MONTHLY_BUDGET",
}


class SettingsError(ValueError):
    """A configuration value that cannot be used; the message names the variable."""


def _convert(name: str, raw: str) -> Any:
    default = getattr(Settings, name, None)
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError as exc:
            raise SettingsError(f"{_ENV_NAMES[name]} must be a whole number, got {raw!r}") from exc
    return raw


def _instance_secret(instance: Path, filename: str) -> str:
    """A secret generated once and kept in instance/, so restarts keep the same URLs."""
    path = instance / filename
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(24)
    path.write_text(value)
    path.chmod(0o600)
    return value


def load_settings(environ: Mapping[str, str] | None = None, env_file: str = ".env") -> Settings:
    """Settings from `.env` overlaid by the environment; secrets made on first run."""
    values: dict[str, str] = {}
    if environ is None:
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        environ = os.environ
    values.update(environ)
    kwargs: dict[str, Any] = {}
    for name, env in _ENV_NAMES.items():
        if values.get(env) not in (None, ""):
            kwargs[name] = _convert(name, values[env])
    settings = Settings(**kwargs)
    if settings.send_concurrency < 1:
        raise SettingsError("SEND_CONCURRENCY must be at least 1")
    if settings.sms_monthly_budget < 0:
        raise SettingsError("SMS_MONTHLY_BUDGET must be a number of segments (0 or more)")
    if settings.sms_backend not in SMS_BACKENDS:
        raise SettingsError(f"SMS_BACKEND must be one of {', '.join(SMS_BACKENDS)}")
    if settings.login_max_attempts < 1:
        raise SettingsError("LOGIN_MAX_ATTEMPTS must be at least 1")
    if not 0 <= settings.proxy_count <= 10:
        raise SettingsError("PROXY_COUNT must be 0 to 10 (the proxies in front of the app)")
    for name in ("max_provider_lag_days", "smsgate_max_skew_s"):
        if getattr(settings, name) < 1:
            raise SettingsError(f"{_ENV_NAMES[name]} must be at least 1")
    instance = Path(settings.instance_path)
    if not settings.secret_key:
        settings = settings.with_(secret_key=_instance_secret(instance, "secret_key"))
    if not settings.webhook_token:
        settings = settings.with_(webhook_token=_instance_secret(instance, "webhook_token"))
    if settings.is_sqlite and settings.database_url.startswith("sqlite:///instance/"):
        instance.mkdir(parents=True, exist_ok=True)
    return settings


def at_username_problem(settings: Settings) -> str | None:
    """Why the africastalking backend must not start, or None.

    A key cannot be told apart as live or sandbox, so the username must be chosen on purpose:
    a live key with the username left out would send to the sandbox and every reply would
    fail as unauthorised. `AT_USERNAME=sandbox` picks the sandbox explicitly.
    """
    if settings.sms_backend != "africastalking" or settings.at_username.strip():
        return None
    return (
        "AT_USERNAME is not set: set it to your Africa's Talking app's username "
        "(live), or to `sandbox` to use the sandbox on purpose"
    )
