"""The users page (coordinators): invite, role, deactivate, one-time reset links; own password."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from schemas.tables import User
from service.auth import ROLES, UserError
from service.dashboard import access, bp, i18n
from service.user_admin import (
    RESET_HOURS,
    change_password,
    invite,
    issue_reset,
    set_active,
    set_role,
    use_reset,
    user_for_reset,
)
from service.web import db


def _me() -> User:
    user = access.current_user()
    assert user is not None  # the guard logged them in
    return user


def _problem(exc: UserError) -> str:
    """Our own reasons are string keys; create_user's are already one English line."""
    return i18n.t(str(exc))


def _page(
    link: str | None = None,
    link_for: str | None = None,
    problem: str | None = None,
    email: str = "",
    status: int = 200,
):  # type: ignore[no-untyped-def]
    users = db().scalars(select(User).order_by(User.active.desc(), User.email)).all()
    page = render_template(
        "users.html",
        users=users,
        roles=ROLES,
        link=link,
        link_for=link_for,
        problem=problem,
        email=email,
        hours=RESET_HOURS,
    )
    return page, status


def _link(token: str) -> str:
    return url_for("dashboard.reset_password", token=token, _external=True)


@bp.get("/users")
@access.coordinator_only
def users():  # type: ignore[no-untyped-def]
    return _page()


@bp.post("/users")
@access.coordinator_only
def user_invite():  # type: ignore[no-untyped-def]
    email = request.form.get("email", "")[:200]
    try:
        user, token = invite(db(), _me(), email, request.form.get("role", ""))
    except UserError as exc:
        db().rollback()
        return _page(problem=_problem(exc), email=email, status=400)
    db().commit()
    # The link is shown on this response only: it is not stored, nor put in a flash cookie.
    return _page(link=_link(token), link_for=user.email, status=201)


def _user(user_id: int) -> User:
    found = db().get(User, user_id)
    if found is None:
        abort(404)
    return found


@bp.post("/users/<int:user_id>/role")
@access.coordinator_only
def user_role(user_id: int):  # type: ignore[no-untyped-def]
    user = _user(user_id)
    try:
        if set_role(db(), _me(), user, request.form.get("role", "")):
            db().commit()
            flash(i18n.t("user_role_done").format(email=user.email), "ok")
    except UserError as exc:
        db().rollback()
        flash(_problem(exc), "error")
    return redirect(url_for("dashboard.users"))


@bp.post("/users/<int:user_id>/active")
@access.coordinator_only
def user_active(user_id: int):  # type: ignore[no-untyped-def]
    user = _user(user_id)
    active = request.form.get("active") == "1"
    try:
        if set_active(db(), _me(), user, active):
            db().commit()
            flash(
                i18n.t("user_reactivated" if active else "user_deactivated").format(
                    email=user.email
                ),
                "ok",
            )
    except UserError as exc:
        db().rollback()
        flash(_problem(exc), "error")
    return redirect(url_for("dashboard.users"))


@bp.post("/users/<int:user_id>/reset")
@access.coordinator_only
def user_reset(user_id: int):  # type: ignore[no-untyped-def]
    user = _user(user_id)
    if not user.active:
        return _page(problem=i18n.t("user_inactive"), status=400)
    token = issue_reset(db(), _me(), user)
    db().commit()
    return _page(link=_link(token), link_for=user.email)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):  # type: ignore[no-untyped-def]
    """The one-time link: choose a password (no login needed; the token is the proof)."""
    user = user_for_reset(db(), token)
    if user is None:
        return render_template(
            "password.html", mode="reset", problem=i18n.t("reset_invalid"), target=None
        ), 404
    if request.method == "POST":
        try:
            use_reset(
                db(),
                token,
                request.form.get("password", "")[:500],
                request.form.get("again", "")[:500],
            )
        except UserError as exc:
            db().rollback()
            return render_template(
                "password.html", mode="reset", problem=_problem(exc), target=user.email
            ), 400
        db().commit()
        access.log_out()
        flash(i18n.t("password_set"), "ok")
        return redirect(url_for("dashboard.login"))
    return render_template("password.html", mode="reset", problem=None, target=user.email)


@bp.route("/account/password", methods=["GET", "POST"])
def own_password():  # type: ignore[no-untyped-def]
    if request.method == "POST":
        try:
            change_password(
                db(),
                _me(),
                request.form.get("current", "")[:500],
                request.form.get("password", "")[:500],
                request.form.get("again", "")[:500],
            )
        except UserError as exc:
            db().rollback()
            return render_template(
                "password.html", mode="own", problem=_problem(exc), target=_me().email
            ), 400
        db().commit()
        flash(i18n.t("password_changed"), "ok")
        return redirect(url_for("dashboard.overview"))
    return render_template("password.html", mode="own", problem=None, target=_me().email)
