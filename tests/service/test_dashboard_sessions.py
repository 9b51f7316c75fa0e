"""Sessions live on the server: logout ends them for every copy of the cookie; HTTPS behind a
trusted proxy (PROXY_COUNT) makes the cookie Secure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from schemas.tables import DashboardSession
from service import create_app
from tests.service.test_dashboard import as_role, page_token


def _cookie(client) -> str:  # type: ignore[no-untyped-def]
    cookie = client.get_cookie("session")
    assert cookie is not None
    return str(cookie.value)


def test_a_cookie_copied_before_logout_no_longer_works(app, client, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    stolen = _cookie(client)
    assert client.get("/").status_code == 200
    assert client.post("/logout", data={"csrf_token": page_token(client)}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    answer = thief.get("/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert session.scalar(select(func.count()).select_from(DashboardSession)) == 0


def test_logout_ends_only_that_browser(app, client, session) -> None:  # type: ignore[no-untyped-def]
    email = as_role(client, session, "coordinator")
    other = app.test_client()
    from tests.service.test_dashboard import login

    assert login(other, email).status_code == 302
    client.post("/logout", data={"csrf_token": page_token(client)})
    assert other.get("/").status_code == 200
    assert client.get("/").status_code == 302


def test_a_session_expires_after_a_working_day(client, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    assert client.get("/").status_code == 200
    session.execute(
        update(DashboardSession).values(created_at=datetime.now(UTC) - timedelta(hours=13))
    )
    session.commit()
    assert client.get("/").status_code == 302


def _login_over(client, session, proto: str):  # type: ignore[no-untyped-def]
    from schemas.tables import User
    from service.auth import create_user
    from tests.service.test_dashboard import PASSWORD

    if session.scalar(select(User).where(User.email == "me@example.org")) is None:
        create_user(session, "me@example.org", "coordinator", PASSWORD)
        session.commit()
    headers = {"X-Forwarded-Proto": proto, "X-Forwarded-For": "203.0.113.9"}
    client.get("/login", headers=headers)
    with client.session_transaction() as sess:
        token = sess["csrf"]
    return client.post(
        "/login",
        headers=headers,
        data={"email": "me@example.org", "password": PASSWORD, "csrf_token": token},
    )


def test_cookies_are_secure_behind_a_trusted_https_proxy(settings, session) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings.with_(proxy_count=1))
    answer = _login_over(app.test_client(), session, "https")
    assert answer.status_code == 302
    cookie = answer.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert answer.headers["Location"].startswith(("/", "https://"))


def test_forwarded_proto_is_ignored_without_a_trusted_proxy(settings, session) -> None:  # type: ignore[no-untyped-def]
    # PROXY_COUNT=0: anyone could send the header, so it says nothing about the connection.
    app = create_app(settings)
    answer = _login_over(app.test_client(), session, "https")
    assert answer.status_code == 302
    assert "Secure" not in answer.headers["Set-Cookie"]
    plain = _login_over(create_app(settings.with_(proxy_count=1)).test_client(), session, "http")
    assert "Secure" not in plain.headers["Set-Cookie"]


def test_https_pages_ask_browsers_to_stay_on_https(settings, session) -> None:  # type: ignore[no-untyped-def]
    client = create_app(settings.with_(proxy_count=1)).test_client()
    secure = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in client.get("/login").headers
