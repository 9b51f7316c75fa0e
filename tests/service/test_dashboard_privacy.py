"""k = 11 for viewers everywhere: no page shows a viewer an exact survivor count (a chart bar,
a "found" total, a list of survivor reports, a reporter's tally, a download)."""

from __future__ import annotations

import re

from tests.service.test_dashboard import as_role, seed


def _found(body: str) -> str:
    found = re.search(r'<p class="count">([^<]+?) found\b', body)
    assert found is not None
    return found.group(1)


def _chart_labels(body: str) -> list[str]:
    return re.findall(r'<span class="label">([^<]+)</span>', body)


def test_the_overview_shows_a_viewer_no_survivor_bar(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)  # today: one SCH event and one enrolment with an IC
    as_role(client, session, "viewer")
    body = client.get("/").get_data(as_text=True)
    labels = _chart_labels(body)
    assert "school session" in labels
    assert "enrolment" not in labels and "individual counselling" not in labels
    assert "&lt;11" in body  # the survivors tile, as the public count
    # Today's tallies leave out the messages that made survivor records.
    tiles = dict(
        (k, n)
        for n, k in re.findall(
            r'<span class="n">([^<]+)</span><span class="k">([^<]+)</span>', body
        )
    )
    assert tiles["saved today"] == "1" and tiles["records this month"] == "1"


def test_the_overview_still_counts_everything_for_a_coordinator(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "coordinator")
    labels = _chart_labels(client.get("/").get_data(as_text=True))
    assert "enrolment" in labels and "individual counselling" in labels


def test_records_filtered_to_enrolments_show_a_viewer_nothing(client, session) -> None:  # type: ignore[no-untyped-def]
    data = seed(session)
    as_role(client, session, "viewer")
    enrolments = client.get("/records?type=ENR").get_data(as_text=True)
    assert _found(enrolments) == "0"
    assert f"#{data['enr']}" not in enrolments
    everything = client.get("/records").get_data(as_text=True)
    assert _found(everything) == "1"  # the school session only
    assert 'value="ENR"' not in everything  # not offered as a filter either


def test_messages_of_survivor_reports_are_not_listed_to_a_viewer(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "viewer")
    inbound = client.get("/messages?status=accepted").get_data(as_text=True)
    assert _found(inbound) == "1"  # SCH; not ENR, IC, REF
    assert "SCH 845" in inbound
    assert _found(client.get("/messages").get_data(as_text=True)) == "2"  # + the rejected one


def test_reporter_tallies_leave_survivor_records_out_for_a_viewer(client, session) -> None:  # type: ignore[no-untyped-def]
    seed(session)
    as_role(client, session, "viewer")
    body = client.get("/reporters").get_data(as_text=True)
    counsellor = body[body.index("Karim Counsellor") :].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", counsellor)
    assert "3" not in cells and "0" in cells, cells  # ENR, IC and REF are survivor records


def test_a_viewers_downloads_and_api_follow_the_floor(client, session) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from service.auth import issue_token

    seed(session)
    email = as_role(client, session, "viewer")
    year = str(date.today().year)
    md = client.get(f"/report/download.md?period={year}&public=0").get_data(as_text=True)
    assert "<11" in md and re.search(r"\b1 (survivor|new survivor)", md) is None
    token = issue_token(session, email)
    session.commit()
    body = client.get(
        f"/api/v1/indicators?period={year}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert body["survivors"]["enrolled"] == "<11"
    records = client.get(
        "/api/v1/records?type=ENR", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert records["total"] == 0
