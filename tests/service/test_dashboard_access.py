"""Every new dashboard page and action: login needed, viewers refused, CSRF enforced."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from schemas.tables import AuditEntry, Reporter, User
from tests.service.test_dashboard import as_role, make_user, page_token, seed

# (method, path) of every coordinator-only page or action added for running the programme.
COORDINATOR_ONLY = [
    ("GET", "/reporters/new"),
    ("POST", "/reporters/new"),
    ("GET", "/reporters/{rid}/edit"),
    ("POST", "/reporters/{rid}/edit"),
    ("POST", "/reporters/{rid}/active"),
    ("GET", "/reporters/import"),
    ("POST", "/reporters/import"),
    ("GET", "/reporters/import/1"),
    ("GET", "/users"),
    ("POST", "/users"),
    ("POST", "/users/{uid}/role"),
    ("POST", "/users/{uid}/active"),
    ("POST", "/users/{uid}/reset"),
]
POSTS = [(m, p) for m, p in COORDINATOR_ONLY if m == "POST"] + [("POST", "/account/password")]


def _ids(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    make_user(session, "other@example.org", "viewer")
    return {
        "rid": session.scalar(select(Reporter.id)),
        "uid": session.scalar(select(User.id).where(User.email == "other@example.org")),
    }


def _form() -> dict[str, object]:
    return {
        "phone": "01712345678",
        "name": "X",
        "role": "coordinator",
        "union": "",
        "language": "en",
        "email": "x@example.org",
        "active": "0",
        "file": (io.BytesIO(b"phone,name,role,union\n"), "a.csv"),
    }


def test_new_pages_need_a_login(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    ids = _ids(session)
    for method, path in [
        *COORDINATOR_ONLY,
        ("GET", "/account/password"),
        ("GET", "/records.csv"),
        ("GET", "/messages.csv"),
    ]:
        if method == "GET":
            answer = client.get(path.format(**ids))
            assert answer.status_code == 302 and "/login" in answer.headers["Location"], path


@pytest.mark.parametrize("method,path", COORDINATOR_ONLY)
def test_a_viewer_is_refused(client, session, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    ids = _ids(session)
    as_role(client, session, "viewer")
    url = path.format(**ids)
    if method == "GET":
        answer = client.get(url)
    else:
        answer = client.post(url, data={"csrf_token": page_token(client), **_form()})
    assert answer.status_code == 403, url
    session.expire_all()
    assert session.scalar(select(AuditEntry).where(AuditEntry.actor.like("user:%"))) is None
    assert session.get(User, ids["uid"]).active is True


@pytest.mark.parametrize("method,path", POSTS)
def test_posts_without_the_csrf_token_are_refused(client, session, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    ids = _ids(session)
    as_role(client, session, "coordinator")
    url = path.format(**ids)
    assert client.post(url, data=_form()).status_code == 400, url
    assert client.post(url, data={"csrf_token": "forged", **_form()}).status_code == 400, url
    session.expire_all()
    assert session.scalar(select(AuditEntry).where(AuditEntry.actor.like("user:%"))) is None


def test_reset_link_post_needs_the_csrf_token(client, session) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/reset/whatever", data={"password": "x" * 10}).status_code == 400


def test_viewer_sees_no_admin_links(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "viewer")
    body = client.get("/reporters").get_data(as_text=True)
    assert "/reporters/new" not in body and "/reporters/import" not in body
    assert 'href="/users"' not in body
    assert "+8801711000001" not in body  # phones masked
