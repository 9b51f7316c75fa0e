"""Login, logout and the language switch."""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for

from service.auth import authenticate
from service.dashboard import access, bp, i18n
from service.dashboard.login_limit import LoginLimiter
from service.web import db, settings


def _throttled(email: str, next_url: str | None, wait: int):  # type: ignore[no-untyped-def]
    minutes = max(1, -(-wait // 60))
    page = render_template(
        "login.html",
        failed=False,
        email=email,
        next=next_url,
        wait=i18n.t("login_wait").format(minutes=i18n.num(minutes)),
    )
    return page, 429, {"Retry-After": str(wait)}


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    next_url = request.values.get("next")
    if request.method == "POST":
        email = request.form.get("email", "")[:200]
        # After ProxyFix (PROXY_COUNT) this is the client's address, not the proxy's.
        address = request.remote_addr or "-"
        limiter = LoginLimiter(settings(), db())
        wait = limiter.wait_seconds(email, address)
        if wait:
            # Refused unchecked and not counted: even the right password waits, and an
            # attacker's refused tries cannot stretch the block beyond the window.
            return _throttled(email, next_url, wait)
        user = authenticate(db(), email, request.form.get("password", "")[:500])
        if user is not None:
            limiter.succeeded(email, address)
            access.log_in(user)
            return redirect(access.safe_next(next_url))
        limiter.failed(email, address)
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
