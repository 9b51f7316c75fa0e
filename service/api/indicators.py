"""GET /api/v1/indicators: the indicators.md object; viewers get the public (suppressed) counts."""

from __future__ import annotations

from flask import jsonify

from schemas.periods import PeriodError, resolve_period
from service.api import api_error, bp, is_coordinator, require_token
from service.api.params import BadRequest, choice, day, flag, period_text
from service.reports.build import (
    ReportError,
    indicators_for,
    make_scope,
    project_dates,
    union_names,
    upazila_names,
)
from service.web import db, settings


@bp.get("/indicators")
@require_token
def get_indicators():  # type: ignore[no-untyped-def]
    try:
        # Exact survivor numbers are for coordinators only; anyone may ask for the public view.
        public = flag("public") or not is_coordinator()
        start, end = day("from"), day("to")
        first, last = project_dates(settings())
        period = resolve_period(
            start=start.isoformat() if start else None,
            end=end.isoformat() if end else None,
            period=period_text(),
            project_start=first,
            project_end=last,
        )
        upazila = choice("upazila", tuple(upazila_names()))
        scope = make_scope(period, upazila, choice("union", tuple(union_names())), public=public)
    except (BadRequest, PeriodError, ReportError) as exc:
        return api_error(400, str(exc))
    return jsonify(indicators_for(db(), scope, public=public))
