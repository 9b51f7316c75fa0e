"""Dashboard users: invite with a one-time link, role, deactivation, reset, own password."""

from __future__ import annotations

import re

from sqlalchemy import select

from schemas.tables import AuditEntry, User
from service.auth import issue_token, user_for_token
from tests.service.test_dashboard import PASSWORD, as_role, login, make_user, page_token


def _post(client, path: str, **data: object):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": page_token(client), **data})


def _link(body: str) -> str:
    found = re.search(r'value="(http://[^"]+/reset/[^"]+)"', body)
    assert found, "no one-time link on the page"
    return found.group(1).split("localhost", 1)[1]


def test_invite_shows_a_one_time_link_that_sets_the_password_once(client, app, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    answer = _post(client, "/users", email="New.Viewer@Example.org", role="viewer")
    assert answer.status_code == 201
    link = _link(answer.get_data(as_text=True))
    # Shown once: the users page afterwards does not carry it.
    assert link not in client.get("/users").get_data(as_text=True)
    newcomer = app.test_client()
    assert newcomer.get(link).status_code == 200
    token = page_token(newcomer)
    short = newcomer.post(link, data={"csrf_token": token, "password": "short", "again": "short"})
    assert short.status_code == 400 and "at least 8" in short.get_data(as_text=True)
    done = newcomer.post(
        link, data={"csrf_token": token, "password": "my new password", "again": "my new password"}
    )
    assert done.status_code == 302
    assert login(newcomer, "new.viewer@example.org", "my new password").status_code == 302
    # The link worked once.
    assert app.test_client().get(link).status_code == 404
    audit = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "users").order_by(AuditEntry.id)
    ).all()
    assert audit == ["create", "password"]


def test_reset_link_replaces_the_password_and_an_older_link(client, app, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    make_user(session, "forgot@example.org", "viewer")
    uid = session.scalar(select(User.id).where(User.email == "forgot@example.org"))
    first = _link(_post(client, f"/users/{uid}/reset").get_data(as_text=True))
    second = _link(_post(client, f"/users/{uid}/reset").get_data(as_text=True))
    assert app.test_client().get(first).status_code == 404
    other = app.test_client()
    other.get(second)
    other.post(
        second,
        data={
            "csrf_token": page_token(other),
            "password": "another secret",
            "again": "another secret",
        },
    )
    assert login(app.test_client(), "forgot@example.org", PASSWORD).status_code == 401
    assert login(app.test_client(), "forgot@example.org", "another secret").status_code == 302


def test_role_change_and_deactivation_end_access(client, app, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    make_user(session, "helper@example.org", "viewer")
    uid = session.scalar(select(User.id).where(User.email == "helper@example.org"))
    helper = app.test_client()
    login(helper, "helper@example.org")
    assert helper.get("/users").status_code == 403
    _post(client, f"/users/{uid}/role", role="coordinator")
    assert helper.get("/users").status_code == 200
    token = issue_token(session, "helper@example.org")
    session.commit()
    _post(client, f"/users/{uid}/active", active="0")
    session.expire_all()
    # The open session ends, a new login fails, the API token stops.
    assert helper.get("/users").status_code == 302
    assert login(app.test_client(), "helper@example.org").status_code == 401
    assert user_for_token(session, token) is None
    _post(client, f"/users/{uid}/active", active="1")
    assert login(app.test_client(), "helper@example.org").status_code == 302
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "users").order_by(AuditEntry.id)
    ).all()
    assert actions == ["role", "deactivate", "reactivate"]


def test_a_coordinator_cannot_demote_or_deactivate_themselves(client, session) -> None:  # type: ignore[no-untyped-def]
    email = as_role(client, session, "coordinator")
    me = session.scalar(select(User).where(User.email == email))
    answer = _post(client, f"/users/{me.id}/role", role="viewer")
    assert "cannot change your own role" in client.get(answer.headers["Location"]).get_data(
        as_text=True
    )
    _post(client, f"/users/{me.id}/active", active="0")
    session.expire_all()
    assert (me.role, me.active) == ("coordinator", True)


def test_everyone_changes_their_own_password(client, app, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "viewer")
    assert client.get("/account/password").status_code == 200
    wrong = _post(
        client,
        "/account/password",
        current="nope",
        password="brand new pass",
        again="brand new pass",
    )
    assert wrong.status_code == 400 and "current password is wrong" in wrong.get_data(as_text=True)
    ok = _post(
        client,
        "/account/password",
        current=PASSWORD,
        password="brand new pass",
        again="brand new pass",
    )
    assert ok.status_code == 302
    assert login(app.test_client(), "viewer@example.org", "brand new pass").status_code == 302


def test_invite_refuses_a_bad_email_or_a_known_one(client, session) -> None:  # type: ignore[no-untyped-def]
    as_role(client, session, "coordinator")
    assert _post(client, "/users", email="not-an-email", role="viewer").status_code == 400
    bad = _post(client, "/users", email="coordinator@example.org", role="viewer")
    assert bad.status_code == 400 and "already exists" in bad.get_data(as_text=True)
