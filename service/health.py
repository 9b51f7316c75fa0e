"""Liveness and readiness probes for load balancers and docker-compose healthchecks."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from service.web import db, settings
from workers.channel_modes import modes

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():  # type: ignore[no-untyped-def]
    checks: dict[str, str] = {}
    try:
        db().execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        checks["database"] = f"down: {type(exc).__name__}"
    if settings().redis_url:
        from redis import Redis

        try:
            Redis.from_url(settings().redis_url, socket_timeout=2).ping()
            checks["queue"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["queue"] = f"down: {type(exc).__name__}"
    else:
        checks["queue"] = "in-process"
    ready = all(v in ("ok", "in-process") for v in checks.values())
    # Which provider setup is live (no secrets): e.g. Africa's Talking sandbox vs live.
    return jsonify(
        status="ready" if ready else "not ready", checks=checks, providers=modes(settings())
    ), 200 if ready else 503
