"""In Chromium: each demo role signs in, sees its home page, and the pages pass axe-core."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

HOMES = [
    ("expert@roster.example", "Welcome, Leila Marchetti"),
    ("lno@roster.example", "Liaison officer workspace"),
    ("coordinator@roster.example", "Coordinator workspace"),
    ("admin@roster.example", "Administration"),
]


@pytest.mark.parametrize(("email", "heading"), HOMES)
def test_each_demo_role_signs_in_and_sees_its_home(page, email, heading):
    sign_in(page, email)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    page.goto("/")
    assert re.search(r"/login", page.url)


def test_wrong_password_shows_the_error_beside_the_field(page):
    sign_in(page, "lno@roster.example", "not the demo password")
    error = page.locator("#password-error")
    assert error.inner_text() == "Wrong email or password."
    assert page.get_by_label("Email").input_value() == "lno@roster.example"
    described = page.get_by_label("Password").get_attribute("aria-describedby")
    assert "password-error" in described
    assert_accessible(page)


def test_admin_sees_the_user_list(page):
    sign_in(page, "admin@roster.example")
    page.get_by_role("link", name="Users").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Users"
    assert page.get_by_role("cell", name="coordinator@roster.example").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Invite a user").click()
    assert_accessible(page)
