"""A coordinator runs the programme in Debian's Chromium, on a laptop and on a 360-px phone.

The flow of issue 13: log in, add a reporter, import a CSV with one bad row and see it
reported, send a message from the simulator as the new reporter, see it on the messages
page and the overview number change, undo it, download the records CSV, switch to Bangla
and check the Bangla is drawn with the bundled font (no tofu).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest

from service.auth import create_user
from tests.browser.conftest import VIEWPORTS
from tests.browser.helpers import GLYPH_WIDTHS, check_page, fonts_rendering

EMAIL, PASSWORD = "officer@example.org", "a long password"
NEW_PHONE = "+8801712345678"
CSV_TEXT = (
    "phone,name,role,union,language\n"
    "01812345678,Salma Khatun,activist,Kulla,bn\n"
    "01912345678,Bad Union,activist,Atlantis,en\n"
    "01612345678,Jamal Uddin,counsellor,শ্রীউলা,bn\n"
)

pytestmark = pytest.mark.slow


def _tile(page: Any, label: str) -> int:
    tile = page.locator(".tile", has_text=label).locator(".n")
    return int(tile.inner_text().replace(",", ""))


def _shot(page: Any, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_a_coordinator_runs_the_programme_in_the_browser(
    screen: str, browser: Any, live_server: str, session: Any, artifacts: Path, tmp_path: Path
) -> None:
    create_user(session, EMAIL, "coordinator", PASSWORD)
    session.commit()
    viewport = VIEWPORTS[screen]
    context = browser.new_context(
        viewport=viewport,
        accept_downloads=True,
        is_mobile=screen == "phone",
        has_touch=screen == "phone",
    )
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    shot = lambda name: _shot(page, artifacts, f"{screen}-{name}")  # noqa: E731

    # Log in.
    page.goto(f"{live_server}/")
    assert "/login" in page.url
    check_page(page, viewport["width"])
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/")
    check_page(page, viewport["width"])
    # One Tab reaches the skip link, visibly focused; Enter lands on the content.
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const el = document.activeElement;
        const s = getComputedStyle(el); const r = el.getBoundingClientRect();
        return [el.className, s.outlineStyle, r.top >= 0 && r.bottom <= innerHeight]; }""")
    assert focused == ["skip", "solid", True]
    shot("skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    records_before = _tile(page, "records this month")

    # Add a reporter.
    page.get_by_role("link", name="Reporters").click()
    page.get_by_role("link", name="Add a reporter").click()
    page.get_by_label("Phone").fill("01712-345678")
    page.get_by_label("Name").fill("Rina Akter")
    page.get_by_label("Role").select_option("activist")
    page.get_by_label("Union").fill("Nalta")
    page.get_by_label("Reply language").select_option("en")
    check_page(page, viewport["width"])
    shot("reporter-form")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Rina Akter added.").is_visible()

    # Import a CSV with one bad row: the row is reported with its line and reason.
    page.get_by_role("link", name="Import a CSV").click()
    upload = tmp_path / "team.csv"
    upload.write_text(CSV_TEXT, encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    summary = page.locator("#import-summary")
    assert summary.inner_text() == "Imported 2, updated 0, unchanged 0, skipped 1."
    problems = page.locator("table.problems tbody tr")
    assert problems.count() == 1
    assert problems.first.inner_text().split()[0] == "3"
    assert "union 'Atlantis' is not a union of the district" in problems.first.inner_text()
    assert page.locator("progress").get_attribute("value") == "3"
    check_page(page, viewport["width"])
    shot("import-report")

    # Send a message from the simulator as the new reporter.
    page.get_by_role("link", name="Reporters").first.click()
    row = page.locator("tr", has_text="Rina Akter")
    row.get_by_role("link", name="try in simulator").click()
    assert page.get_by_label("Registered reporter").input_value() == NEW_PHONE
    page.get_by_label("Message").fill("SCH 845 M300 F545 Kaliganj")
    page.get_by_role("button", name="Send").click()
    reply = page.locator("#reply").inner_text()
    match = re.search(r"#(\d+)", reply)
    assert match, reply
    record_id = match.group(1)
    check_page(page, viewport["width"])
    shot("simulator")

    # It is on the messages page, and the overview counts it.
    page.get_by_role("link", name="Messages").click()
    first = page.locator("tbody tr").first
    assert "SCH 845 M300 F545 Kaliganj" in first.inner_text()
    assert "Rina Akter" in first.inner_text()
    check_page(page, viewport["width"])
    shot("messages")
    page.get_by_role("link", name="Overview").click()
    assert _tile(page, "records this month") == records_before + 1
    shot("overview")

    # Undo it from the records page.
    page.get_by_role("link", name="Records").click()
    page.locator("tr", has_text=f"{record_id}").get_by_role("link", name="Undo").first.click()
    page.get_by_role("button", name=f"Undo #{record_id}").click()
    assert page.get_by_text(f"Record #{record_id} cancelled.").is_visible()
    page.get_by_role("link", name="Overview").click()
    assert _tile(page, "records this month") == records_before

    # Download the records CSV: the record is there, cancelled.
    page.get_by_role("link", name="Records").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    path = download_info.value.path()
    rows = list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    assert [(r["id"], r["type"], r["status"]) for r in rows] == [(record_id, "SCH", "cancelled")]

    # Bangla, drawn with the bundled font: no boxes.
    page.get_by_role("link", name="বাংলা").click()
    heading = page.locator("h1")
    assert heading.inner_text() == "রেকর্ড"
    page.evaluate("document.fonts.ready")
    used = fonts_rendering(page, "h1")
    assert [(f["familyName"], f["isCustomFont"]) for f in used] == [("Noto Sans Bengali", True)]
    widths = page.evaluate(GLYPH_WIDTHS, ["ক", "খ", "ম", "শ", "ঞ", "ও", "ি"])
    assert len(set(widths)) >= 5, widths  # tofu would give one width for all
    heading.screenshot(path=str(artifacts / f"{screen}-bangla-heading.png"))
    check_page(page, viewport["width"])
    shot("records-bangla")

    # Nothing was asked of any other server.
    assert all(url.startswith(live_server) or url.startswith("data:") for url in requested), [
        url for url in requested if not url.startswith(live_server)
    ]
    font_url = f"{live_server}/dashboard-fonts/NotoSansBengali-Regular.ttf"
    assert font_url in requested
    context.close()
