"""In Chromium: a coordinator records a focal point (after a refused try) and ends a CSAP term;
an admin changes a setting and verifies the audit chain."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
TODAY = date.today()
SHOTS = os.environ.get("ROSTER_SCREENSHOTS")  # a folder: keep full-page shots for a look


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_coordinator_edits_the_directory_and_the_panel(
    page, sign_in, make_user, make_expert, add_member
):
    make_expert(full_name="Nadia Haddad")
    add_member(make_expert(full_name="Serving Member"), start=TODAY - timedelta(days=30))
    sign_in(page, make_user("coordinator", clearance="NS"))

    page.goto("/directory")
    page.get_by_role("link", name="Add a focal point").click()
    assert_accessible(page)
    page.get_by_label("Person").select_option(label="Nadia Haddad")
    page.get_by_label("Command or headquarters").select_option(index=1)
    page.get_by_label("Role", exact=True).select_option(label="Gender Advisor (GENAD)")
    page.get_by_label("In the role since").fill(TODAY.isoformat())
    page.get_by_label("Until (last day)").fill((TODAY - timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#until-error")).to_contain_text("before the start")
    expect(page.get_by_label("Person").locator("option:checked")).to_contain_text("Nadia Haddad")
    _shot(page, "focal_point_refused")
    assert_accessible(page)
    page.get_by_label("Until (last day)").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("rowheader", name="Nadia Haddad")).to_be_visible()
    expect(page.get_by_role("row", name="Nadia Haddad")).to_contain_text("Gender Advisor (GENAD)")
    _shot(page, "directory_edit")
    assert_accessible(page)

    page.goto("/panel")
    _shot(page, "panel_edit")
    assert_accessible(page)
    page.get_by_role("button", name="End term Serving Member").click()
    expect(page.get_by_text("stays on the panel's history")).to_be_visible()
    current = page.get_by_role("table", name="Members serving today")
    expect(current.get_by_role("row", name="Serving Member")).to_contain_text(f"– {TODAY}")
    expect(page.get_by_role("button", name="End term Serving Member")).to_have_count(0)


def test_admin_changes_a_setting_and_verifies_the_chain(page, sign_in, make_user):
    sign_in(page, make_user("admin", clearance="CTS"))
    page.goto("/")
    page.get_by_role("link", name="Settings: response targets").click()
    assert_accessible(page)
    page.get_by_label("Smallest count shown in participation reports").fill("1")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#suppress_below-error")).to_contain_text("from 2 to 50")
    _shot(page, "settings_refused")
    page.get_by_label("Smallest count shown in participation reports").fill("8")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Saved: 1 setting(s) changed.")).to_be_visible()
    expect(page.get_by_label("Smallest count shown in participation reports")).to_have_value("8")
    _shot(page, "settings")
    assert_accessible(page)

    page.goto("/admin/audit")
    page.get_by_role("button", name="Verify the chain").click()
    expect(page.get_by_text("Audit trail intact:")).to_be_visible()
    _shot(page, "audit_verify")
    assert_accessible(page)
