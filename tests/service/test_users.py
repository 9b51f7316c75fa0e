"""Users: password hashing, login, API tokens (hash stored only) and the `users` commands."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from schemas.tables import User
from service.auth import (
    UserError,
    authenticate,
    create_user,
    issue_token,
    user_for_token,
)
from service.cli import _register, cli


def test_password_is_hashed_and_login_checks_it(session) -> None:  # type: ignore[no-untyped-def]
    create_user(session, "Me@Example.org", "coordinator", "long enough pw")
    session.commit()
    user = session.scalars(select(User)).one()
    assert user.email == "me@example.org"
    assert "long enough pw" not in user.password_hash
    assert authenticate(session, "me@example.org", "long enough pw") is user
    assert authenticate(session, "ME@example.org ", "long enough pw") is user
    assert authenticate(session, "me@example.org", "wrong password") is None
    assert authenticate(session, "nobody@example.org", "long enough pw") is None


@pytest.mark.parametrize(
    ("email", "role", "password"),
    [
        ("not-an-email", "viewer", "12345678"),
        ("a@b.org", "admin", "12345678"),
        ("a@b.org", "viewer", "short"),
    ],
)
def test_bad_user_requests_are_refused(session, email, role, password) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError):
        create_user(session, email, role, password)


def test_duplicate_email_is_refused(session) -> None:  # type: ignore[no-untyped-def]
    create_user(session, "a@b.org", "viewer", "12345678")
    with pytest.raises(UserError, match="already exists"):
        create_user(session, "A@B.org", "viewer", "12345678")


def test_token_is_stored_as_hash_and_replaced_by_a_new_one(session) -> None:  # type: ignore[no-untyped-def]
    user = create_user(session, "a@b.org", "viewer", "12345678")
    first = issue_token(session, "a@b.org")
    assert user.token_hash and first not in user.token_hash
    assert user_for_token(session, first) is user
    second = issue_token(session, "a@b.org")
    assert user_for_token(session, second) is user
    assert user_for_token(session, first) is None
    assert user_for_token(session, "") is None
    assert user_for_token(session, None) is None
    with pytest.raises(UserError):
        issue_token(session, "nobody@b.org")


def _run(settings, monkeypatch, args, stdin=None):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("INSTANCE_PATH", settings.instance_path)
    monkeypatch.delenv("REDIS_URL", raising=False)
    _register()
    return CliRunner().invoke(cli, args, input=stdin)


def test_cli_creates_user_and_prints_a_working_token(settings, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    result = _run(
        settings,
        monkeypatch,
        ["users", "create", "m@e.org", "--role", "viewer", "--password-stdin"],
        stdin="secret-pass\n",
    )
    assert result.exit_code == 0, result.output
    token_run = _run(settings, monkeypatch, ["users", "token", "m@e.org"])
    assert token_run.exit_code == 0
    token = token_run.output.strip()
    user = user_for_token(session, token)
    assert user is not None and user.role == "viewer"
    assert authenticate(session, "m@e.org", "secret-pass") is not None


def test_cli_errors_are_one_line_and_non_zero(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    result = _run(settings, monkeypatch, ["users", "token", "nobody@e.org"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert result.output.strip().count("\n") == 0
    bad = _run(
        settings,
        monkeypatch,
        ["users", "create", "x@e.org", "--role", "viewer", "--password-stdin"],
        stdin="short\n",
    )
    assert bad.exit_code != 0 and "at least" in bad.output
