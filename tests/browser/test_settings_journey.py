"""In Chromium: the settings page (preferences, sessions, tokens) and the forgotten-password
pages, each passing axe-core."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_a_user_saves_settings_and_signs_out_everywhere(page, sign_in, make_user, auth):
    lno = make_user("lno", clearance="NS")
    auth.bearer(lno)
    sign_in(page, lno)
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    expect(page.get_by_text("(this browser)")).to_be_visible()
    expect(page.get_by_role("button", name="Revoke")).to_be_visible()
    assert_accessible(page)
    shot = os.environ.get("ROSTER_SCREENSHOT_DIR")
    if shot:
        page.screenshot(path=f"{shot}/settings.png", full_page=True)
    page.get_by_label("Language", exact=True).select_option("fr")
    page.get_by_label("Send me notifications by e-mail").uncheck()
    page.get_by_role("button", name="Save").click()
    # The page answers in the language just chosen, the confirmation included.
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_text("Vos paramètres sont enregistrés.")).to_be_visible()
    expect(page.get_by_label("M'envoyer les notifications par e-mail")).not_to_be_checked()
    page.get_by_role("button", name="Se déconnecter partout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_forgot_password_pages(page, make_user):
    user = make_user("expert")
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
    assert_accessible(page)
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your mail")
    assert_accessible(page)
