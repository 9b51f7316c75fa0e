"""Every dashboard page in Debian's Chromium, laptop and 360-px phone, coordinator and viewer:
labels on every control, no sideways scrolling, every menu item in sight, no outside request.

The screenshots are the ones docs/dashboard.md shows (scripts/docs_screenshots.py copies them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from schemas.tables import Reporter
from service.auth import create_user
from tests.browser.conftest import VIEWPORTS
from tests.browser.helpers import check_page
from tests.service.test_dashboard import seed

PASSWORD = "a long password"
COORDINATOR_PAGES = [
    ("overview", "/"),
    ("messages", "/messages"),
    ("records", "/records"),
    ("survivors", "/survivors"),
    ("referrals", "/referrals"),
    ("reporters", "/reporters"),
    ("reporter-edit", "/reporters/{rid}/edit"),
    ("import", "/reporters/import"),
    ("users", "/users"),
    ("password", "/account/password"),
    ("report", "/report?period=2021"),
    ("simulator", "/simulator"),
]
VIEWER_PAGES = [
    ("viewer-reporters", "/reporters"),
    ("viewer-survivors", "/survivors"),
    ("viewer-messages", "/messages"),
]

pytestmark = pytest.mark.slow


def _log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_every_page_works_on_a_laptop_and_a_phone(
    screen: str, browser: Any, live_server: str, session: Any, artifacts: Path
) -> None:
    seed(session)
    create_user(session, "officer@example.org", "coordinator", PASSWORD)
    create_user(session, "donor@example.org", "viewer", PASSWORD)
    session.commit()
    rid = session.scalar(select(Reporter.id).order_by(Reporter.id))
    viewport = VIEWPORTS[screen]
    requested: list[str] = []
    for email, pages in (
        ("officer@example.org", COORDINATOR_PAGES),
        ("donor@example.org", VIEWER_PAGES),
    ):
        context = browser.new_context(viewport=viewport, is_mobile=screen == "phone")
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))
        _log_in(page, live_server, email)
        visited = 0
        for name, path in pages:
            answer = page.goto(live_server + path.format(rid=rid))
            assert answer is not None and answer.status == 200, path
            check_page(page, viewport["width"])
            page.screenshot(path=str(artifacts / f"page-{screen}-{name}.png"), full_page=True)
            visited += 1
        assert visited == len(pages)
        if email.startswith("officer"):
            # The one-time link, shown once after an invitation.
            page.goto(f"{live_server}/users")
            page.get_by_label("Email").fill("new.colleague@example.org")
            page.get_by_role("button", name="Create and show link").click()
            link = page.get_by_label("Shown only now.").input_value()
            assert link.startswith(f"{live_server}/reset/")
            check_page(page, viewport["width"])
            page.screenshot(path=str(artifacts / f"page-{screen}-users-link.png"), full_page=True)
            # The newcomer's side of the link: a labelled form, no login needed.
            newcomer = browser.new_context(viewport=viewport, is_mobile=screen == "phone")
            their_page = newcomer.new_page()
            their_page.on("request", lambda request: requested.append(request.url))
            their_page.goto(link)
            assert their_page.locator("h1").inner_text() == "Choose a password"
            check_page(their_page, viewport["width"])
            their_page.screenshot(path=str(artifacts / f"page-{screen}-reset.png"), full_page=True)
            newcomer.close()
        context.close()
    outside = [url for url in requested if not url.startswith((live_server, "data:"))]
    assert requested and outside == []
