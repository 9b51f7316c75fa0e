"""schemathesis against /api/v1/openapi.json: what the description says and what the API does
agree (valid requests accepted, invalid ones refused with 4xx, never a 500), bounded."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode

from service import create_app
from service.auth import create_user, issue_token
from service.reports.build import _gazetteer
from workers.phones import to_e164

# Examples per operation, mode and role: enough to walk every parameter, small enough for CI.
EXAMPLES = 20


@pytest.fixture
def tokens(session) -> dict[str, str]:  # type: ignore[no-untyped-def]
    out = {}
    for role in ("coordinator", "viewer"):
        create_user(session, f"{role}@example.org", role, "a long password")
        out[role] = issue_token(session, f"{role}@example.org")
    session.commit()
    return out


def _phone(value: Any) -> bool:
    return isinstance(value, str) and to_e164(value, "BD") is not None


def follows_the_prose(case: Any, role: str) -> bool:
    """The rules the description states in words (no JSON Schema keyword can say them):
    a valid request must keep them too, or the API rightly answers 400."""
    q = case.query or {}
    path = case.operation.path
    if path == "/indicators":
        dates = "period" not in q and "from" in q and "to" in q
        by_name = "period" in q and "from" not in q and "to" not in q
        if not (dates or by_name):
            return False  # a period, or both from and to
        if dates and str(q["from"]) > str(q["to"]):
            return False
        if "union" in q:
            public = str(q.get("public", "0")).lower() in ("1", "true", "yes")
            if role != "coordinator" or public:
                return False  # never below upazila in the public view
            upazila = q.get("upazila")
            if upazila and _gazetteer()[1][str(q["union"]).lower()][0] != upazila:
                return False
    if path == "/records" and "reporter" in q:
        raw = str(q["reporter"])
        return (raw.isdigit() and len(raw) < 9) or _phone(raw)
    if path == "/messages" and "phone" in q:
        return _phone(q["phone"])
    return True


@pytest.mark.slow
@pytest.mark.parametrize(
    "mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"]
)
@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_api_matches_its_openapi_description(settings, tokens, mode, role) -> None:  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", create_app(settings))
    headers = {"Authorization": f"Bearer {tokens[role]}"}
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()
        strategy = operation.as_strategy(generation_mode=mode)
        if mode is GenerationMode.POSITIVE:
            strategy = strategy.filter(lambda case: follows_the_prose(case, role))

        @given(case=strategy)
        @settings_(max_examples=EXAMPLES)
        def check(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(headers=headers)

        check()
        checked.append(operation.label)
    # schemathesis leaves out the description's own route.
    assert sorted(checked) == ["GET /indicators", "GET /messages", "GET /records"]


def settings_(max_examples: int) -> Any:
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
