"""In Chromium: an expert edits their profile and sees it saved; a coordinator vets a pending
expert."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_expert_edits_their_profile_and_sees_it_saved(page, sign_in, make_expert):
    expert = make_expert(full_name="Leila Marchetti", clearance="NS", notice_days=7)
    sign_in(page, expert)
    page.get_by_role("link", name="My profile").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Leila Marchetti"
    assert_accessible(page)
    page.get_by_role("link", name="Edit profile").click()
    assert_accessible(page)
    page.get_by_label("Short biography").fill("Updated in the browser: CRSV documentation lead.")
    page.get_by_label("Notice needed (days)").fill("")
    page.get_by_role("button", name="Save").click()
    error = page.locator("#notice_days-error")
    expect(error).to_be_visible()
    assert page.get_by_label("Short biography").input_value().startswith("Updated in the browser")
    assert_accessible(page)
    page.get_by_label("Notice needed (days)").fill("5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your changes were saved.")).to_be_visible()
    expect(page.get_by_text("Updated in the browser: CRSV documentation lead.")).to_be_visible()
    expect(page.get_by_text("5 days")).to_be_visible()


def test_coordinator_vets_a_pending_expert(page, sign_in, make_user, make_expert):
    make_expert(full_name="Vetted Already", clearance="NS")
    pending = make_expert(vetting="pending", full_name="Pending Person")
    sign_in(page, make_user("coordinator", clearance="NS"))
    page.get_by_role("link", name="Vetting").first.click()
    assert_accessible(page)
    queue = page.get_by_role("table").first
    pending_row = queue.get_by_role("row").filter(has_text="pending").first
    assert pending_row.get_by_role("link").inner_text() == pending.full_name
    pending_row.get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text() == pending.full_name
    assert_accessible(page)
    page.get_by_label("Decision", exact=True).select_option("vetted")
    page.get_by_label("Note (coordinators only)").fill("References from two CSOs checked.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Vetting decision recorded.")).to_be_visible()
    expect(page.get_by_role("cell", name="References from two CSOs checked.")).to_be_visible()
    assert "vetted" in page.locator(".meta").inner_text()
