"""The JSON API: bearer tokens, indicators (exact or public by role), records, messages, OpenAPI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete

from schemas.periods import Period
from schemas.tables import User
from service import create_app
from service.auth import create_user, issue_token
from service.reports.build import indicators_for, make_scope
from tests.service.fixtures_reports import ReportDb, report_db  # noqa: F401
from workers.db import session_factory, session_scope

YEAR = {"from": "2021-01-01", "to": "2021-12-31"}


@pytest.fixture(scope="module")
def api(report_db: ReportDb) -> Iterator[tuple[FlaskClient, dict[str, str]]]:  # noqa: F811
    with session_scope(report_db.settings) as session:
        tokens = {}
        for role in ("coordinator", "viewer"):
            create_user(session, f"{role}@example.org", role, "a long password")
            tokens[role] = issue_token(session, f"{role}@example.org")
    app = create_app(report_db.settings)
    app.config["TESTING"] = True
    yield app.test_client(), tokens
    with session_scope(report_db.settings) as session:
        session.execute(delete(User))


def _get(api, role: str | None, path: str, **params):  # type: ignore[no-untyped-def]
    client, tokens = api
    headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
    return client.get(path, query_string=params, headers=headers)


@pytest.mark.parametrize("header", [None, "Bearer ", "Bearer not-a-token", "Basic abc", "Token x"])
def test_no_or_bad_token_is_401(api, header) -> None:  # type: ignore[no-untyped-def]
    client, _ = api
    headers = {"Authorization": header} if header else {}
    for path in ("/api/v1/indicators", "/api/v1/records", "/api/v1/messages"):
        response = client.get(path, query_string=YEAR, headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert set(response.get_json()) == {"error"}


def test_coordinator_gets_exact_numbers_same_as_the_cli_object(api, report_db) -> None:  # type: ignore[no-untyped-def]  # noqa: F811

    response = _get(api, "coordinator", "/api/v1/indicators", **YEAR)
    assert response.status_code == 200
    body = response.get_json()
    with session_factory(report_db.settings)() as session:
        scope = make_scope(Period(date(2021, 1, 1), date(2021, 12, 31)), None, None)
        assert body == json.loads(json.dumps(indicators_for(session, scope, public=False)))
    assert body["survivors"]["referred"]["LEGAL"] == 5
    assert _get(api, "coordinator", "/api/v1/indicators", period="2021").get_json() == body


def test_viewer_gets_public_survivor_numbers(api) -> None:  # type: ignore[no-untyped-def]
    body = _get(api, "viewer", "/api/v1/indicators", **YEAR).get_json()
    assert body["survivors"]["referred"]["LEGAL"] == "<11"
    assert body["survivors"]["enrolled"] == 298
    assert body["events"]["TRN"]["count"] == 1  # event counts are not survivor data
    assert _get(api, "viewer", "/api/v1/indicators", union="Nalta", **YEAR).status_code == 400
    upazila = _get(api, "viewer", "/api/v1/indicators", upazila="Kaliganj", **YEAR)
    assert upazila.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"from": "2021-01-01"},
        {"period": "someday"},
        {"from": "x", "to": "y"},
        {"upazila": "Atlantis", **YEAR},
    ],
)
def test_bad_indicator_requests_are_400(api, params) -> None:  # type: ignore[no-untyped-def]
    response = _get(api, "coordinator", "/api/v1/indicators", **params)
    assert response.status_code == 400
    assert "\n" not in response.get_json()["error"]


def test_records_newest_first_paginated_and_filtered(api) -> None:  # type: ignore[no-untyped-def]
    first = _get(api, "coordinator", "/api/v1/records", limit=10).get_json()
    second = _get(api, "coordinator", "/api/v1/records", limit=10, offset=10).get_json()
    ids = [r["id"] for r in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 20
    assert first["next_offset"] == 10 and first["total"] > 2500
    meet = _get(api, "coordinator", "/api/v1/records", type="meet", limit=500, **YEAR).get_json()
    # Four meetings in 2021; the fifth was undone and is not an accepted record any more.
    assert meet["total"] == 4 and {r["type"] for r in meet["items"]} == {"MEET"}
    assert sum(r["total"] for r in meet["items"]) == 67
    by_phone = _get(
        api, "coordinator", "/api/v1/records", reporter="01711000011", limit=500
    ).get_json()
    assert by_phone["total"] > 0
    assert {r["reporter_id"] for r in by_phone["items"]} == {by_phone["items"][0]["reporter_id"]}
    ic = _get(api, "coordinator", "/api/v1/records", type="IC", limit=1).get_json()
    assert len(ic["items"][0]["survivor_code"]) == 6
    assert _get(api, "coordinator", "/api/v1/records", limit=0).status_code == 400
    assert _get(api, "coordinator", "/api/v1/records", type="XYZ").status_code == 400


def test_viewers_see_no_survivor_records_and_no_messages(api) -> None:  # type: ignore[no-untyped-def]
    body = _get(api, "viewer", "/api/v1/records", limit=500).get_json()
    assert body["total"] > 0
    assert not any("survivor_code" in r for r in body["items"])
    assert _get(api, "viewer", "/api/v1/records", type="IC").get_json()["total"] == 0
    assert _get(api, "viewer", "/api/v1/messages").status_code == 403


def test_messages_in_and_out(api) -> None:  # type: ignore[no-untyped-def]
    inbound = _get(api, "coordinator", "/api/v1/messages", direction="in", limit=50).get_json()
    times = [datetime.fromisoformat(m["provider_time"]) for m in inbound["items"]]
    assert times == sorted(times, reverse=True)
    dupes = _get(api, "coordinator", "/api/v1/messages", status="duplicate").get_json()
    assert dupes["total"] == 40
    mine = _get(api, "coordinator", "/api/v1/messages", phone="+8801799999990").get_json()
    assert mine["total"] == 3 and {m["status"] for m in mine["items"]} == {"ignored"}
    recent = _get(api, "coordinator", "/api/v1/messages", since="2022-08-01").get_json()
    assert 0 < recent["total"] < inbound["total"]
    out = _get(api, "coordinator", "/api/v1/messages", direction="out", limit=5).get_json()
    assert out["total"] > 0 and all(m["direction"] == "out" for m in out["items"])
    assert _get(api, "coordinator", "/api/v1/messages", direction="up").status_code == 400
    assert _get(api, "coordinator", "/api/v1/messages", since="soon").status_code == 400


def test_openapi_describes_every_route(api) -> None:  # type: ignore[no-untyped-def]
    client, _ = api
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/indicators", "/records", "/messages", "/openapi.json"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/v1/records", {"offset": str(10**20)}),
        ("/api/v1/messages", {"offset": str(10**20)}),
        ("/api/v1/records", {"limit": str(10**20)}),
        ("/api/v1/records", {"offset": "-1"}),
        ("/api/v1/records", {"limit": "0"}),
        ("/api/v1/records", {"limit": " 5"}),
        ("/api/v1/records", {"limit": "\u0665"}),  # an Arabic-Indic five: int() would take it
        ("/api/v1/records", {"to": ""}),
        ("/api/v1/records", {"from": "20210101"}),
        ("/api/v1/indicators", {"from": "2021-01-01", "to": ""}),
        ("/api/v1/indicators", {"period": "0000"}),
        ("/api/v1/indicators", {"period": "2021", "public": "maybe"}),
        ("/api/v1/indicators", {"period": "2021", "upazila": ""}),
        ("/api/v1/messages", {"since": "2021-01-01T10"}),
        ("/api/v1/messages", {"direction": ""}),
        ("/api/v1/records", {"form": "2021-01-01"}),  # a typo is refused, not ignored
    ],
)
def test_out_of_range_or_malformed_parameters_are_400(api, path, params) -> None:  # type: ignore[no-untyped-def]
    response = _get(api, "coordinator", path, **params)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert set(response.get_json()) == {"error"}


def test_the_largest_described_offset_is_answered(api) -> None:  # type: ignore[no-untyped-def]
    from service.api.params import MAX_OFFSET

    body = _get(api, "coordinator", "/api/v1/records", offset=str(MAX_OFFSET)).get_json()
    assert body["items"] == [] and body["offset"] == MAX_OFFSET
    spec = _get(api, None, "/api/v1/openapi.json").get_json()
    limit = next(p for p in spec["paths"]["/records"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}


def test_a_wrong_method_says_which_are_allowed(api) -> None:  # type: ignore[no-untyped-def]
    client, tokens = api
    auth = {"Authorization": f"Bearer {tokens['coordinator']}"}
    response = client.post("/api/v1/records", headers=auth)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert client.delete("/login").headers["Allow"]  # dashboard routes too
