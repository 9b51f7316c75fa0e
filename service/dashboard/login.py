"""Login, logout and the language switch."""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for

from service.auth import authenticate
from service.dashboard import access, bp, i18n
from service.web import db


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    next_url = request.values.get("next")
    if request.method == "POST":
        email = request.form.get("email", "")[:200]
        user = authenticate(db(), email, request.form.get("password", "")[:500])
        if user is not None:
            access.log_in(user)
            return redirect(access.safe_next(next_url))
        return render_template("login.html", failed=True, email=email, next=next_url), 401
    if access.current_user() is not None:
        return redirect(access.safe_next(next_url))
    return render_template("login.html", failed=False, email="", next=next_url)


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    access.log_out()
    return redirect(url_for("dashboard.login"))


@bp.get("/lang/<code>")
def set_lang(code: str):  # type: ignore[no-untyped-def]
    # Only a display preference in the session, so a plain link (GET) is safe here.
    if code in i18n.LANGS:
        session["lang"] = code
    return redirect(access.safe_next(request.args.get("next")))
