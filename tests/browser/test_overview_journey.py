"""In Chromium, on the demo: the coordinator's dashboard overview fits one screen at 1366 x 900,
and the overview and every report page are axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from roster.accounts.models import User
from roster.db import utcnow
from roster.seeding import load_demo
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
SHOTS = None  # a directory path keeps full-page screenshots while working on the UI


def test_the_coverage_page_ranks_gaps_and_keeps_the_heatmap_on_screen(
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
    for query in ("", "?columns=all&gaps=all"):
        page.goto(f"/dashboard/coverage{query}")
        expect(page.locator("table[data-table=ranked-gaps] caption")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        for svg in page.locator(".heatmaps svg").all():
            assert svg.bounding_box()["x"] + svg.bounding_box()["width"] <= 1366
    svg = page.locator("#coverage-chart-t").locator("xpath=..")
    tip = svg.locator("a > title").first.text_content() or ""
    assert re.search(r" / \w[^/]+ \([A-Z]{2}\): \d", tip), tip  # a country name and its code
    heads = page.locator(".heatmaps g.col-label")
    assert heads.count() > 20  # every region, in blocks
    for head in heads.all()[:5]:
        name = head.locator("text").text_content() or ""
        code = head.locator("title").text_content() or ""
        assert len(name) > 2 and code.endswith(")"), (name, code)  # a name, its code as title
        assert code.startswith(name.rstrip("…"))
    matrix_heads = page.locator("table[data-table=coverage] thead th")
    assert re.fullmatch(r"\w.+ \([A-Z]{2}\)", matrix_heads.nth(2).inner_text()), "table too"
    page.goto("/dashboard/coverage")
    rows = page.locator("table[data-table=ranked-gaps] tbody tr")
    assert rows.count() == 20
    assert int(rows.first.locator("td").nth(3).inner_text()) > 0  # asked for first


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
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, f"the {kind} page is {width} px wide"
        assert_accessible(page)
        if kind == "requests":
            chart = page.locator("#staffing-target-chart-t").locator("xpath=..")
            lines = chart.locator("line.target-line")
            assert lines.count() == 3
            assert {line.get_attribute("data-urgency") for line in lines.all()} == {
                "routine",
                "priority",
                "immediate",
            }
            labels = chart.locator("text.target-label")
            assert [t.text_content() for t in labels.all()] == [
                "target 10 d",
                "target 2 d",
                "target 4 h",
            ]
            box = chart.bounding_box()
            assert box and box["x"] + box["width"] <= 1366
    page.goto("/reports/annual")
    expect(page.get_by_role("link", name="Download this report as PDF")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert_accessible(page)
