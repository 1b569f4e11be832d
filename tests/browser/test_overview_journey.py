"""In Chromium, on the demo: the coordinator's dashboard overview fits one screen at 1366 x 900,
and the overview and every report page are axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from roster.accounts.models import User
from roster.db import utcnow
from roster.seeding import load_demo
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
SHOTS = None


def test_the_overview_fits_one_screen_and_every_report_page_is_accessible(
    new_page, sign_in, db_session
):
    load_demo(db_session, now=utcnow())
    db_session.commit()
    coordinator = db_session.exec(
        select(User).where(User.email == "coordinator@roster.example")
    ).one()
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, coordinator, password="demo-password-2026")
    page.goto("/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Coordinator dashboard")
    expect(page.get_by_role("link", name="Open requests")).to_be_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.evaluate("document.documentElement.scrollWidth")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/overview.png", full_page=True)
    assert height <= 1000, f"the overview is {height} px tall"
    assert width <= 1366, f"the overview is {width} px wide"
    assert_accessible(page)
    for kind, heading in (
        ("coverage", "Coverage gaps"),
        ("watchlist", "Expiring soon and dormant"),
        ("requests", "Request performance"),
        ("participation", "Participation and balance"),
    ):
        page.goto("/dashboard")
        page.get_by_role("navigation", name="Reports").get_by_role("link", name=heading).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{kind}.png", full_page=True)
        assert_accessible(page)
