"""In Chromium: each role signs in, sees its home page, and the pages pass axe-core."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

HOMES = [
    ("expert", "Welcome, Test Expert"),
    ("lno", "Liaison officer workspace"),
    ("coordinator", "Coordinator workspace"),
    ("admin", "Administration"),
]


@pytest.mark.parametrize(("role", "heading"), HOMES)
def test_each_role_signs_in_and_sees_its_home(page, sign_in, make_user, make_expert, role, heading):
    # An expert's home is about their profile: they sign in with the account of one.
    sign_in(
        page, make_expert(clearance="NS") if role == "expert" else make_user(role, clearance="NS")
    )
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    page.goto("/")
    assert re.search(r"/login", page.url)


def test_wrong_password_shows_the_error_beside_the_field(page, sign_in, make_user):
    lno = make_user("lno", clearance="NS")
    sign_in(page, lno, "not the password")
    error = page.locator("#password-error")
    assert error.inner_text() == "Wrong email or password."
    assert page.get_by_label("Email").input_value() == lno.email
    described = page.get_by_label("Password").get_attribute("aria-describedby")
    assert "password-error" in described
    assert_accessible(page)


def test_admin_sees_the_user_list(page, sign_in, make_user):
    admin = make_user("admin", clearance="CTS")
    coordinator = make_user("coordinator", clearance="NS")
    sign_in(page, admin)
    page.get_by_role("link", name="Users").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Users"
    assert page.get_by_role("cell", name=coordinator.email).count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Invite a user").click()
    assert_accessible(page)
