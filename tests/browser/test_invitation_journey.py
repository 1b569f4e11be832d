"""In Chromium: a coordinator invites profile owners from the vetting queue and from a profile,
and each page says what happened."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("ROSTER_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_coordinator_invites_from_the_queue_and_the_profile(page, sign_in, make_user, make_expert):
    make_expert(vetting="pending", full_name="Has Account")
    make_expert(vetting="pending", with_user=False, full_name="Amina Diallo")
    make_expert(vetting="pending", with_user=False, full_name="Jonas Berg")
    single = make_expert(with_user=False, full_name="Sofia Reyes")
    sign_in(page, make_user("coordinator", clearance="NS"))
    page.goto("/vetting")
    assert_accessible(page)
    expect(page.get_by_label("Invite Has Account")).to_have_count(0)
    page.get_by_label("Invite Amina Diallo").check()
    page.get_by_label("Invite Jonas Berg").check()
    shot(page, "queue")
    page.get_by_role("button", name="Invite selected").click()
    expect(page.get_by_text("Invited: 2.")).to_be_visible()
    assert_accessible(page)
    shot(page, "queue-invited")
    page.get_by_role("link", name="Back to the vetting queue").click()
    expect(page.get_by_role("row").filter(has_text="Amina Diallo")).to_contain_text("Invited on")

    page.goto(f"/experts/{single.id}")
    expect(page.locator("#account-state")).to_have_text("No account")
    shot(page, "profile")
    page.get_by_role("button", name="Invite to the roster").click()
    expect(page.get_by_role("heading", name="Invitation sent")).to_be_visible()
    assert_accessible(page)
    shot(page, "profile-invited")
    page.get_by_role("link", name="Back to the profile").click()
    expect(page.locator("#account-state")).to_contain_text("Invited on")
    expect(page.get_by_role("button", name="Send a new invitation")).to_be_visible()
