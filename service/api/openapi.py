"""GET /api/v1/openapi.json: an OpenAPI 3 description of this API (no token needed to read it)."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from schemas.commands import RECORD_KEYWORDS
from service.api import bp
from service.api.params import FLAGS, MAX_LIMIT, MAX_OFFSET, PERIOD_PATTERN
from service.reports.build import union_names, upazila_names
from service.reports.indicators import EVENT_TYPES, PARTNERS, SERVICES


def _q(name: str, desc: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": desc,
        "schema": schema or {"type": "string"},
    }


_INT = {"type": "integer"}
_COUNT = {
    "oneOf": [_INT, {"type": "string", "enum": ["<11"]}],
    "description": 'exact for coordinators; 1-10 shown as "<11" in the public view',
}
_DATE = {"type": "string", "format": "date"}
# Each schema is exactly what the route accepts (tests/service/test_api_schemathesis.py).
_PAGE = [
    _q(
        "limit",
        f"page size (1-{MAX_LIMIT}, default 50)",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    ),
    _q(
        "offset",
        "rows to skip (default 0)",
        {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
    ),
]
_ERRORS = {
    "400": {"$ref": "#/components/responses/Error"},
    "401": {"$ref": "#/components/responses/Error"},
}


def _obj(props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": props}


def _page_of(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "200": {
            "description": "newest first",
            "content": {
                "application/json": {
                    "schema": _obj(
                        {
                            "items": {"type": "array", "items": item},
                            "total": _INT,
                            "limit": _INT,
                            "offset": _INT,
                            "next_offset": {"type": ["integer", "null"]},
                        }
                    )
                }
            },
        },
        **_ERRORS,
    }


def _indicators_schema() -> dict[str, Any]:
    event = _obj(
        {
            "count": _INT,
            "participants": _INT,
            "gender": _obj({"M": _INT, "F": _INT, "O": _INT}),
            "audience": {"type": "object", "additionalProperties": _INT},
        }
    )
    return _obj(
        {
            "period": _obj(
                {
                    "from": {"type": "string", "format": "date"},
                    "to": {"type": "string", "format": "date"},
                }
            ),
            "survivors": _obj(
                {
                    **{
                        k: _COUNT
                        for k in (
                            "enrolled",
                            "needs_assessed",
                            "individual_counselling",
                            "families_counselled",
                            "family_members_counselled",
                            "certified",
                            "referrals_completed",
                            "emergency_support",
                            "children",
                        )
                    },
                    "referred": _obj({s: _COUNT for s in SERVICES}),
                    "partner_support": _obj({p: _COUNT for p in PARTNERS}),
                }
            ),
            "community_counselling": _obj({"sessions": _INT, "participants": _INT}),
            "events": _obj({k: event for k in EVENT_TYPES}),
            "international_days": {
                "type": "array",
                "items": _obj(
                    {
                        "code": {"type": "string"},
                        "name": {"type": "string"},
                        "date": {"type": "string", "format": "date"},
                        "participants": _INT,
                        "gender": _obj({"M": _INT, "F": _INT, "O": _INT}),
                        "reports": _INT,
                    }
                ),
            },
        }
    )


def spec() -> dict[str, Any]:
    period = [
        _q("from", "first day, YYYY-MM-DD (with to, not after it)", _DATE),
        _q("to", "last day, YYYY-MM-DD (with from)", _DATE),
        _q(
            "period",
            "instead of from/to: 2021, 2021-Q3, 2021-03, FY2021 or project",
            {"type": "string", "pattern": PERIOD_PATTERN},
        ),
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ashshash SMS API",
            "version": "1",
            "description": "Indicators, records and messages. Authorization: Bearer "
            "<token from `ashshash users token EMAIL`>.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "Error": {
                    "description": "one-line error",
                    "content": {
                        "application/json": {"schema": _obj({"error": {"type": "string"}})}
                    },
                }
            },
        },
        "paths": {
            "/indicators": {
                "get": {
                    "summary": "Donor report indicators for a period (indicators.md)",
                    "parameters": [
                        *period,
                        _q(
                            "upazila",
                            "only this upazila",
                            {"type": "string", "enum": upazila_names()},
                        ),
                        _q(
                            "union",
                            "only this union (coordinators, not with public=1; "
                            "inside the upazila when both are given)",
                            {"type": "string", "enum": union_names()},
                        ),
                        _q(
                            "public",
                            "1: apply the privacy floor (always for viewers)",
                            {"type": "string", "enum": list(FLAGS)},
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "indicators",
                            "content": {"application/json": {"schema": _indicators_schema()}},
                        },
                        **_ERRORS,
                    },
                }
            },
            "/records": {
                "get": {
                    "summary": "Accepted (not cancelled) records; viewers see no survivor records",
                    "parameters": [
                        _q("type", "keyword", {"type": "string", "enum": list(RECORD_KEYWORDS)}),
                        _q("from", "activity date from", _DATE),
                        _q("to", "activity date to", _DATE),
                        _q("reporter", "reporter id or phone number"),
                        *_PAGE,
                    ],
                    "responses": _page_of(
                        _obj(
                            {
                                "id": _INT,
                                "type": {"type": "string"},
                                "activity_date": {"type": "string"},
                            }
                        )
                    ),
                }
            },
            "/messages": {
                "get": {
                    "summary": "Stored messages (coordinators only)",
                    "parameters": [
                        _q(
                            "direction",
                            "in (default) or out",
                            {"type": "string", "enum": ["in", "out"]},
                        ),
                        _q("phone", "sender (in) or recipient (out): a phone number"),
                        _q("status", "message status"),
                        _q(
                            "since",
                            "a date, or a date-time with its offset",
                            {"anyOf": [_DATE, {"type": "string", "format": "date-time"}]},
                        ),
                        *_PAGE,
                    ],
                    "responses": {
                        **_page_of(
                            _obj(
                                {
                                    "id": _INT,
                                    "direction": {"type": "string"},
                                    "text": {"type": "string"},
                                }
                            )
                        ),
                        "403": {"$ref": "#/components/responses/Error"},
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": {"description": "OpenAPI 3"}},
                }
            },
        },
    }


def known_parameters() -> dict[str, frozenset[str]]:
    """Per route under /api/v1, the query parameters the description names."""
    return {
        path: frozenset(p["name"] for p in ops["get"].get("parameters", ()))
        for path, ops in spec()["paths"].items()
    }


@bp.get("/openapi.json")
def openapi_json():  # type: ignore[no-untyped-def]
    return jsonify(spec())
