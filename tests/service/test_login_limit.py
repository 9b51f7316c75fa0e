"""Login throttling (LOGIN_MAX_ATTEMPTS): per account+address and per address, a 429 with the
wait, counted in Redis when REDIS_URL is set and in the database otherwise."""

from __future__ import annotations

import pytest

from service import create_app
from service.dashboard import login_limit
from tests.service.test_dashboard import PASSWORD, make_user

EMAIL = "coordinator@example.org"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(login_limit, "clock", fake)
    return fake


def _try(client, email: str, password: str, address: str = "198.51.100.7"):  # type: ignore[no-untyped-def]
    env = {"REMOTE_ADDR": address}
    client.get("/login", environ_base=env)
    with client.session_transaction() as sess:
        token = sess["csrf"]
    return client.post(
        "/login", environ_base=env, data={"email": email, "password": password, "csrf_token": token}
    )


def test_the_limit_answers_429_with_the_wait(settings, session, clock) -> None:  # type: ignore[no-untyped-def]
    make_user(session, EMAIL, "coordinator")
    client = create_app(settings.with_(login_max_attempts=3)).test_client()
    for _ in range(3):
        assert _try(client, EMAIL, "wrong password").status_code == 401
    clock.now += 60
    blocked = _try(client, EMAIL, PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == str(15 * 60 - 60)
    assert "Try again in 14 minutes" in blocked.get_data(as_text=True)
    # Refused tries are not counted: the block ends with the window, not later.
    for _ in range(20):
        clock.now += 30
        assert _try(client, EMAIL, "wrong password").status_code == 429
    clock.now += 15 * 60 - 60 - 20 * 30
    assert _try(client, EMAIL, PASSWORD).status_code == 302


def test_an_attacker_elsewhere_cannot_lock_the_coordinator_out(settings, session, clock) -> None:  # type: ignore[no-untyped-def]
    make_user(session, EMAIL, "coordinator")
    app = create_app(settings.with_(login_max_attempts=3))
    attacker = app.test_client()
    for _ in range(5):
        _try(attacker, EMAIL, "guess", address="203.0.113.66")
    assert _try(attacker, EMAIL, PASSWORD, address="203.0.113.66").status_code == 429
    assert _try(app.test_client(), EMAIL, PASSWORD, address="198.51.100.7").status_code == 302


def test_one_address_is_limited_across_accounts(settings, session, clock) -> None:  # type: ignore[no-untyped-def]
    make_user(session, EMAIL, "coordinator")
    client = create_app(settings.with_(login_max_attempts=2)).test_client()
    # 2 per account, 10 (5x) per address: spraying ten accounts uses the address's allowance.
    for n in range(10):
        assert _try(client, f"user{n}@example.org", "guess").status_code == 401
    assert _try(client, "fresh@example.org", "guess").status_code == 429
    assert _try(client, EMAIL, PASSWORD, address="198.51.100.8").status_code == 302


def test_a_success_forgets_the_owners_own_typos(settings, session, clock) -> None:  # type: ignore[no-untyped-def]
    make_user(session, EMAIL, "coordinator")
    client = create_app(settings.with_(login_max_attempts=3)).test_client()
    for _ in range(2):
        _try(client, EMAIL, "typo")
    assert _try(client, EMAIL, PASSWORD).status_code == 302
    client.post("/logout", data={"csrf_token": _csrf(client)})
    for _ in range(2):
        assert _try(client, EMAIL, "typo").status_code == 401
    assert _try(client, EMAIL, PASSWORD).status_code == 302


def _csrf(client) -> str:  # type: ignore[no-untyped-def]
    with client.session_transaction() as sess:
        return str(sess["csrf"])


def test_the_count_is_shared_by_every_web_process(settings, session, clock) -> None:  # type: ignore[no-untyped-def]
    # Two apps stand for two gunicorn workers: they share only the store (Redis or database).
    make_user(session, EMAIL, "coordinator")
    first = create_app(settings.with_(login_max_attempts=4)).test_client()
    second = create_app(settings.with_(login_max_attempts=4)).test_client()
    for client in (first, second, first, second):
        assert _try(client, EMAIL, "wrong").status_code == 401
    assert _try(first, EMAIL, PASSWORD).status_code == 429
    assert _try(second, EMAIL, PASSWORD).status_code == 429


def test_nothing_identifying_is_stored_for_a_failure(settings, session, clock) -> None:  # type: ignore[no-untyped-def]
    client = create_app(settings.with_(redis_url=None)).test_client()
    _try(client, "someone@example.org", "guess", address="192.0.2.44")
    from sqlalchemy import select

    from schemas.tables import LoginFailure

    keys = session.scalars(select(LoginFailure.key)).all()
    assert len(keys) == 2
    assert all("example" not in k and "192.0.2" not in k and len(k) == 64 for k in keys)


def test_a_redis_outage_falls_back_to_the_database(settings, session, clock) -> None:  # type: ignore[no-untyped-def]
    make_user(session, EMAIL, "coordinator")
    broken = settings.with_(redis_url="redis://127.0.0.1:1/0", login_max_attempts=2)
    client = create_app(broken).test_client()
    for _ in range(2):
        assert _try(client, EMAIL, "wrong").status_code == 401
    assert _try(client, EMAIL, PASSWORD).status_code == 429
