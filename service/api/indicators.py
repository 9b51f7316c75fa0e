"""GET /api/v1/indicators: the indicators.md object; viewers get the public (suppressed) counts."""

from __future__ import annotations

from flask import jsonify, request

from schemas.periods import PeriodError, resolve_period
from service.api import api_error, bp, is_coordinator, require_token
from service.reports.build import ReportError, indicators_for, make_scope, project_dates
from service.web import db, settings


@bp.get("/indicators")
@require_token
def get_indicators():  # type: ignore[no-untyped-def]
    args = request.args
    # Exact survivor numbers are for coordinators only; anyone may ask for the public view.
    public = not is_coordinator() or args.get("public", "").lower() in ("1", "true", "yes")
    try:
        first, last = project_dates(settings())
        period = resolve_period(start=args.get("from"), end=args.get("to"),
                                period=args.get("period"), project_start=first,
                                project_end=last)
        scope = make_scope(period, args.get("upazila"), args.get("union"), public=public)
    except (PeriodError, ReportError) as exc:
        return api_error(400, str(exc))
    return jsonify(indicators_for(db(), scope, public=public))
