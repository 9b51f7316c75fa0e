"""Login throttling: failed logins per account+address and per address, in a 15-minute window.

The counts are shared by every web process (Redis when REDIS_URL is set, else the database).

The account is only ever counted together with the client address, so failures typed from
elsewhere cannot lock a coordinator out; refused attempts are not counted, so an attacker
cannot stretch a block beyond the window either.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from schemas.tables import LoginFailure
from workers.settings import Settings

log = logging.getLogger("ashshash.dashboard")

WINDOW_SECONDS = 15 * 60
ADDRESS_FACTOR = 5  # one address may fail this many times LOGIN_MAX_ATTEMPTS across accounts
_REDIS_PREFIX = "ashshash:login-failures:"


@dataclass(frozen=True)
class Limit:
    key: str  # sha256 hex of what is counted: neither the email nor the address in clear
    allowed: int


def clock() -> float:
    """Seconds since the epoch; tests replace it to move through the window."""
    return time.time()


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def limits(settings: Settings, account: str, address: str) -> tuple[Limit, Limit]:
    """(account from this address, this address across accounts)."""
    pair = Limit(_key("pair", account.strip().lower(), address), settings.login_max_attempts)
    wide = Limit(_key("addr", address), settings.login_max_attempts * ADDRESS_FACTOR)
    return pair, wide


def _wait(times: list[float], allowed: int, now: float) -> int:
    """Seconds until fewer than `allowed` of these failure times lie inside the window."""
    if len(times) < allowed:
        return 0
    times = sorted(times)
    # The failure whose expiry brings the count below the limit.
    expires = times[len(times) - allowed] + WINDOW_SECONDS
    return max(1, math.ceil(expires - now))


class _DatabaseStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def times(self, key: str, now: float) -> list[float]:
        since = datetime.fromtimestamp(now - WINDOW_SECONDS, UTC)
        rows = self.session.scalars(
            select(LoginFailure.at).where(LoginFailure.key == key, LoginFailure.at > since)
        )
        return [(at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp() for at in rows]

    def add(self, keys: list[str], now: float) -> None:
        at = datetime.fromtimestamp(now, UTC)
        # Old failures of every key go as new ones arrive: the table holds one window.
        self.session.execute(
            delete(LoginFailure).where(
                LoginFailure.at <= datetime.fromtimestamp(now - WINDOW_SECONDS, UTC)
            )
        )
        self.session.add_all(LoginFailure(key=key, at=at) for key in keys)
        self.session.commit()

    def clear(self, key: str) -> None:
        self.session.execute(delete(LoginFailure).where(LoginFailure.key == key))
        self.session.commit()


class _RedisStore:
    """One sorted set per key, scored by time; trimmed and expired with the window."""

    def __init__(self, url: str) -> None:
        from workers.queue import redis_connection

        self.redis = redis_connection(url)

    def times(self, key: str, now: float) -> list[float]:
        name = _REDIS_PREFIX + key
        pipe = self.redis.pipeline()
        pipe.zremrangebyscore(name, "-inf", now - WINDOW_SECONDS)
        pipe.zrange(name, 0, -1, withscores=True)
        _, members = pipe.execute()
        return [float(score) for _, score in members]

    def add(self, keys: list[str], now: float) -> None:
        pipe = self.redis.pipeline()
        for key in keys:
            name = _REDIS_PREFIX + key
            # A unique member per failure: two at the same instant both count.
            pipe.zadd(name, {uuid.uuid4().hex: now})
            pipe.zremrangebyscore(name, "-inf", now - WINDOW_SECONDS)
            pipe.expire(name, WINDOW_SECONDS + 60)
        pipe.execute()

    def clear(self, key: str) -> None:
        self.redis.delete(_REDIS_PREFIX + key)


class LoginLimiter:
    """Asks the shared store; a Redis outage falls back to the database, never to no limit."""

    def __init__(self, settings: Settings, session: Session) -> None:
        self.settings = settings
        self.fallback = _DatabaseStore(session)
        self.store: _DatabaseStore | _RedisStore = self.fallback
        if settings.redis_url:
            self.store = _RedisStore(settings.redis_url)

    def _call(self, method: str, *args: object) -> object:
        from redis.exceptions import RedisError

        try:
            return getattr(self.store, method)(*args)
        except RedisError:
            log.warning("login throttle: Redis unreachable, counting in the database")
            return getattr(self.fallback, method)(*args)

    def wait_seconds(self, account: str, address: str) -> int:
        """0 when this login may be checked; else the seconds until it may (for Retry-After)."""
        now = clock()
        waits = []
        for limit in limits(self.settings, account, address):
            times = self._call("times", limit.key, now)
            assert isinstance(times, list)
            waits.append(_wait(times, limit.allowed, now))
        return max(waits)

    def failed(self, account: str, address: str) -> None:
        self._call("add", [limit.key for limit in limits(self.settings, account, address)], clock())

    def succeeded(self, account: str, address: str) -> None:
        # The owner got in from here: their own earlier typos no longer count against them.
        pair, _ = limits(self.settings, account, address)
        self._call("clear", pair.key)
