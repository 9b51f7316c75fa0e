"""TRN ... TOPIC: the topic saved through the pipeline shows on the records page (escaped) and
in /api/v1/records, and never in the reply."""

from __future__ import annotations

from service.auth import create_user, issue_token
from tests.service.test_dashboard import as_role
from tests.workers.test_examples_pipeline import people, send  # noqa: F401
from workers.db import session_scope

TEXT = "TRN 16 M6 F10 TOPIC facilitation, <b>advocacy</b>"


def test_topic_on_the_records_page_and_in_the_api(people, client, session) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _, reply, record = send(people, TEXT)
    assert record is not None and record.topic == "facilitation, <b>advocacy</b>"
    assert reply is not None and "facilitation" not in reply and "topic saved" in reply
    as_role(client, session, "coordinator")
    page = client.get("/records?from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    assert "facilitation, &lt;b&gt;advocacy&lt;/b&gt;" in page and "<b>advocacy" not in page
    with session_scope(people) as s:
        create_user(s, "api@example.org", "coordinator", "a long password")
        token = issue_token(s, "api@example.org")
    answer = client.get(
        "/api/v1/records",
        query_string={"type": "TRN"},
        headers={"Authorization": f"Bearer {token}"},
    ).get_json()
    assert [r["topic"] for r in answer["items"]] == ["facilitation, <b>advocacy</b>"]
