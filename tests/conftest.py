"""Shared fixtures: an isolated database (SQLite or PostgreSQL) and app per test, and a guard
that fails any test trying to reach a real provider over the network."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from schemas.tables import Base
from tests.fakes.at_server import FakeAfricasTalking
from workers.db import dispose_engines, get_engine, session_factory
from workers.migrate import upgrade
from workers.settings import Settings

TEST_DATABASE_URL = os.environ.get("DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("REDIS_URL") or None
USES_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")

# --- the outside-world guard -------------------------------------------------------------

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address):  # type: ignore[no-untyped-def]
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            local = ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = host == "localhost"
        if not local:
            raise RuntimeError(f"test tried to reach the network: {host} (fake it locally)")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_real_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    # The SDK resolves its host before connecting; make that fail loudly too.
    real_getaddrinfo = socket.getaddrinfo

    def guarded_getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host not in (None, "localhost") and not str(host).startswith(("127.", "::1")):
            try:
                ipaddress.ip_address(host)
            except ValueError as exc:
                raise RuntimeError(f"test tried to resolve {host}: fake it locally") from exc
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


# --- slow tests ---------------------------------------------------------------------------

# A test fed by one of these fixtures is slow however short its own body: `report_db` runs a
# few thousand messages through the pipeline once per run (about a minute). Marking by the
# fixture, here, means no test of it can miss the mark. Other slow tests carry
# `@pytest.mark.slow` themselves. Slow tests always run (CI too); `-m "not slow"` skips them.
SLOW_FIXTURES = frozenset({"report_db"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


# --- databases ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once, copy per test: every test gets a fresh database in milliseconds."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(Settings(database_url=f"sqlite:///{path}"))
    dispose_engines()
    return path


@pytest.fixture(scope="session")
def _postgres_migrated() -> str:
    upgrade(Settings(database_url=TEST_DATABASE_URL))
    return TEST_DATABASE_URL


def _truncate_postgres(url: str) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with get_engine(url).begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def _flush_redis(url: str) -> None:
    from redis import Redis

    Redis.from_url(url).flushdb()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if USES_POSTGRES:
        url = request.getfixturevalue("_postgres_migrated")
        _truncate_postgres(url)
        return url
    template = request.getfixturevalue("_sqlite_template")
    target = tmp_path / "ashshash.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Iterator[Settings]:
    if TEST_REDIS_URL:
        _flush_redis(TEST_REDIS_URL)
    yield Settings(
        database_url=database_url,
        redis_url=TEST_REDIS_URL,
        secret_key="test-secret",
        webhook_token="test-token",
        instance_path=str(tmp_path / "instance"),
        # The suite replays traffic of fixed dates (the 2021 seed, the 2026-03-10 examples),
        # as an operator replaying history would (MAX_PROVIDER_LAG_DAYS, interfaces.md).
        # The clock rule's own tests set it as deployed (7): tests/workers/test_clock_rule.py.
        max_provider_lag_days=36500,
    )
    if not USES_POSTGRES:
        dispose_engines()


@pytest.fixture
def session(settings: Settings) -> Iterator[Session]:
    s = session_factory(settings)()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    from service import create_app

    application = create_app(settings)
    application.config["TESTING"] = True
    return application


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def fake_at() -> Iterator[FakeAfricasTalking]:
    """A local fake Africa's Talking server for the real SDK to talk to."""
    fake = FakeAfricasTalking().start()
    try:
        yield fake
    finally:
        fake.stop()
