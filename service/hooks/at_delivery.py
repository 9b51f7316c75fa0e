"""Africa's Talking delivery reports: form -> the outbound message's status moves forward."""

from __future__ import annotations

import logging

from flask import abort, request

from schemas.provider_values import provider_key, storable
from service.hooks import bp
from service.web import db
from workers.db import DB_DOWN
from workers.outbound.delivery import apply_delivery_report

log = logging.getLogger("ashshash.hooks.at_delivery")

# Only these are needed to move a reply on; `phoneNumber`, `networkCode`, `failureReason`
# and `retryCount` are optional (courier, in production for years, requires no more either).
REQUIRED = ("id", "status")


@bp.post("/at/delivery")
def at_delivery() -> tuple[str, int]:
    form = request.form  # reading it enforces MAX_CONTENT_LENGTH (413)
    for name in REQUIRED:
        if not form.get(name, "").strip():
            abort(400, description=f"missing field: {name}")
    provider_id = provider_key(form["id"])
    status = storable(form["status"].strip())
    session = db()
    try:
        message = apply_delivery_report(
            session,
            provider_id=provider_id,
            status=status,
            failure_reason=storable(form.get("failureReason", "").strip()) or None,
        )
        session.commit()
    except DB_DOWN as exc:
        session.rollback()
        log.error("database down (%s): delivery report %s refused with 503", exc, provider_id)
        return "Service Unavailable", 503
    if message is None:
        # Answering anything but 200 only makes the provider repeat a report we cannot use.
        log.warning("delivery report %s for unknown message id %s ignored", status, provider_id)
    return "OK", 200
