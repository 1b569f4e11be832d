"""In Chromium: an LNO narrows a roster search with two filters and opens a result."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

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


PHONE = {"width": 375, "height": 812}
CRSV = "Conflict-Related Sexual Violence (CRSV)"


@pytest.fixture
def three_experts(db_session):
    add_expert(
        db_session, "Deep Cleared", topics={"crsv": 4}, languages={"fr": "C1"}, **cleared("NS")
    )
    add_expert(db_session, "Deep Uncleared", topics={"crsv": 4}, languages={"en": "C1"})
    add_expert(
        db_session, "Shallow Cleared", topics={"crsv": 2}, languages={"fr": "B2"}, **cleared("NS")
    )


def test_on_a_phone_the_results_come_first_and_facets_and_chips_change_them(
    page, sign_in, make_user, three_experts, tmp_path
):
    page.set_viewport_size(PHONE)
    sign_in(page, make_user("lno", clearance="NS"))
    page.goto("/search?topic=crsv:3")
    results = page.locator("ol.results > li")
    expect(results).to_have_count(2)
    filters = page.locator("details#filters")
    expect(filters).not_to_have_attribute("open", "")
    expect(filters.locator("summary")).to_have_text("Filters (1 active)")
    first, folded = results.first.bounding_box(), filters.bounding_box()
    assert first and folded and first["y"] < folded["y"]
    assert first["y"] + first["height"] <= PHONE["height"], first  # on the first screen
    chip = page.get_by_role("link", name=f"Topic: {CRSV} level 3 or higher, remove")
    expect(chip.locator("[aria-hidden='true']")).to_have_text(["≥ 3", "×"])  # what is seen
    page.screenshot(path=str(tmp_path / "search-375.png"), full_page=True)
    assert_accessible(page)

    languages = page.get_by_role("list", name="Language")
    languages.get_by_role("link", name="French").click()  # "French, 1 expert"
    assert "language=fr" in page.url and "topic=crsv:3" in page.url
    expect(results).to_have_count(1)
    expect(results.first.get_by_role("link")).to_have_text("Deep Cleared")
    expect(filters.locator("summary")).to_have_text("Filters (2 active)")
    expect(languages.locator("[aria-current='true']")).to_contain_text("French")
    expect(languages.get_by_role("link", name="French")).to_have_count(0)  # already on
    page.screenshot(path=str(tmp_path / "search-375-french.png"), full_page=True)
    assert_accessible(page)

    chip = page.get_by_role("link", name=re.compile(r"^Language: French\s?, remove$"))
    for _press in range(10):  # the link lands on the results: the chips are a few Tabs away
        page.keyboard.press("Tab")
        if chip.evaluate("link => link === document.activeElement"):
            break
    expect(chip).to_be_focused()
    page.keyboard.press("Enter")
    expect(results).to_have_count(2)
    assert "language" not in page.url and "topic=crsv:3" in page.url
    expect(chip).to_have_count(0)

    page.get_by_role("link", name="Change the words or filters").click()
    expect(filters).to_have_attribute("open", "")
    expect(page.get_by_label("Words")).to_be_focused()


def test_facets_and_chips_are_plain_links_without_javascript(
    page, browser, live_server, sign_in, make_user, three_experts
):
    sign_in(page, make_user("lno", clearance="NS"))  # the session cookie, then no script
    context = browser.new_context(
        base_url=live_server,
        java_script_enabled=False,
        storage_state=page.context.storage_state(),
        viewport=PHONE,
    )
    try:
        page = context.new_page()
        page.goto("/search")
        results = page.locator("ol.results > li")
        expect(results).to_have_count(3)
        expect(page.locator("details#filters")).to_have_attribute("open", "")  # nothing folds it
        page.get_by_role("list", name="Verified clearance").get_by_role("link", name="NS").click()
        expect(results).to_have_count(2)
        page.get_by_role("list", name="Topic").get_by_role("link", name="CRSV").click()
        expect(results).to_have_count(2)
        assert "clearance=NS" in page.url and "topic=crsv" in page.url
        page.get_by_role("link", name="Clear all").click()
        expect(results).to_have_count(3)
        assert "clearance" not in page.url and "topic" not in page.url
    finally:
        context.close()
