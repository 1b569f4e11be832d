"""In Chromium: an LNO narrows a roster search with two filters and opens a result."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.support.factories import add_expert, cleared

pytestmark = pytest.mark.browser


def test_lno_narrows_a_search_with_two_filters_and_opens_a_result(
    page, sign_in, db_session, make_user
):
    add_expert(db_session, "Deep Cleared", topics={"crsv": 4}, **cleared("NS"))
    add_expert(db_session, "Deep Uncleared", topics={"crsv": 4})
    add_expert(db_session, "Shallow Cleared", topics={"crsv": 2}, **cleared("NS"))
    sign_in(page, make_user("lno", clearance="NS"))
    page.get_by_role("link", name="Search", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Search the roster"
    assert_accessible(page)
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator("ol.results > li").first.wait_for()
    assert page.locator("ol.results > li").count() == 3
    page.get_by_label("Conflict-Related Sexual Violence (CRSV)").select_option("crsv:3")
    page.get_by_label("Minimum verified clearance").select_option("NS")
    page.get_by_role("button", name="Search", exact=True).click()
    assert "topic=crsv%3A3" in page.url and "clearance=NS" in page.url
    page.wait_for_load_state()
    narrowed = page.locator("ol.results > li")
    narrowed.first.wait_for()
    assert narrowed.count() == 1
    assert_accessible(page)
    first = narrowed.first.get_by_role("link").first
    assert first.inner_text() == "Deep Cleared"
    first.click()
    assert "Deep Cleared" in page.get_by_role("heading", level=1).inner_text()
