"""The reporters page with each reporter's activity, and the coordinator's add / edit forms."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for

from schemas.actor import Actor
from schemas.commands import Lang, Role
from schemas.places import load_gazetteer
from schemas.tables import Reporter
from service.dashboard import access, bp, i18n
from service.dashboard.activity import NEVER, activity_by_reporter
from service.dashboard.overview import local_today
from service.dashboard.privacy import mask_phone, viewer_records
from service.web import db, settings
from workers.outbound.throttle import throttled_numbers
from workers.reporter_edit import EDITABLE, add_reporter, edit_reporter, set_active
from workers.reporters import list_reporters

ROLES = tuple(role.value for role in Role)
LANGS = tuple(lang.value for lang in Lang)


def actor() -> Actor:
    """The logged-in user, whom every change made on these pages is audited as."""
    user = access.current_user()
    assert user is not None  # the guard logged them in
    return Actor.user(user.id)


@bp.get("/reporters")
def reporters():  # type: ignore[no-untyped-def]
    show = request.args.get("show", "all")
    found = list_reporters(db())
    if show in ("active", "inactive"):
        found = [r for r in found if r.active == (show == "active")]
    found.sort(key=lambda r: (not r.active, r.name.lower()))
    tz = settings().timezone
    coordinator = access.is_coordinator()
    # A viewer's per-reporter tally leaves survivor records out, like every viewer count.
    seen = () if coordinator else (viewer_records(),)
    activity = activity_by_reporter(db(), tz, local_today(tz), seen)
    # Numbers past SENDER_HOURLY_LIMIT now: registered or not (a flood often is not).
    throttled = throttled_numbers(db(), settings(), datetime.now(UTC))
    paused = {phone for phone, _ in throttled}
    silent = _silent_ids()
    rows = [
        {
            "id": r.id,
            "silent": r.id in silent,
            "throttled": r.phone in paused,
            "name": r.name,
            "phone": r.phone if coordinator else mask_phone(r.phone),
            "raw_phone": r.phone,
            "role": r.role,
            "union": r.union,
            "upazila": r.upazila,
            "language": r.language,
            "active": r.active,
            "act": activity.get(r.id, NEVER),
        }
        for r in found
    ]
    shown = [(p if coordinator else mask_phone(p), n) for p, n in throttled]
    return render_template(
        "reporters.html",
        rows=rows,
        show=show,
        throttled=shown,
        limit=settings().sender_hourly_limit,
    )


def _silent_ids() -> set[int]:
    """Activists the silent_reporter rule counts as silent today (outreach.toml's days)."""
    from schemas.outreach.config import ConfigError
    from workers.outreach import config, rules

    try:
        rule = config.load(settings()).config.rules["silent_reporter"]
    except ConfigError:
        return set()
    today = local_today(settings().timezone)
    return {due.reporter_id for due in rules.silent_reporter(db(), rule, today) if due.step == 1}


def _form(reporter: Reporter | None, values: dict[str, str], problem: str | None, status: int):
    # Union names for the browser's suggestions; the check itself is the import's.
    unions = sorted({place.union for place in load_gazetteer().unions() if place.union})
    page = render_template(
        "reporter_form.html",
        reporter=reporter,
        values=values,
        problem=problem,
        roles=ROLES,
        langs=LANGS,
        unions=unions,
    )
    return page, status


def _posted() -> dict[str, str]:
    return {key: request.form.get(key, "")[:200] for key in ("phone", *EDITABLE)}


@bp.route("/reporters/new", methods=["GET", "POST"])
@access.coordinator_only
def reporter_new():  # type: ignore[no-untyped-def]
    if request.method == "GET":
        return _form(None, {"role": "activist", "language": "bn"}, None, 200)
    values = _posted()
    made = add_reporter(db(), values, region=settings().default_region, actor=actor())
    if isinstance(made, str):
        db().rollback()
        return _form(None, values, made, 400)
    db().commit()
    flash(i18n.t("reporter_added").format(name=made.name), "ok")
    return redirect(url_for("dashboard.reporters"))


def _reporter(reporter_id: int) -> Reporter:
    found = db().get(Reporter, reporter_id)
    if found is None:
        abort(404)
    return found


@bp.route("/reporters/<int:reporter_id>/edit", methods=["GET", "POST"])
@access.coordinator_only
def reporter_edit(reporter_id: int):  # type: ignore[no-untyped-def]
    reporter = _reporter(reporter_id)
    if request.method == "GET":
        values = {key: str(getattr(reporter, key) or "") for key in EDITABLE}
        return _form(reporter, values, None, 200)
    values = _posted()
    changed = edit_reporter(db(), reporter, values, region=settings().default_region, actor=actor())
    if isinstance(changed, str):
        db().rollback()
        return _form(reporter, values, changed, 400)
    db().commit()
    flash(
        i18n.t("reporter_saved" if changed else "reporter_unchanged").format(name=reporter.name),
        "ok",
    )
    return redirect(url_for("dashboard.reporters"))


@bp.post("/reporters/<int:reporter_id>/active")
@access.coordinator_only
def reporter_active(reporter_id: int):  # type: ignore[no-untyped-def]
    reporter = _reporter(reporter_id)
    active = request.form.get("active") == "1"
    if set_active(db(), reporter, active, actor=actor()):
        db().commit()
        flash(
            i18n.t("reporter_reactivated" if active else "reporter_deactivated").format(
                name=reporter.name
            ),
            "ok",
        )
    return redirect(url_for("dashboard.reporters"))
