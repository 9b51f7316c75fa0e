"""The report page's DHIS2 button: coordinators only, CSRF checked, summary shown, pushes listed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from schemas.tables import AuditEntry
from tests.fakes.dhis2_server import FakeDhis2
from tests.service.dhis2_setup import (  # noqa: F401 - fixtures
    MAPPING,
    TOKEN,
    add_school_session,
    fake_dhis2,
    write_mapping,
)
from tests.service.test_dashboard import as_role, page_token


@pytest.fixture
def settings(settings, fake_dhis2: FakeDhis2):  # type: ignore[no-untyped-def]  # noqa: F811
    configured = settings.with_(dhis2_url=fake_dhis2.url, dhis2_token=TOKEN)
    write_mapping(configured)
    return configured


def push(client, **form: str):  # type: ignore[no-untyped-def]
    data = {"csrf_token": page_token(client), "period": "2021-03"} | form
    return client.post("/report/dhis2-push", data=data)


def test_a_coordinator_pushes_and_sees_the_summary_and_the_list(  # type: ignore[no-untyped-def]
    client, session, fake_dhis2
) -> None:  # noqa: F811
    add_school_session(session)
    email = as_role(client, session, "coordinator")
    page = client.get("/report?period=2021").get_data(as_text=True)
    assert 'action="/report/dhis2-push"' in page and "Nothing sent to DHIS2 yet." in page
    answer = push(client)
    assert answer.status_code == 302 and answer.location.endswith("/report?period=2021-03#dhis2")
    assert fake_dhis2.seen[0].params["dryRun"] == "false"
    page = client.get("/report?period=2021-03").get_data(as_text=True)
    assert "DHIS2: imported 5, updated 0, ignored 0, deleted 0, conflicts 0" in page
    assert email in page and "2021-03" in page
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "dhis2_push"))
    assert entry is not None and entry.actor.startswith("user:")
    push(client)
    page = client.get("/report?period=2021-03").get_data(as_text=True)
    assert "DHIS2: imported 0, updated 0, ignored 5" in page  # the second push doubles nothing


def test_a_dry_run_from_the_page(client, session, fake_dhis2) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    add_school_session(session)
    as_role(client, session, "coordinator")
    push(client, dry_run="1")
    assert fake_dhis2.seen[0].params["dryRun"] == "true" and fake_dhis2.stored == {}
    page = client.get("/report").get_data(as_text=True)
    assert "DHIS2: dry run: imported 5" in page and "(dry run)" in page


def test_conflicts_are_listed_on_the_page(client, session, fake_dhis2) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    add_school_session(session)
    fake_dhis2.data_elements = {"SCH_PART"}
    as_role(client, session, "coordinator")
    push(client)
    page = client.get("/report").get_data(as_text=True)
    assert "SCH_COUNT, OU_ANULIA, 202103: Data element not found" in page
    assert 'class="flash error"' in page


def test_a_mapping_problem_sends_nothing(client, session, fake_dhis2, settings) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    add_school_session(session)
    write_mapping(settings, MAPPING.replace('"Assasuni/Anulia" = "OU_ANULIA"\n', ""))
    as_role(client, session, "coordinator")
    push(client)
    page = client.get("/report").get_data(as_text=True)
    assert "nothing was sent" in page and "Assasuni/Anulia has data" in page
    assert fake_dhis2.seen == []


def test_a_viewer_sees_no_button_and_cannot_push(client, session, fake_dhis2) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    as_role(client, session, "viewer")
    assert "dhis2-push" not in client.get("/report").get_data(as_text=True)
    assert push(client).status_code == 403
    assert fake_dhis2.seen == []


def test_a_push_without_the_csrf_token_is_refused(client, session, fake_dhis2) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    as_role(client, session, "coordinator")
    answer = client.post("/report/dhis2-push", data={"period": "2021-03"})
    assert answer.status_code == 400 and fake_dhis2.seen == []


def test_a_bad_period_is_a_clear_message(client, session, fake_dhis2) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    as_role(client, session, "coordinator")
    assert push(client, period="project").status_code == 302
    assert "DHIS2: unknown period &#39;project&#39;" in client.get("/report").get_data(as_text=True)
    assert fake_dhis2.seen == []
